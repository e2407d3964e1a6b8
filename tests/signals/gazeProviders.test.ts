import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { Ray } from "@babylonjs/core/Culling/ray";
import { Logger } from "@babylonjs/core/Misc/logger";
import type { WebXREyeTracking } from "@babylonjs/core/XR/features/WebXREyeTracking";
import { Subject } from "rxjs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CameraGazeProvider } from "../../plugin/signals/cameraGazeProvider";
import { FallbackGazeProvider } from "../../plugin/signals/fallbackGazeProvider";
import { createGazeSample, type IGazeProvider, type IGazeSample } from "../../plugin/signals/gazeSample";
import { ObservableGazeProvider } from "../../plugin/signals/observableGazeProvider";
import { PointerGazeProvider } from "../../plugin/signals/pointerGazeProvider";
import { XREyeGazeProvider } from "../../plugin/signals/xrEyeGazeProvider";
import { createTestWorld, type ITestWorld } from "../helpers/testScene";

let world: ITestWorld;
const time = { nowMs: 1000 };

beforeEach(() => {
    world = createTestWorld();
});

afterEach(() => {
    vi.restoreAllMocks();
    world.dispose();
});

function sample(origin: [number, number, number], direction: [number, number, number], timeMs = 1000): IGazeSample {
    return { origin: { x: origin[0], y: origin[1], z: origin[2] }, direction: { x: direction[0], y: direction[1], z: direction[2] }, confidence: 1, time: timeMs };
}

/** A provider that answers (or not) with a fixed ray, counting its disposals. */
function fixedProvider(name: string, answers: boolean, x = 0): IGazeProvider & { disposed: number } {
    return {
        name,
        disposed: 0,
        read(out, t) {
            if (!answers) {
                return false;
            }
            out.direction.x = x;
            out.time = t.nowMs;
            return true;
        },
        dispose() {
            this.disposed++;
        },
    };
}

describe("CameraGazeProvider", () => {
    it("gazes along the camera's forward axis from its position, in left- and right-handed scenes", () => {
        const provider = new CameraGazeProvider(world.camera);
        const out = createGazeSample();
        expect(provider.read(out, time)).toBe(true);
        expect(out.origin.x).toBeCloseTo(0, 6);
        expect(out.origin.y).toBeCloseTo(1.6, 5);
        expect(out.origin.z).toBeCloseTo(0, 6);
        expect(out.direction.z).toBeCloseTo(1, 5);
        expect(out.time).toBe(1000);

        world.scene.useRightHandedSystem = true;
        world.camera.rotation.set(0, 0, 0);
        world.camera.computeWorldMatrix();
        provider.read(out, time);
        expect(out.direction.z).toBeCloseTo(-1, 5);
    });

    it("has no gaze once its camera is disposed", () => {
        const provider = new CameraGazeProvider(world.camera);
        world.camera.dispose();
        expect(provider.read(createGazeSample(), time)).toBe(false);
    });
});

describe("PointerGazeProvider", () => {
    it("gazes along the picking ray under the pointer: forward at the centre, to the left of it left of centre", () => {
        const provider = new PointerGazeProvider(world.scene, world.camera);
        const engine = world.scene.getEngine();
        const out = createGazeSample();
        world.scene.pointerX = engine.getRenderWidth() / 2;
        world.scene.pointerY = engine.getRenderHeight() / 2;
        expect(provider.read(out, time)).toBe(true);
        expect(out.direction.z).toBeGreaterThan(0.99);
        expect(Math.abs(out.direction.x)).toBeLessThan(0.01);

        world.scene.pointerX = 0;
        provider.read(out, time);
        expect(out.direction.x).toBeLessThan(-0.1);
        expect(Math.hypot(out.direction.x, out.direction.y, out.direction.z)).toBeCloseTo(1, 5);
    });

    it("has no gaze without a camera", () => {
        world.scene.activeCamera = null;
        expect(new PointerGazeProvider(world.scene).read(createGazeSample(), time)).toBe(false);
    });
});

describe("XREyeGazeProvider", () => {
    it("copies the eye ray with its lower confidence, and has no gaze while the tracker has none", () => {
        let gaze: Ray | null = new Ray(new Vector3(1, 1.7, 0), new Vector3(0, 0, 1));
        const tracker = { attached: true, getEyeGaze: () => gaze } as unknown as WebXREyeTracking;
        const provider = new XREyeGazeProvider(tracker, 0.8);
        const out = createGazeSample();
        expect(provider.read(out, time)).toBe(true);
        expect([out.origin.x, out.origin.y, out.direction.z, out.confidence]).toEqual([1, expect.closeTo(1.7, 5), 1, 0.8]);

        gaze = null; // a blink
        expect(provider.read(out, time)).toBe(false);
        (tracker as { attached: boolean }).attached = false;
        gaze = new Ray(new Vector3(0, 0, 0), new Vector3(1, 0, 0));
        expect(provider.read(out, time)).toBe(false);
    });
});

describe("FallbackGazeProvider", () => {
    it("reads the first provider that has a gaze and says which one answered", () => {
        const eyes = fixedProvider("xr-eyes", false);
        const head = fixedProvider("camera", true, 0.5);
        const provider = new FallbackGazeProvider([eyes, head]);
        const out = createGazeSample();
        expect(provider.name).toBe("xr-eyes>camera");
        expect(provider.read(out, time)).toBe(true);
        expect(provider.activeName).toBe("camera");
        expect(out.direction.x).toBe(0.5);
        expect(new FallbackGazeProvider([eyes]).read(out, time)).toBe(false);
        provider.dispose();
        expect([eyes.disposed, head.disposed]).toEqual([1, 1]);
    });

    it("needs at least one provider", () => {
        expect(() => new FallbackGazeProvider([])).toThrow(/at least one gaze provider/);
    });
});

describe("ObservableGazeProvider", () => {
    it("copies the latest sample with a unit direction, and has no gaze once it is older than maxAgeMs", () => {
        const source = new Subject<IGazeSample>();
        const provider = new ObservableGazeProvider(source, 500);
        const out = createGazeSample();
        expect(provider.read(out, time)).toBe(false);
        source.next(sample([1, 2, 3], [0, 0, 2], 900));
        expect(provider.read(out, time)).toBe(true);
        expect([out.origin.x, out.origin.y, out.origin.z, out.direction.z]).toEqual([1, 2, 3, 1]);
        expect(provider.read(out, { nowMs: 1401 })).toBe(false);
        provider.dispose();
        expect(source.observed).toBe(false);
    });

    it("skips a NaN sample with one warning and keeps the last good gaze; a failing stream is one warning, never an unhandled error", () => {
        const warnings: string[] = [];
        vi.spyOn(Logger, "Warn").mockImplementation((message) => void warnings.push(String(message)));
        const source = new Subject<IGazeSample>();
        const provider = new ObservableGazeProvider(source);
        const out = createGazeSample();
        source.next(sample([0, 1, 0], [1, 0, 0]));
        expect(() => source.next(sample([NaN, 1, 0], [1, 0, 0]))).not.toThrow();
        source.next(sample([0, 1, 0], [0, 0, 0]));
        expect(provider.read(out, time)).toBe(true);
        expect([out.origin.x, out.direction.x]).toEqual([0, 1]);
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toMatch(/needs finite origin .* the sample is skipped and the last good one kept/);

        expect(() => source.error(new Error("tracker unplugged"))).not.toThrow();
        expect(warnings[1]).toMatch(/the gaze stream failed \(tracker unplugged\)/);
    });
});
