import type { InstancedMesh } from "@babylonjs/core/Meshes/instancedMesh";
import "@babylonjs/core/Meshes/instancedMesh";
import { afterEach, describe, expect, it } from "vitest";
import { AttentionPlugin, type IAttentionPluginOptions } from "../../plugin/index";
import { Feature, FEATURE_COUNT } from "../../plugin/features/featureSchema";
import { DEFAULT_FEATURE_OPTIONS } from "../../plugin/features/featureOptions";
import { DEFAULT_REFRESH_OPTIONS } from "../../plugin/features/refreshPlanner";
import { createTestWorld, type ITestWorld } from "../helpers/testScene";

const COUNT = 600;
/** A leader within this fraction of its score of the runner-up is a near tie. */
const NEAR_TIE = 0.05;
const KINDS = ["npc", "task", "hint"] as const;

interface ICrowd {
    world: ITestWorld;
    attention: AttentionPlugin;
    meshes: InstancedMesh[];
}

/** `COUNT` entities scattered over 60 x 60 m around the player, the same in every call. */
async function createCrowdAsync(refresh: IAttentionPluginOptions["refresh"]): Promise<ICrowd> {
    const world = createTestWorld();
    const attention = await AttentionPlugin.CreateAsync(world.scene, { camera: world.camera, clock: world.clock.read, autoTick: false, backend: "heuristic", occlusion: "none", refresh });
    const source = world.sphere("source", 0, -100, 0, 0.8);
    source.isVisible = false;
    let seed = 99;
    const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const meshes: InstancedMesh[] = [];
    for (let i = 0; i < COUNT; i++) {
        const mesh = source.createInstance(`e${i}`);
        mesh.position.set((random() - 0.5) * 60, 1.6, (random() - 0.5) * 60);
        attention.track(mesh, { kind: KINDS[i % 3], priority: Math.round(random() * 10) / 10, label: `e${i}` });
        meshes.push(mesh);
    }
    return { world, attention, meshes };
}

const crowds: ICrowd[] = [];
afterEach(() => {
    for (const crowd of crowds.splice(0)) {
        crowd.world.dispose();
    }
});

describe("level of detail in large worlds", () => {
    it("reads a fraction of a 600-entity world per tick and ranks and focuses as a full refresh does", async () => {
        const full = await createCrowdAsync({ fullRefreshLimit: 100_000 });
        const lod = await createCrowdAsync(undefined);
        crowds.push(full, lod);
        let reads = 0;
        let evaluated = 0;
        let differingTops = 0;
        // Tops the level of detail got wrong where the full refresh's leader was clear of its runner-up.
        let clearTopsMissed = 0;
        for (let tick = 0; tick < 120; tick++) {
            for (const crowd of [full, lod]) {
                // The player sweeps the view around and some entities walk in circles.
                const yaw = tick * 0.05;
                crowd.world.lookAt(Math.sin(yaw) * 10, 1.6, Math.cos(yaw) * 10);
                for (let i = 0; i < COUNT; i += 7) {
                    crowd.meshes[i].position.x += Math.cos(tick * 0.1 + i) * 0.05;
                }
                crowd.world.clock.advance(1000 / 30);
                await crowd.attention.tickAsync();
            }
            evaluated += lod.attention.entitiesRefreshedLastTick;
            reads += lod.attention.entitiesReadLastTick;
            expect(full.attention.entitiesRefreshedLastTick).toBe(COUNT);
            expect(lod.attention.focus?.label ?? null, `tick ${tick}`).toBe(full.attention.focus?.label ?? null);
            for (const kind of KINDS) {
                // Gaze-cone entities are evaluated every tick from positions read a little earlier
                // (gazeReadMs, longer for far ones), so a near tie at the top can break the other
                // way now and then; a clear lead never does.
                if (lod.attention.ranking[kind][0]?.label !== full.attention.ranking[kind][0]?.label) {
                    const [first, second] = full.attention.ranking[kind];
                    if (first.score - (second?.score ?? 0) > NEAR_TIE * first.score) {
                        clearTopsMissed++;
                    }
                    differingTops++;
                }
            }
        }
        expect(clearTopsMissed).toBe(0);
        expect(differingTops).toBeLessThanOrEqual(0.03 * 120 * 3);
        expect(evaluated / 120).toBeLessThan(COUNT / 3);
        expect(reads / 120).toBeLessThan(evaluated / 120);
    });

    it("notices an unwatched entity that walks up to the player within maxStalenessMs", async () => {
        const crowd = await createCrowdAsync(undefined);
        crowds.push(crowd);
        const { world, attention, meshes } = crowd;
        for (let tick = 0; tick < 10; tick++) {
            world.clock.advance(1000 / 30);
            await attention.tickAsync();
        }
        // The entity farthest behind the player (gaze along +z) steps right in front of it.
        let behind = 0;
        for (let i = 0; i < COUNT; i++) {
            if (meshes[i].position.z < meshes[behind].position.z) {
                behind = i;
            }
        }
        meshes[behind].position.set(0, 1.6, 2);
        const row = (): number => attention.slotOf(meshes[behind]) * FEATURE_COUNT;
        const movedAt = world.clock.now;
        // Its row still says where it was (behind): the loop below must wait for a refresh.
        expect(attention.features[row() + Feature.GazeAlignment]).toBe(0);
        while (attention.features[row() + Feature.GazeAlignment] === 0) {
            world.clock.advance(1000 / 30);
            await attention.tickAsync();
            expect(world.clock.now - movedAt).toBeLessThanOrEqual(DEFAULT_REFRESH_OPTIONS.maxStalenessMs + 1000 / 30);
        }
        expect(attention.features[row() + Feature.Proximity]).toBeGreaterThan(0.6);
    });

    it("re-evaluates an entity the tick the gaze leaves it, and decays its dwell by its own time when it is read late", async () => {
        const crowd = await createCrowdAsync(undefined);
        crowds.push(crowd);
        const { world, attention } = crowd;
        // A watched entity 10 m ahead: beyond nearDistance, so only the gaze keeps it fresh.
        const watched = world.sphere("watched", 0, 1.6, 10, 0.8);
        attention.track(watched, { kind: "npc", label: "watched" });
        const feature = (f: Feature): number => attention.features[attention.slotOf(watched) * FEATURE_COUNT + f];
        const tick = async (): Promise<void> => {
            world.clock.advance(1000 / 30);
            await attention.tickAsync();
        };
        world.lookAt(0, 1.6, 10);
        for (let i = 0; i < 30; i++) {
            await tick();
        }
        expect(feature(Feature.GazeAlignment)).toBeGreaterThan(0.5);
        expect(attention.entitiesRefreshedLastTick).toBeLessThan(COUNT);

        // Look straight up and away: the next tick zeroes its gaze features.
        world.lookAt(10, 30, 0);
        await tick();
        expect(feature(Feature.GazeAlignment)).toBe(0);
        const leftAt = world.clock.now;
        const dwellFeature = feature(Feature.Dwell);
        const dwellSeconds = dwellFeature / (1 - dwellFeature);

        // Now it is cold: its features hold until its round-robin turn, then decay by the whole gap.
        while (feature(Feature.Dwell) === dwellFeature) {
            await tick();
            expect(world.clock.now - leftAt).toBeLessThanOrEqual(DEFAULT_REFRESH_OPTIONS.maxStalenessMs + 1000 / 30);
        }
        const gapSeconds = (world.clock.now - leftAt) / 1000;
        expect(gapSeconds).toBeGreaterThan(2 / 30);
        const expected = dwellSeconds * Math.exp(-gapSeconds / DEFAULT_FEATURE_OPTIONS.dwellDecaySeconds);
        expect(feature(Feature.Dwell)).toBeCloseTo(expected / (expected + DEFAULT_FEATURE_OPTIONS.dwellScale), 4);
    });
});
