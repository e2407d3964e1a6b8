import { chromium, type Browser } from "playwright-core";

/**
 * Flags that give Chromium WebGPU on the SwiftShader (CPU Vulkan) adapter, and keep it from
 * reaching for the network, which is closed on CI and would flood the log with refusals.
 */
export const chromiumArgs: readonly string[] = Object.freeze([
    "--enable-unsafe-webgpu",
    "--enable-features=Vulkan",
    "--use-vulkan=swiftshader",
    "--use-webgpu-adapter=swiftshader",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--window-size=1024,768",
]);

/** Debian's Chromium; CHROMIUM_PATH overrides it for other machines. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Launches headed Chromium on the given X display. playwright-core gives every launch a fresh
 * temporary profile (its own --user-data-dir), so runs never share state.
 */
export async function launchChromiumAsync(display: string): Promise<Browser> {
    return chromium.launch({
        headless: false,
        executablePath: chromiumPath,
        args: [...chromiumArgs],
        env: { ...process.env, DISPLAY: display },
        timeout: 60_000,
    });
}
