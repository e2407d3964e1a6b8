import { rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer, type ViteDevServer } from "vite";

/** A Vite dev server serving the repository, so test pages import the plugin from source. */
export interface ITestServer {
    /** Origin without a trailing slash, e.g. `http://localhost:41234`. */
    readonly origin: string;
    closeAsync(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

/** Options for pages with heavy dependencies. */
export interface ITestServerOptions {
    /**
     * More files for Vite's start-up dependency scan, for pages that hide their imports from the
     * default scan (the Inspector page, whose pre-bundling takes 45-90 s and would slow every
     * other test). Scanned up front, its dependencies are never discovered mid-load, which
     * would make Vite re-bundle and reload the page, more than once for a large graph.
     */
    scanEntries?: string[];
}

/**
 * Starts Vite on a free localhost port with root = the repository.
 * `localhost` (not 127.0.0.1) because Chromium only treats localhost as a secure context for
 * WebGPU without flags. COOP/COEP make the page cross-origin isolated (SharedArrayBuffer for
 * onnxruntime-web threads in later issues).
 */
export async function startTestServerAsync(options: ITestServerOptions = {}): Promise<ITestServer> {
    // A fresh dependency cache per server. A shared one is reused as soon as the lock file is
    // unchanged, even when a page now imports more (the plugin grows): Vite then discovers the
    // new dependencies mid-load, re-bundles, and answers the page's imports with 504
    // "Outdated Optimize Dep". A fresh cache makes Vite scan every page's imports up front.
    // Pre-bundling the pages' Babylon imports costs about a second.
    const cacheDir = join(repoRoot, "node_modules", ".vite-browser-tests", `${process.pid}-${Date.now()}`);
    const server: ViteDevServer = await createServer({
        configFile: false,
        root: repoRoot,
        logLevel: "warn",
        clearScreen: false,
        cacheDir,
        server: {
            host: "localhost",
            port: 0,
            strictPort: false,
            hmr: false,
            watch: null,
            headers: {
                "Cross-Origin-Opener-Policy": "same-origin",
                "Cross-Origin-Embedder-Policy": "require-corp",
            },
        },
        optimizeDeps: {
            // Scan only the test pages, not the sample world, so pre-bundling stays small.
            entries: ["tests/browser/pages/**/*.html", ...(options.scanEntries ?? [])],
        },
    });
    const closeAsync = async (): Promise<void> => {
        await server.close();
        await rm(cacheDir, { recursive: true, force: true });
    };
    try {
        await server.listen();
        const address = server.httpServer?.address();
        if (!address || typeof address === "string") {
            throw new Error("Vite test server has no TCP address");
        }
        return { origin: `http://localhost:${address.port}`, closeAsync };
    } catch (error) {
        await closeAsync();
        throw error;
    }
}
