import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import { Logger } from "@babylonjs/core/Misc/logger";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AttentionPlugin, type IAttentionWeights, type WeightName } from "../../plugin/index";
import { WEIGHT_NAMES } from "../../plugin/model/attentionWeights";
import { createTestWorld, type ITestWorld } from "../helpers/testScene";

// What each signal weight does to the ranking, on the heuristic and on the packaged model
// (warm): for each signal, a scene where that signal alone favours A and another signal favours
// B. With the signal's weight at 0 the other decides; with it high, the signal wins; each step up
// widens A's lead. And an event's lift fades with its half-life on both. Ticked from the render
// loop with more entities than the model's candidate limit, as a game runs it.

const FRAME_MS = 1000 / 30;
const HIGH = 4;
const WEIGHT_STEPS = [0, 0.5, 1, 2, HIGH];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let world: ITestWorld;
/** The backend the next scene ranks with: a test sets it, and it goes back to the heuristic after each test. */
let sceneBackend: "heuristic" | "wasm" = "heuristic";

beforeEach(() => {
    world = createTestWorld();
    vi.spyOn(Logger, "Warn").mockImplementation(() => {});
});

afterEach(() => {
    vi.restoreAllMocks();
    world.dispose();
    sceneBackend = "heuristic";
});

interface IScene {
    a: Mesh;
    b: Mesh;
    attention: AttentionPlugin;
    frameAsync(count?: number): Promise<void>;
}

/** Every weight 0 but `signal` and the competing `other`. */
function isolatedWeights(signal: WeightName, value: number, other: WeightName, otherValue: number): IAttentionWeights {
    const weights = Object.fromEntries(WEIGHT_NAMES.map((name) => [name, 0])) as unknown as IAttentionWeights;
    weights[other] = otherValue;
    weights[signal] = value;
    return weights;
}

/** A at `a`, B at `b` (both NPCs), and twelve far NPCs behind the player: more than the candidate limit of 8. */
async function createSceneAsync(a: [number, number, number], b: [number, number, number], options: { occluders?: Mesh[]; priorityA?: number } = {}): Promise<IScene> {
    const backend = sceneBackend;
    const attention = await AttentionPlugin.CreateAsync(world.scene, {
        camera: world.camera,
        clock: world.clock.read,
        backend,
        candidateLimit: 8,
        occlusion: options.occluders ?? "none",
    });
    expect(await attention.whenModelReadyAsync()).toBe(backend);
    const meshA = world.sphere("A", ...a);
    const meshB = world.sphere("B", ...b);
    attention.track(meshA, { kind: "npc", label: "A", priority: options.priorityA ?? 0 });
    attention.track(meshB, { kind: "npc", label: "B", priority: 0 });
    for (let i = 0; i < 12; i++) {
        attention.track(world.sphere(`filler${i}`, -11 + 2 * i, 1.6, -35), { kind: "npc", label: `filler ${i}`, priority: 0 });
    }
    return {
        a: meshA,
        b: meshB,
        attention,
        async frameAsync(count = 1) {
            for (let i = 0; i < count; i++) {
                world.clock.advance(FRAME_MS);
                world.scene.render();
                await sleep(0);
            }
        },
    };
}

/** A's score minus B's in the NPC ranking (both must be ranked). */
function leadOfA(scene: IScene): number {
    const npc = scene.attention.ranking.npc;
    const a = npc.find((e) => e.node === scene.a);
    const b = npc.find((e) => e.node === scene.b);
    expect(a && b, "A and B are both ranked").toBeTruthy();
    return a!.score - b!.score;
}

interface ISignalCase {
    signal: WeightName;
    /** The signal that favours B. */
    other: WeightName;
    otherWeight: number;
    /** Builds the scene and plays it until `signal` favours A; the weights are set before the first frame. */
    playAsync(weights: IAttentionWeights): Promise<IScene>;
}

async function withWeights(scene: IScene, weights: IAttentionWeights): Promise<IScene> {
    scene.attention.weights = weights;
    return scene;
}

/** The scene with the player standing still, looking ahead, for a third of a second. */
async function standAsync(weights: IAttentionWeights, a: [number, number, number], b: [number, number, number], options?: Parameters<typeof createSceneAsync>[2]): Promise<IScene> {
    const scene = await withWeights(await createSceneAsync(a, b, options), weights);
    await scene.frameAsync(10);
    return scene;
}

/** A at (-3, 10), B closer at (3, 8): the player looks at `first` for `frames` frames, then at `then` for 4. */
async function lookThenAwayAsync(weights: IAttentionWeights, first: [number, number, number], frames: number, then: [number, number, number]): Promise<IScene> {
    const scene = await withWeights(await createSceneAsync([-3, 1.6, 10], [3, 1.6, 8]), weights);
    world.lookAt(...first);
    await scene.frameAsync(frames);
    world.lookAt(...then);
    await scene.frameAsync(4);
    return scene;
}

const CASES: ISignalCase[] = [
    {
        // A straight ahead at 10 m, B 45 degrees to the left and closer.
        signal: "gaze",
        other: "proximity",
        otherWeight: 1,
        playAsync: (weights) => standAsync(weights, [0, 1.6, 10], [-4, 1.6, 4]),
    },
    {
        // The player looked at A for two seconds, then turned away from both; B is closer.
        signal: "dwell",
        other: "proximity",
        otherWeight: 1,
        playAsync: (weights) => lookThenAwayAsync(weights, [-3, 1.6, 10], 60, [30, 1.6, 0]),
    },
    {
        // A close on the left, B far ahead where the player looks.
        signal: "proximity",
        other: "gaze",
        otherWeight: 1,
        playAsync: (weights) => standAsync(weights, [-2, 1.6, 2.5], [0, 1.6, 12]),
    },
    {
        // A just spoke; B is closer.
        signal: "event",
        other: "proximity",
        otherWeight: 1,
        async playAsync(weights) {
            const scene = await withWeights(await createSceneAsync([-3, 1.6, 10], [3, 1.6, 8]), weights);
            await scene.frameAsync(3);
            scene.attention.emit({ target: scene.a, type: "speech" });
            await scene.frameAsync(4);
            return scene;
        },
    },
    {
        // A was given priority 1, B priority 0; B is closer.
        signal: "priority",
        other: "proximity",
        otherWeight: 1,
        playAsync: (weights) => standAsync(weights, [-3, 1.6, 10], [3, 1.6, 8], { priorityA: 1 }),
    },
    {
        // The player has looked at B for three seconds and never at A; now both lie off the gaze; B is closer.
        signal: "novelty",
        other: "proximity",
        otherWeight: 1,
        playAsync: (weights) => lookThenAwayAsync(weights, [3, 1.6, 8], 90, [0, 8, 10]),
    },
    {
        // A in plain sight; B closer, behind a wall.
        signal: "visibility",
        other: "proximity",
        otherWeight: 1,
        playAsync: (weights) => standAsync(weights, [-3, 1.6, 10], [3, 1.6, 8], { occluders: [world.box("wall", 3, 1.6, 5, 3, 3, 0.3)] }),
    },
    {
        // The player walks toward A, 15 m ahead; B stands closer, behind to the left.
        signal: "approach",
        other: "proximity",
        otherWeight: 1,
        async playAsync(weights) {
            const scene = await withWeights(await createSceneAsync([0, 1.6, 15], [-4, 1.6, -1]), weights);
            for (let i = 0; i < 45; i++) {
                world.camera.position.z += 1.4 * (FRAME_MS / 1000);
                await scene.frameAsync();
            }
            return scene;
        },
    },
];

/** Plays `c` at every weight step; each step's lead must beat the last, B ahead at 0, A ahead high. */
async function expectWeightSteersAsync(c: ISignalCase): Promise<void> {
    const leads: number[] = [];
    for (const value of WEIGHT_STEPS) {
        const scene = await c.playAsync(isolatedWeights(c.signal, value, c.other, c.otherWeight));
        leads.push(leadOfA(scene));
        scene.attention.dispose();
        world.dispose();
        world = createTestWorld();
    }
    const seen = `leads at weights ${WEIGHT_STEPS.join(", ")}: ${leads.map((l) => l.toFixed(3)).join(", ")}`;
    expect(leads[0], `${c.signal} 0: B ahead; ${seen}`).toBeLessThan(0);
    expect(leads[leads.length - 1], `${c.signal} ${HIGH}: A ahead; ${seen}`).toBeGreaterThan(0);
    for (let i = 1; i < leads.length; i++) {
        expect(leads[i], seen).toBeGreaterThan(leads[i - 1]);
    }
}

describe("signal weights on the heuristic", () => {
    it.each(CASES.map((c) => [c.signal, c] as const))("%s: at 0 the other signal decides, high it wins, and each step up widens its lead", async (_name, c) => {
        await expectWeightSteersAsync(c);
    });
});

describe("signal weights on the packaged model (warm, in the render loop)", () => {
    beforeEach(() => {
        sceneBackend = "wasm";
    });
    it.each(CASES.map((c) => [c.signal, c] as const))("%s: at 0 the other signal decides, high it wins, and each step up widens its lead", async (_name, c) => {
        await expectWeightSteersAsync(c);
    });
});

describe("an event's lift", () => {
    // On the model too: it ranks A first once A has spoken, and A then holds the plugin's focus,
    // which the network must not read back (or the lift would outlive the event).
    it.each(["heuristic", "wasm"] as const)("fades with its half-life on %s: clear after a second, gone after 30 s", async (backend) => {
        // Mirror twins either side of the gaze; A speaks.
        sceneBackend = backend;
        const scene = await createSceneAsync([-3, 1.6, 10], [3, 1.6, 10]);
        await scene.frameAsync(10);
        const before = leadOfA(scene);
        scene.attention.emit({ target: scene.a, type: "speech", halfLifeMs: 2000 });
        await scene.frameAsync(30);
        const afterOneSecond = leadOfA(scene) - before;
        for (let s = 0; s < 30; s++) {
            await scene.frameAsync(30);
        }
        const afterThirty = leadOfA(scene) - before;
        expect(afterOneSecond, "lift 1 s after the event").toBeGreaterThan(0.05);
        // 2^-15 of the event is left after 15 half-lives.
        expect(Math.abs(afterThirty), `lift 30 s after the event (1 s: ${afterOneSecond.toFixed(3)})`).toBeLessThan(0.05 * afterOneSecond);
    });
});
