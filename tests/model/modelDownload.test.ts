import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { OnnxModelError } from "../../plugin/model/onnxModelError";
import { OnnxScorer, type IOnnxScorerOptions } from "../../plugin/model/onnxScorer";
import { PACKAGED_MODEL_SHA256 } from "../../plugin/model/packagedModelHash";
import { MANIFEST_PATH, MODEL_PATH, ORT_WASM_PATH } from "./modelFixtures";
import { serve, stopServer } from "./testServer";

const MODEL_BYTES = new Uint8Array(readFileSync(MODEL_PATH));
const MANIFEST = JSON.parse(readFileSync(MANIFEST_PATH, "utf8")) as { sha256: string };

/** Streams zeros in 64 KiB writes until `total` bytes or the client goes away. */
function streamZeros(res: ServerResponse, count: (n: number) => void, total: number): void {
    const block = new Uint8Array(65536);
    let written = 0;
    const pump = () => {
        while (written < total && !res.destroyed) {
            written += block.length;
            count(block.length);
            if (!res.write(block)) {
                res.once("drain", pump);
                return;
            }
        }
        if (!res.destroyed) res.end();
    };
    pump();
}

afterEach(stopServer);

async function loadError(model: string | Uint8Array, options: Partial<IOnnxScorerOptions> = {}): Promise<OnnxModelError> {
    const result = await OnnxScorer.CreateAsync(model, { wasmPaths: ORT_WASM_PATH, numThreads: 1, ...options }).then(
        (scorer) => {
            scorer.dispose();
            return new Error("loaded");
        },
        (error: unknown) => error
    );
    expect(result).toBeInstanceOf(OnnxModelError);
    return result as OnnxModelError;
}

describe("model downloads under limits", () => {
    it("refuses a buffer over the default 4 MiB cap before handing it to the runtime", async () => {
        const error = await loadError(new Uint8Array(5 * 1024 * 1024));
        expect(error.kind).toBe("load-failed");
        expect(error.message).toContain("the buffer is 5242880 bytes, over maxModelBytes (4194304)");
    });

    it("gives up on a 4 GB Content-Length at once and closes the connection", async () => {
        const http = await serve((res) => {
            res.writeHead(200, { "content-length": String(4 * 1024 ** 3), "content-type": "application/octet-stream" });
            res.write(new Uint8Array(1024));
            // ...and nothing more: a server that stalls.
        });
        const error = await loadError(http.url);
        expect(error.message).toContain("the server's Content-Length is 4294967296 bytes, over maxModelBytes (4194304)");
        await http.allClosedAsync();
    }, 30_000);

    it("stops streaming a body with no Content-Length once it passes the cap", async () => {
        const http = await serve((res, count) => {
            res.writeHead(200, { "content-type": "application/octet-stream" });
            streamZeros(res, count, 64 * 1024 * 1024);
        });
        const error = await loadError(http.url, { maxModelBytes: 1024 * 1024 });
        expect(error.message).toMatch(/the response \(so far\) is \d+ bytes, over maxModelBytes \(1048576\)/);
        await http.allClosedAsync();
        expect(http.sent()).toBeLessThan(16 * 1024 * 1024);
    }, 30_000);

    it("times out a server that never answers and closes the socket", async () => {
        const http = await serve(() => {});
        const start = performance.now();
        const error = await loadError(http.url, { loadTimeoutMs: 300 });
        expect(error.message).toContain("the load took longer than loadTimeoutMs (300 ms)");
        expect(performance.now() - start).toBeLessThan(3000);
        await http.allClosedAsync();
    }, 30_000);

    it("abandons the load when its signal aborts", async () => {
        const http = await serve(() => {});
        const controller = new AbortController();
        void http.requested.then(() => controller.abort(new Error("level unloaded")));
        const error = await loadError(http.url, { signal: controller.signal });
        expect(error.message).toContain("level unloaded");
        await http.allClosedAsync();
    }, 30_000);

    it("checks the SHA-256 given, or the one of a manifest passed as io, unless integrity is off", async () => {
        const http = await serve((res) => res.end(MODEL_BYTES));
        const wrong = "0".repeat(64);
        expect((await loadError(http.url, { sha256: wrong })).message).toContain(`does not match the expected ${wrong}`);
        const manifest = JSON.parse(readFileSync(MANIFEST_PATH, "utf8")) as IOnnxScorerOptions["io"] & { sha256: string };
        expect((await loadError(MODEL_BYTES, { io: { ...manifest, sha256: wrong } as IOnnxScorerOptions["io"] })).message).toContain("sha256");
        for (const options of [{ sha256: MANIFEST.sha256 }, { io: manifest }, { io: { ...manifest, sha256: wrong } as IOnnxScorerOptions["io"], integrity: false }]) {
            const scorer = await OnnxScorer.CreateAsync(http.url, { wasmPaths: ORT_WASM_PATH, numThreads: 1, ...options });
            expect(scorer.backend).toBe("wasm");
            scorer.dispose();
        }
    }, 30_000);

    it("knows the packaged model's hash, the one its manifest records", () => {
        expect(createHash("sha256").update(MODEL_BYTES).digest("hex")).toBe(PACKAGED_MODEL_SHA256);
        expect(MANIFEST.sha256).toBe(PACKAGED_MODEL_SHA256);
    });
});
