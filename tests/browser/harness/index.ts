export { BrowserHarness } from "./browserHarness.js";
export { TestPage, pixelAt, colourDistance, type ITestWindow, type PageQuery } from "./page.js";
export { decodePng, type IRgbaImage } from "./png.js";
export { chromiumArgs, chromiumPath } from "./browser.js";
