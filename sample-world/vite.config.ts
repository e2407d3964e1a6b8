import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin, type Connect } from "vite";

// The sample tour world: `npm start` serves it, `npm run build` makes a static site in
// sample-world/dist. Every runtime file (onnxruntime-web's and Havok's wasm, the model) is
// served from this origin, never from a CDN, and the page is cross-origin isolated so that
// onnxruntime-web may use WASM threads (SharedArrayBuffer).

const root = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = join(root, "..");
const nodeModules = join(repoRoot, "node_modules");

const isolationHeaders = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
};

const ORT_FILES = ["ort-wasm-simd-threaded.jsep.mjs", "ort-wasm-simd-threaded.jsep.wasm", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm"] as const;

/**
 * Files that Vite emits a second time, hashed under assets/, because the libraries name them with
 * `new URL(name, import.meta.url)` as their default location: the page always passes the copies
 * above explicitly (`wasmPaths`, Havok's `locateFile`, the plugin's `model`), so the hashed
 * copies are never fetched (30 MB, mostly onnxruntime-web's JSEP wasm).
 */
const UNUSED_DEFAULT_COPIES = /^assets\/(ort-wasm-simd-threaded(\.jsep)?|HavokPhysics|attention-ranker)-[\w-]+\.(wasm|onnx)$/;

/** URL path (relative to the site's base) -> file on disk. */
function runtimeFiles(): Map<string, string> {
    const files = new Map<string, string>();
    // The plugin loads one of two onnxruntime-web builds (plugin/model/onnxRuntime.ts): the
    // default bundle, built on the JSEP variant, loads ort-wasm-simd-threaded.jsep.{mjs,wasm}
    // from `wasmPaths` for the WASM and the WebGPU providers alike; the WASM-only bundle
    // (`onnxruntime-web/wasm`, where WebGPU cannot run or `?backend=wasm`) loads
    // ort-wasm-simd-threaded.{mjs,wasm}. A page fetches one pair. The JSPI and asyncify variants
    // (43 MB) are never requested, so they are neither served nor copied.
    const ortDist = join(nodeModules, "onnxruntime-web", "dist");
    for (const name of ORT_FILES) {
        files.set(`ort/${name}`, join(ortDist, name));
    }
    files.set("havok/HavokPhysics.wasm", join(nodeModules, "@babylonjs", "havok", "lib", "esm", "HavokPhysics.wasm"));
    files.set("models/attention-ranker.onnx", join(repoRoot, "models", "attention-ranker.onnx"));
    files.set("models/attention-ranker.manifest.json", join(repoRoot, "models", "attention-ranker.manifest.json"));
    return files;
}

const contentTypes: Record<string, string> = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".onnx": "application/octet-stream",
    ".json": "application/json",
};

/**
 * Serves the runtime files straight from node_modules in dev and preview (before Vite's own
 * transforms, so the .mjs glue is delivered byte for byte), and copies them into the build.
 */
function localRuntimeFiles(): Plugin {
    const files = runtimeFiles();
    const middleware: Connect.NextHandleFunction = (req, res, next) => {
        const path = decodeURIComponent((req.url ?? "").split("?")[0]).replace(/^\/+/, "");
        const file = files.get(path);
        if (!file) {
            next();
            return;
        }
        const ext = file.slice(file.lastIndexOf("."));
        res.setHeader("Content-Type", contentTypes[ext] ?? "application/octet-stream");
        res.setHeader("Content-Length", statSync(file).size);
        res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
        for (const [key, value] of Object.entries(isolationHeaders)) {
            res.setHeader(key, value);
        }
        createReadStream(file).pipe(res);
    };
    return {
        name: "sample-world-local-runtime-files",
        configureServer(server) {
            server.middlewares.use(middleware);
        },
        configurePreviewServer(server) {
            server.middlewares.use(middleware);
        },
        generateBundle(_options, bundle) {
            for (const fileName of Object.keys(bundle)) {
                if (UNUSED_DEFAULT_COPIES.test(fileName)) {
                    delete bundle[fileName];
                }
            }
            for (const [fileName, file] of files) {
                if (!existsSync(file)) {
                    this.error(`missing runtime file ${file} (run npm install)`);
                }
                this.emitFile({ type: "asset", fileName, source: readFileSync(file) });
            }
        },
    };
}

export default defineConfig({
    root,
    base: "./", // relative asset URLs: the built site works from any folder of any static server
    publicDir: false,
    clearScreen: false,
    server: {
        host: "localhost",
        port: 5173,
        strictPort: false,
        headers: isolationHeaders,
        fs: { allow: [repoRoot] },
    },
    preview: {
        host: "localhost",
        port: 4173,
        strictPort: false,
        headers: isolationHeaders,
    },
    optimizeDeps: {
        entries: ["index.html"],
        // Havok's and onnxruntime-web's glue locate their files themselves (we pass the URLs);
        // pre-bundling them would only move files around.
        exclude: ["@babylonjs/havok", "onnxruntime-web"],
    },
    build: {
        outDir: "dist",
        emptyOutDir: true,
        target: "es2022",
        chunkSizeWarningLimit: 8000,
        reportCompressedSize: false,
    },
    plugins: [localRuntimeFiles()],
});
