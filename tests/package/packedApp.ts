import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The repository root. */
export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const templateDir = fileURLToPath(new URL("./app", import.meta.url));
const tscBin = join(repoRoot, "node_modules", "typescript", "bin", "tsc");

// npm resolves from its cache first: only a Babylon version it has not seen goes to the registry.
const NPM_INSTALL_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];

/** Runs `npm pack` on the repository (prepack builds dist/) into a fresh folder; returns the tarball. */
export async function packAsync(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "babylon-attention-pack-"));
    const { stdout } = await run("npm", ["pack", "--pack-destination", dir, "--json", "--loglevel=error"], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
    const [info] = JSON.parse(stdout.slice(stdout.indexOf("["))) as Array<{ filename: string }>;
    return join(dir, info!.filename);
}

/**
 * The Babylon versions the package test runs against: the lowest the peer range allows and the
 * newest 9.x on the registry. `BABYLON_VERSIONS=9.28.0,9.37.1` pins them (offline reruns).
 */
export async function babylonVersionsAsync(): Promise<string[]> {
    if (process.env.BABYLON_VERSIONS) {
        return process.env.BABYLON_VERSIONS.split(",").map((v) => v.trim());
    }
    const pkg = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")) as { peerDependencies: Record<string, string> };
    const lowest = pkg.peerDependencies["@babylonjs/core"]!.replace(/^[\^~>=]+/, "");
    const { stdout } = await run("npm", ["view", `@babylonjs/core@^${lowest.split(".")[0]}`, "version", "--json"]);
    const listed = JSON.parse(stdout) as string | string[];
    const newest = (Array.isArray(listed) ? listed : [listed]).filter((v) => !v.includes("-")).sort(compareVersions).at(-1)!;
    return newest === lowest ? [lowest] : [lowest, newest];
}

function compareVersions(a: string, b: string): number {
    const pa = a.split(".").map(Number);
    const pb = b.split(".").map(Number);
    return pa[0]! - pb[0]! || pa[1]! - pb[1]! || pa[2]! - pb[2]!;
}

/** A fresh app (tests/package/app) in a temporary folder with the tarball installed. */
export interface IPackedApp {
    readonly dir: string;
    /** Versions npm installed, e.g. `{ "@babylonjs/core": "9.28.0" }`. */
    readonly installed: Record<string, string>;
    disposeAsync(): Promise<void>;
}

/**
 * Copies the app template and installs the tarball with one Babylon version. @babylonjs/gui and
 * addons are taken at their newest release up to that version (they are not always published
 * with core), recast because the navigation subpath's types name it.
 */
export async function createPackedAppAsync(tarball: string, babylonVersion: string): Promise<IPackedApp> {
    const dir = await mkdtemp(join(tmpdir(), `babylon-attention-app-${babylonVersion}-`));
    await cp(templateDir, dir, { recursive: true });
    await writeFile(join(dir, "package.json"), JSON.stringify({ name: "packed-app", private: true, type: "module" }, null, 2));
    const deps = [
        tarball,
        `@babylonjs/core@${babylonVersion}`,
        `@babylonjs/gui@>=9.28.0 <=${babylonVersion}`,
        `@babylonjs/addons@>=9.28.0 <=${babylonVersion}`,
        "@recast-navigation/core@0.43.1",
        "@recast-navigation/generators@0.43.1",
    ];
    await run("npm", ["install", ...NPM_INSTALL_FLAGS, ...deps], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
    const installed: Record<string, string> = {};
    for (const name of ["babylon-attention", "@babylonjs/core", "@babylonjs/gui", "@babylonjs/addons"]) {
        installed[name] = (JSON.parse(await readFile(join(dir, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
    }
    return { dir, installed, disposeAsync: () => rm(dir, { recursive: true, force: true }) };
}

/** One TypeScript diagnostic line, e.g. `src/main.ts(3,1): error TS2307: ...`. */
export interface ITypeCheckResult {
    /** Diagnostics in the app or in babylon-attention's declarations. */
    ours: string[];
    /** Diagnostics inside @babylonjs/* declarations (see the test for why they are apart). */
    babylon: string[];
}

/** Runs the repository's tsc on the app's tsconfig (strict, skipLibCheck: false). */
export async function typeCheckAsync(app: IPackedApp): Promise<ITypeCheckResult> {
    let output = "";
    try {
        await run(process.execPath, [tscBin, "-p", "tsconfig.json", "--pretty", "false"], { cwd: app.dir, maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
        output = (error as { stdout?: string }).stdout ?? String(error);
    }
    const lines = output.split("\n").filter((line) => /error TS\d+/.test(line));
    return {
        ours: lines.filter((line) => !line.startsWith("node_modules/@babylonjs/")),
        babylon: lines.filter((line) => line.startsWith("node_modules/@babylonjs/")),
    };
}

/** `vite build` of the app with the repository's Vite and no config: what a new Vite app does. */
export async function viteBuildAsync(app: IPackedApp): Promise<string[]> {
    const { build } = await import("vite");
    await build({ root: app.dir, configFile: false, logLevel: "error", build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 4096 } });
    return readdir(join(app.dir, "dist", "assets"));
}

const CONTENT_TYPES: Record<string, string> = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".onnx": "application/octet-stream",
    ".json": "application/json",
};

/** A static file server over a built app, as any web host would serve it. */
export interface IStaticServer {
    readonly origin: string;
    /** Every path requested so far, from the page and from its workers alike. */
    readonly requested: readonly string[];
    closeAsync(): Promise<void>;
}

export async function serveStaticAsync(root: string): Promise<IStaticServer> {
    const base = resolve(root);
    const requested: string[] = [];
    const server: Server = createServer((request, response) => {
        const path = normalize(decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname));
        requested.push(path);
        const file = join(base, path.endsWith("/") ? `${path}index.html` : path);
        if (!file.startsWith(base)) {
            response.writeHead(403).end();
            return;
        }
        readFile(file).then(
            (body) => response.writeHead(200, { "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream" }).end(body),
            () => response.writeHead(404).end(),
        );
    });
    await new Promise<void>((done) => server.listen(0, "localhost", done));
    const { port } = server.address() as AddressInfo;
    return {
        origin: `http://localhost:${port}`,
        requested,
        closeAsync: () => new Promise<void>((done) => server.close(() => done())),
    };
}

/** What node-check.mjs and the browser page report. */
export interface IFocusReport {
    backend: string;
    modelUrl: string;
    focusAfterTurns: Array<string | null>;
    subpaths?: Record<string, string>;
    /** Whether the model ran in the plugin's model worker (the browser page reports it). */
    modelInWorker?: boolean;
}

/** Runs node-check.mjs with plain `node`: no bundler, no TypeScript, no loader. */
export async function runNodeCheckAsync(app: IPackedApp): Promise<IFocusReport> {
    const { stdout } = await run(process.execPath, ["node-check.mjs"], { cwd: app.dir, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 });
    const line = stdout.trim().split("\n").at(-1)!;
    return JSON.parse(line) as IFocusReport;
}

