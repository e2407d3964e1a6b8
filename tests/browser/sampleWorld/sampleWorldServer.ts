import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer, type ViteDevServer } from "vite";

/** The sample world's own Vite dev server, started in-process for browser tests. */
export interface ISampleWorldServer {
    /** Origin without a trailing slash, e.g. `http://localhost:41234`. */
    readonly origin: string;
    closeAsync(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

/**
 * Starts `sample-world/vite.config.ts` (its runtime-file middleware, COOP/COEP headers and
 * dependency options are what `npm start` serves) on a free localhost port. The harness's server
 * serves the repository root with another config, so it cannot serve the world as users see it.
 *
 * The dependency cache is kept between runs (`node_modules/.vite-sample-world-tests`): the world
 * pulls in Babylon, Havok's glue and the Inspector, and pre-bundling them from cold costs tens of
 * seconds on two cores. Vite invalidates it itself when the lock file or the config change.
 */
export async function startSampleWorldServerAsync(): Promise<ISampleWorldServer> {
    const server: ViteDevServer = await createServer({
        configFile: join(repoRoot, "sample-world", "vite.config.ts"),
        logLevel: "warn",
        cacheDir: join(repoRoot, "node_modules", ".vite-sample-world-tests"),
        server: { port: 0, strictPort: false, hmr: false, watch: null },
    });
    const closeAsync = (): Promise<void> => server.close();
    try {
        await server.listen();
        const address = server.httpServer?.address();
        if (!address || typeof address === "string") {
            throw new Error("sample world server has no TCP address");
        }
        return { origin: `http://localhost:${address.port}`, closeAsync };
    } catch (error) {
        await closeAsync();
        throw error;
    }
}
