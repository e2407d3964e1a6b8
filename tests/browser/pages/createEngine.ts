import { Engine } from "@babylonjs/core/Engines/engine";
import type { AbstractEngine } from "@babylonjs/core/Engines/abstractEngine";
import { WebGPUEngine } from "@babylonjs/core/Engines/webgpuEngine";

/** Which engine a test page runs on, from `?engine=webgpu|webgl2` (default webgpu). */
export type TestEngineKind = "webgpu" | "webgl2";

export function engineKindFromQuery(): TestEngineKind {
    const value = new URLSearchParams(location.search).get("engine") ?? "webgpu";
    if (value !== "webgpu" && value !== "webgl2") {
        throw new Error(`unknown ?engine=${value}; expected webgpu or webgl2`);
    }
    return value;
}

/** The slice of WebGPU's navigator API used here; TypeScript's DOM lib does not declare it. */
interface INavigatorGpu {
    gpu?: {
        requestAdapter(): Promise<{ info: { vendor: string; architecture: string; description: string } } | null>;
    };
}

/** Facts about the engine a page reports back to the test. */
export interface IEngineReport {
    kind: TestEngineKind;
    isWebGPU: boolean;
    /** 2 for the WebGL2 engine, 0 for WebGPU. */
    webGLVersion: number;
    /** The WebGPU adapter's vendor/architecture/description, or null when there is none. */
    adapter: { vendor: string; architecture: string; description: string } | null;
}

/**
 * Creates the engine the query asks for. Fails loudly instead of falling back, so a test named
 * "WebGPU" never silently runs on WebGL.
 */
export async function createTestEngineAsync(canvas: HTMLCanvasElement): Promise<{ engine: AbstractEngine; report: IEngineReport }> {
    const kind = engineKindFromQuery();
    if (kind === "webgpu") {
        const adapter = await (navigator as unknown as INavigatorGpu).gpu?.requestAdapter();
        if (!adapter) {
            throw new Error("navigator.gpu has no adapter: WebGPU is unavailable in this browser");
        }
        const engine = new WebGPUEngine(canvas, { antialias: false });
        await engine.initAsync();
        const info = adapter.info;
        return {
            engine,
            report: {
                kind,
                isWebGPU: engine.isWebGPU,
                webGLVersion: 0,
                adapter: { vendor: info.vendor, architecture: info.architecture, description: info.description },
            },
        };
    }
    const engine = new Engine(canvas, false, { preserveDrawingBuffer: true });
    if (engine.webGLVersion !== 2) {
        throw new Error(`expected a WebGL2 context, got WebGL${engine.webGLVersion}`);
    }
    return { engine, report: { kind, isWebGPU: engine.isWebGPU, webGLVersion: engine.webGLVersion, adapter: null } };
}

/** Resolves after `count` frames have been rendered, so screenshots show a finished frame. */
export function waitFramesAsync(engine: AbstractEngine, count: number): Promise<void> {
    return new Promise((resolve) => {
        let left = count;
        const observer = engine.onEndFrameObservable.add(() => {
            if (--left <= 0) {
                engine.onEndFrameObservable.remove(observer);
                resolve();
            }
        });
    });
}
