import { defineConfig } from "vitest/config";

// Two layers: fast Node tests (NullEngine and plain data), and browser tests that drive a real
// Chromium through playwright-core. The browser layer runs its files one at a time: each
// launches a browser, and this machine has two cores.
export default defineConfig({
    test: {
        projects: [
            {
                extends: true,
                test: {
                    name: "node",
                    include: ["tests/**/*.test.ts"],
                    exclude: ["tests/browser/**", "tests/package/packedApp.test.ts", "tests/package/apiDocs.test.ts"],
                    environment: "node",
                    testTimeout: 60_000,
                },
            },
            {
                extends: true,
                test: {
                    name: "browser",
                    include: ["tests/browser/**/*.test.ts"],
                    environment: "node",
                    testTimeout: 180_000,
                    hookTimeout: 180_000,
                    fileParallelism: false,
                },
            },
            {
                extends: true,
                test: {
                    // Packs the tarball and installs it into fresh apps (minutes, and the npm
                    // registry for the newest Babylon; BABYLON_VERSIONS pins versions offline),
                    // and builds the API reference.
                    name: "package",
                    include: ["tests/package/packedApp.test.ts", "tests/package/apiDocs.test.ts"],
                    environment: "node",
                    testTimeout: 300_000,
                    hookTimeout: 300_000,
                },
            },
        ],
    },
});
