import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromiumAsync } from "./harness/browser.js";
import { ensureDisplayAsync, type ITestDisplay } from "./harness/display.js";
import { TestPage } from "./harness/page.js";

// The built sample world (what `npm run build` makes) served with a Content-Security-Policy, as
// docs/security.md says a game may: scripts from its own origin, WebAssembly allowed, nothing else.
const CSP = "script-src 'self' 'wasm-unsafe-eval'";
/** The same without WebAssembly, served under /no-wasm/. */
const CSP_NO_WASM = "script-src 'self'";
/** The same with workers forbidden, served under /no-worker/: the model must rank on the main thread. */
const CSP_NO_WORKER = "script-src 'self' 'wasm-unsafe-eval'; worker-src 'none'";
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".wasm": "application/wasm",
    ".json": "application/json",
};

interface ICspWindow {
    __cspViolations?: string[];
    __tour?: { ready: Promise<void>; modelReady: Promise<string>; attention: { wasmProxy: { enabled: boolean; transport: string | null; reason: string } | null } };
}

const ISOLATION_HEADERS = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "Cross-Origin-Resource-Policy": "same-origin",
};

/** A static server for the built site: every response carries the CSP (CSP_NO_WASM under /no-wasm/, CSP_NO_WORKER under /no-worker/) and, but for /no-worker/, the isolation headers the world expects. */
async function serveStaticAsync(dir: string): Promise<{ origin: string; server: Server }> {
    const server = createServer((req, res) => {
        const requested = decodeURIComponent((req.url ?? "/").split("?")[0]);
        const variant = /^\/(no-wasm|no-worker)\//.exec(requested)?.[1];
        const path = variant ? requested.slice(variant.length + 1) : requested;
        const file = normalize(join(dir, path.endsWith("/") ? `${path}index.html` : path));
        if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
            res.writeHead(404).end();
            return;
        }
        res.writeHead(200, {
            "Content-Type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
            "Content-Security-Policy": variant === "no-wasm" ? CSP_NO_WASM : variant === "no-worker" ? CSP_NO_WORKER : CSP,
            // Not isolated without workers: the world then asks for 1 WASM thread, as threads are workers too.
            ...(variant === "no-worker" ? {} : ISOLATION_HEADERS),
        });
        createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve) => server.listen(0, "localhost", resolve));
    return { origin: `http://localhost:${(server.address() as AddressInfo).port}`, server };
}

describe("the built sample world under a strict Content-Security-Policy", () => {
    const outDir = mkdtempSync(join(tmpdir(), "sample-world-csp-"));
    let display: ITestDisplay | undefined;
    let browser: Browser | undefined;
    let site: { origin: string; server: Server } | undefined;

    beforeAll(async () => {
        const [shown] = await Promise.all([
            ensureDisplayAsync(),
            build({ configFile: join(repoRoot, "sample-world", "vite.config.ts"), logLevel: "error", build: { outDir, emptyOutDir: true } }),
        ]);
        display = shown;
        site = await serveStaticAsync(outDir);
        browser = await launchChromiumAsync(display.display);
    }, 300_000);

    afterAll(async () => {
        await browser?.close().catch(() => undefined);
        await new Promise((resolve) => (site ? site.server.close(resolve) : resolve(undefined)));
        await display?.releaseAsync().catch(() => undefined);
        rmSync(outDir, { recursive: true, force: true });
    });

    /** Opens the world at `path` with a listener for CSP violations in place before its scripts run. */
    async function openWorldAsync(path: string): Promise<TestPage> {
        const page = await TestPage.OpenAsync(browser!, "data:text/html,", "");
        await page.page.addInitScript(() => {
            const violations: string[] = [];
            (window as ICspWindow).__cspViolations = violations;
            document.addEventListener("securitypolicyviolation", (e) => violations.push(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));
        });
        await page.page.goto(`${site!.origin}${path}?scale=2&shadows=0&dof=0&hud=0`, { waitUntil: "load", timeout: 120_000 });
        await page.page.waitForFunction(() => (window as ICspWindow).__tour !== undefined, undefined, { timeout: 60_000 });
        return page;
    }

    it(`loads, runs the model and reports no violation under "${CSP}"`, async () => {
        const page = await openWorldAsync("/index.html");
        try {
            await page.page.evaluate(() => (window as ICspWindow).__tour!.ready);
            const backend = await page.page.evaluate(() => (window as ICspWindow).__tour!.modelReady);
            expect(backend).not.toBe("heuristic");
            // The built site's model worker chunk starts under 'self' and runs the model, its runs
            // through shared memory on this cross-origin-isolated page (with 2 WASM threads in the worker).
            await expect(page.page.evaluate(() => (window as ICspWindow).__tour!.attention.wasmProxy)).resolves.toMatchObject({ enabled: true, transport: "shared-memory" });
            await expect(page.page.evaluate(() => (window as ICspWindow).__cspViolations)).resolves.toEqual([]);
            expect(page.problems).toBe("");
            // The policy is in force and the listener hears it: an inline script is refused and reported.
            const inline = await page.page.evaluate(async () => {
                const script = document.createElement("script");
                script.textContent = "window.__inlineRan = true";
                document.head.appendChild(script);
                await new Promise((resolve) => setTimeout(resolve, 100));
                return { ran: (window as { __inlineRan?: boolean }).__inlineRan === true, violations: (window as ICspWindow).__cspViolations!.length };
            });
            expect(inline).toEqual({ ran: false, violations: 1 });
        } finally {
            await page.closeAsync();
        }
    }, 240_000);

    it(`ranks on the main thread under "${CSP_NO_WORKER}", the blocked worker named in wasmProxy's reason`, async () => {
        const page = await openWorldAsync("/no-worker/index.html");
        try {
            await page.page.evaluate(() => (window as ICspWindow).__tour!.ready);
            const backend = await page.page.evaluate(() => (window as ICspWindow).__tour!.modelReady);
            expect(backend).not.toBe("heuristic");
            const proxy = await page.page.evaluate(() => (window as ICspWindow).__tour!.attention.wasmProxy);
            expect(proxy?.enabled).toBe(false);
            expect(proxy?.reason).toContain("Content-Security-Policy forbids it: worker-src");
            // The model worker's refusal is the only violation: the page tried it once, then ranked here.
            const violations = await page.page.evaluate(() => (window as ICspWindow).__cspViolations!);
            expect(violations.length).toBeGreaterThan(0);
            expect(violations.every((v) => v.startsWith("worker-src blocked") && v.includes("onnxWorker"))).toBe(true);
        } finally {
            await page.closeAsync();
        }
    }, 240_000);

    it(`blocks WebAssembly under "${CSP_NO_WASM}", reporting the violation; the world says it cannot start (Havok needs WebAssembly too)`, async () => {
        const page = await openWorldAsync("/no-wasm/index.html");
        try {
            const outcome = await page.page.evaluate(async () => {
                const tour = (window as ICspWindow).__tour! as { ready: Promise<void>; error?: string | null };
                const started = await tour.ready.then(() => true, () => false);
                return { started, error: tour.error ?? null, violations: (window as ICspWindow).__cspViolations! };
            });
            expect(outcome.started).toBe(false);
            expect(outcome.error).toMatch(/WebAssembly|wasm/i);
            expect(outcome.violations.some((v) => v.startsWith("script-src") && v.includes("blocked wasm-eval"))).toBe(true);
        } finally {
            await page.closeAsync();
        }
    }, 240_000);
});
