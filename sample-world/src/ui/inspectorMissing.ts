// Stands in for @babylonjs/inspector while it is not installed (vite.config.ts aliases the
// package here only when it cannot be resolved), so `I` explains instead of breaking the build.
throw new Error("The Babylon Inspector is not installed. Run `npm install --save-dev @babylonjs/inspector` and restart `npm start`.");
