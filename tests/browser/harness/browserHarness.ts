import type { Browser } from "playwright-core";
import { launchChromiumAsync } from "./browser.js";
import { ensureDisplayAsync, type ITestDisplay } from "./display.js";
import { TestPage, type PageQuery } from "./page.js";
import { startTestServerAsync, type ITestServer, type ITestServerOptions } from "./server.js";

/**
 * Everything a browser test file needs: an X display, a Vite server over the repository and a
 * headed Chromium. Create one per test file in `beforeAll`, dispose it in `afterAll`.
 */
export class BrowserHarness {
    private readonly _pages = new Set<TestPage>();
    private _isDisposed = false;

    private constructor(
        public readonly display: ITestDisplay,
        public readonly server: ITestServer,
        public readonly browser: Browser,
    ) {}

    /** Starts display, server and browser; whatever started is stopped again if a later step fails. */
    public static async CreateAsync(serverOptions: ITestServerOptions = {}): Promise<BrowserHarness> {
        const [displayResult, serverResult] = await Promise.allSettled([ensureDisplayAsync(), startTestServerAsync(serverOptions)]);
        const display = displayResult.status === "fulfilled" ? displayResult.value : undefined;
        const server = serverResult.status === "fulfilled" ? serverResult.value : undefined;
        try {
            if (!display || !server) {
                throw displayResult.status === "rejected" ? displayResult.reason : (serverResult as PromiseRejectedResult).reason;
            }
            return new BrowserHarness(display, server, await launchChromiumAsync(display.display));
        } catch (error) {
            await settleAllAsync([server?.closeAsync(), display?.releaseAsync()]);
            throw error;
        }
    }

    /** Opens a page served from the repository root, e.g. `tests/browser/pages/smoke.html`. */
    public async openPageAsync(path: string, query: PageQuery = {}): Promise<TestPage> {
        const page = await TestPage.OpenAsync(this.browser, this.server.origin, path, query);
        this._pages.add(page);
        return page;
    }

    /** Closes pages, browser, server and display, in that order; safe to call twice. */
    public async disposeAsync(): Promise<void> {
        if (this._isDisposed) {
            return;
        }
        this._isDisposed = true;
        await settleAllAsync([...this._pages].map((page) => page.closeAsync()));
        await settleAllAsync([this.browser.close()]);
        await settleAllAsync([this.server.closeAsync(), this.display.releaseAsync()]);
    }
}

/** Waits for every step, so one failed clean-up never leaves the others undone. */
async function settleAllAsync(steps: ReadonlyArray<Promise<unknown> | undefined>): Promise<void> {
    const results = await Promise.allSettled(steps);
    for (const result of results) {
        if (result.status === "rejected") {
            console.warn("browser harness clean-up:", result.reason);
        }
    }
}
