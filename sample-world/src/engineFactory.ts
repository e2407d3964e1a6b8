import type { AbstractEngine } from "@babylonjs/core/Engines/abstractEngine";
import { Engine } from "@babylonjs/core/Engines/engine";
import { WebGPUEngine } from "@babylonjs/core/Engines/webgpuEngine";

export interface ICreatedEngine {
    engine: AbstractEngine;
    /** The engine actually running. */
    kind: "webgpu" | "webgl2";
    /** Why WebGPU was not used, when it was asked for and failed. */
    fallbackReason: string | null;
}

/**
 * WebGPU when asked for and available, else WebGL2. Both with a stencil buffer, which the
 * focus highlight (HighlightLayer) needs, and without MSAA: the post-process pipeline's FXAA
 * smooths edges for a fraction of the cost on software GPUs (SwiftShader, llvmpipe).
 */
export async function createEngineAsync(canvas: HTMLCanvasElement, preferred: "webgpu" | "webgl2"): Promise<ICreatedEngine> {
    let fallbackReason: string | null = null;
    if (preferred === "webgpu") {
        try {
            if (!(await WebGPUEngine.IsSupportedAsync)) {
                throw new Error("this browser has no WebGPU adapter");
            }
            const engine = new WebGPUEngine(canvas, { stencil: true, antialias: false, adaptToDeviceRatio: true });
            await engine.initAsync();
            return { engine, kind: "webgpu", fallbackReason };
        } catch (error) {
            fallbackReason = (error as Error).message;
            console.warn(`WebGPU unavailable (${fallbackReason}); falling back to WebGL2.`);
        }
    }
    const engine = new Engine(canvas, false, { stencil: true, preserveDrawingBuffer: true }, true);
    if (engine.webGLVersion < 2) {
        throw new Error(`this browser offers WebGL${engine.webGLVersion} only; the tour needs WebGL2 or WebGPU`);
    }
    return { engine, kind: "webgl2", fallbackReason };
}
