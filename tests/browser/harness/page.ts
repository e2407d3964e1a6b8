import type { Browser, BrowserContext, Page } from "playwright-core";
import { decodePng, type IRgbaImage } from "./png.js";

/**
 * What a test page puts on `window`: `__testReady` resolves (with anything JSON-serialisable)
 * once the scene has rendered, or rejects with the reason it could not.
 */
export interface ITestWindow {
    __testReady?: Promise<unknown>;
}

/** Query parameters for a test page, e.g. `{ engine: "webgpu" }`. */
export type PageQuery = Record<string, string | number | boolean>;

const viewport = { width: 640, height: 480 };

/**
 * One test page in its own browser context, with every console error and uncaught page error
 * recorded, so a test can assert the page ran cleanly and a failure message can say why.
 */
export class TestPage {
    /** `console.error` messages, in order. */
    public readonly consoleErrors: string[] = [];
    /** Uncaught exceptions and unhandled rejections, in order. */
    public readonly pageErrors: string[] = [];
    /** Responses with an HTTP error status, as `status url`. */
    public readonly failedRequests: string[] = [];

    private constructor(
        public readonly page: Page,
        private readonly _context: BrowserContext,
    ) {
        page.on("console", (message) => {
            if (message.type() === "error") {
                const where = message.location().url;
                this.consoleErrors.push(where ? `${message.text()} (${where})` : message.text());
            }
        });
        page.on("pageerror", (error) => this.pageErrors.push(error.stack ?? error.message));
        // Chromium's console line for a 404 omits the URL; record it here so failures say which.
        page.on("response", (response) => {
            if (response.status() >= 400) {
                this.failedRequests.push(`${response.status()} ${response.url()}`);
            }
        });
    }

    /** Opens `origin + path` with the query in a fresh context (no shared cache or storage). */
    public static async OpenAsync(browser: Browser, origin: string, path: string, query: PageQuery = {}): Promise<TestPage> {
        const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
        const testPage = new TestPage(await context.newPage(), context);
        const search = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)]));
        const url = `${origin}/${path.replace(/^\//, "")}${search.size > 0 ? `?${search}` : ""}`;
        try {
            await testPage.page.goto(url, { waitUntil: "load" });
        } catch (error) {
            await context.close();
            throw error;
        }
        return testPage;
    }

    /** Every problem the page reported so far, one per line; empty when it ran cleanly. */
    public get problems(): string {
        return [
            ...this.pageErrors.map((e) => `pageerror: ${e}`),
            ...this.consoleErrors.map((e) => `console.error: ${e}`),
            ...this.failedRequests.map((e) => `http: ${e}`),
        ].join("\n");
    }

    /** Waits for `window.__testReady` to be set and settle; returns what it resolved to. */
    public async waitReadyAsync<T = unknown>(timeoutMs = 60_000): Promise<T> {
        const deadline = Date.now() + timeoutMs;
        try {
            await this.page.waitForFunction(() => (window as unknown as ITestWindow).__testReady !== undefined, undefined, { timeout: timeoutMs });
            return await withTimeoutAsync(
                this.page.evaluate(() => (window as unknown as ITestWindow).__testReady) as Promise<T>,
                Math.max(1, deadline - Date.now()),
                "window.__testReady did not settle",
            );
        } catch (error) {
            throw new Error(`${(error as Error).message}\n${this.problems}`);
        }
    }

    /** Screenshot of the first canvas on the page, decoded to RGBA. */
    public async screenshotCanvasAsync(path?: string): Promise<IRgbaImage> {
        const png = await this.page.locator("canvas").first().screenshot(path ? { path } : {});
        return decodePng(png);
    }

    public async closeAsync(): Promise<void> {
        await this._context.close();
    }
}

/** The RGBA of one pixel, as a plain array for readable assertions. */
export function pixelAt(image: IRgbaImage, x: number, y: number): [number, number, number, number] {
    const i = (Math.floor(y) * image.width + Math.floor(x)) * 4;
    return [image.data[i], image.data[i + 1], image.data[i + 2], image.data[i + 3]];
}

/** Largest per-channel difference between two RGB(A) colours (alpha ignored). */
export function colourDistance(a: readonly number[], b: readonly number[]): number {
    return Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2]));
}

function withTimeoutAsync<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
