import { spawn, type ChildProcess } from "node:child_process";

/** An X display for headed Chromium: the caller's own, or an Xvfb we started. */
export interface ITestDisplay {
    /** Value for the DISPLAY environment variable, e.g. `:99`. */
    readonly display: string;
    releaseAsync(): Promise<void>;
}

const startTimeoutMs = 15_000;

/**
 * Returns the current DISPLAY when there is one (xvfb-run, a desktop), otherwise starts Xvfb.
 * WebGPU rendering through Babylon needs headed Chromium here: in headless mode the
 * WebGPUEngine loses its device on the SwiftShader adapter.
 */
export async function ensureDisplayAsync(): Promise<ITestDisplay> {
    const existing = process.env.DISPLAY;
    if (existing) {
        return { display: existing, releaseAsync: async () => {} };
    }
    return startXvfbAsync();
}

/** `-displayfd` lets Xvfb pick a free display number itself: no race over lock files. */
function startXvfbAsync(): Promise<ITestDisplay> {
    return new Promise((resolve, reject) => {
        const xvfb: ChildProcess = spawn("Xvfb", ["-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp"], {
            stdio: ["ignore", "ignore", "pipe", "pipe"],
        });
        let stderr = "";
        let fdOutput = "";
        const timer = setTimeout(() => fail(new Error(`Xvfb did not report a display within ${startTimeoutMs} ms: ${stderr}`)), startTimeoutMs);
        const fail = (error: Error): void => {
            clearTimeout(timer);
            xvfb.kill("SIGKILL");
            reject(error);
        };
        xvfb.on("error", (error) => fail(new Error(`cannot start Xvfb (is the xvfb package installed?): ${error.message}`)));
        xvfb.on("exit", (code) => fail(new Error(`Xvfb exited early with code ${code}: ${stderr}`)));
        xvfb.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        const fdStream = xvfb.stdio[3] as NodeJS.ReadableStream;
        fdStream.on("data", (chunk: Buffer) => {
            fdOutput += chunk.toString();
            if (!fdOutput.includes("\n")) {
                return;
            }
            clearTimeout(timer);
            xvfb.removeAllListeners("exit");
            // A crashed or killed test worker must not leave Xvfb behind.
            const killOnExit = (): void => void xvfb.kill("SIGKILL");
            process.once("exit", killOnExit);
            resolve({
                display: `:${fdOutput.trim()}`,
                releaseAsync: async () => {
                    process.off("exit", killOnExit);
                    await stopAsync(xvfb);
                },
            });
        });
    });
}

function stopAsync(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) {
        return Promise.resolve();
    }
    return new Promise((resolve) => {
        const killTimer = setTimeout(() => child.kill("SIGKILL"), 3_000);
        child.once("exit", () => {
            clearTimeout(killTimer);
            resolve();
        });
        child.kill("SIGTERM");
    });
}
