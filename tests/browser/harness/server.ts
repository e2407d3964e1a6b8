import { rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer, type Plugin, type ViteDevServer } from "vite";

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

const ISOLATION_HEADERS = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
};

/**
 * Serves a page whose URL has `isolation=off` without the COOP/COEP headers, so that page is not
 * cross-origin isolated, as on a site that does not send them (the plugin's model worker then
 * passes runs by message). Only the page's own response: a page's isolation is its document's,
 * and the same-origin files it loads may keep the headers.
 */
function isolationSwitch(): Plugin {
    const names = new Set(Object.keys(ISOLATION_HEADERS).map((name) => name.toLowerCase()));
    return {
        name: "test-server-isolation-switch",
        configureServer(server) {
            server.middlewares.use((req, res, next) => {
                const query = req.url?.split("?")[1];
                if (query !== undefined && new URLSearchParams(query).get("isolation") === "off") {
                    const setHeader = res.setHeader.bind(res);
                    res.setHeader = ((name: string, value: number | string | readonly string[]) => (names.has(name.toLowerCase()) ? res : setHeader(name, value))) as typeof res.setHeader;
                }
                next();
            });
        },
    };
}

/**
 * Starts Vite on a free localhost port with root = the repository.
 * `localhost` (not 127.0.0.1) because Chromium only treats localhost as a secure context for
 * WebGPU without flags. COOP/COEP make every page cross-origin isolated (SharedArrayBuffer, for
 * onnxruntime-web's threads and the model worker's shared-memory runs) unless its URL has
 * `isolation=off`. Every file the pages load is same-origin, which COEP require-corp allows.
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
            headers: ISOLATION_HEADERS,
        },
        plugins: [isolationSwitch()],
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
