import { Logger } from "@babylonjs/core/Misc/logger";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AttentionPlugin } from "../../plugin/attentionPlugin";
import { createTestWorld } from "../helpers/testScene";
import { MODEL_PATH, ORT_WASM_PATH } from "../model/modelFixtures";
import { serve, stopServer } from "../model/testServer";

afterEach(stopServer);

describe("AttentionPlugin with an untrusted model server", () => {
    it("ranks with the heuristic while a stalled download hangs, and dispose() settles whenModelReadyAsync and closes the socket", async () => {
        const http = await serve(() => {});
        const world = createTestWorld();
        const attention = await AttentionPlugin.CreateAsync(world.scene, { model: http.url, backend: "wasm", autoTick: false, occlusion: "none", clock: world.clock.read });
        await http.requested;
        expect(attention.backend).toBe("heuristic");
        attention.dispose();
        const settled = await Promise.race([attention.whenModelReadyAsync(), new Promise((resolve) => setTimeout(() => resolve("still pending"), 2000))]);
        expect(settled).toBe("heuristic");
        await http.allClosedAsync();
        world.dispose();
    }, 30_000);

    it("falls back to the heuristic when the packaged model's hash does not match, with one warning", async () => {
        const world = createTestWorld();
        const warn = vi.spyOn(Logger, "Warn").mockImplementation(() => {});
        const attention = await AttentionPlugin.CreateAsync(world.scene, { model: MODEL_PATH, modelSha256: "0".repeat(64), backend: "wasm", wasmPaths: ORT_WASM_PATH, autoTick: false, occlusion: "none", clock: world.clock.read });
        expect(await attention.whenModelReadyAsync()).toBe("heuristic");
        expect(warn).toHaveBeenCalledTimes(1);
        expect(String(warn.mock.calls[0][0])).toContain(`does not match the expected ${"0".repeat(64)}`);
        warn.mockRestore();
        attention.dispose();
        world.dispose();
    }, 30_000);

    it("checks its model options once, naming the one out of range", async () => {
        const world = createTestWorld();
        await expect(AttentionPlugin.CreateAsync(world.scene, { maxModelBytes: 10 })).rejects.toThrow("AttentionPlugin: maxModelBytes must be an integer in [1024, 2147483648]; got 10");
        await expect(AttentionPlugin.CreateAsync(world.scene, { modelLoadTimeoutMs: 0 })).rejects.toThrow("AttentionPlugin: modelLoadTimeoutMs must be an integer in [100, 600000]; got 0");
        world.dispose();
    });
});
