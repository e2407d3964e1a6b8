import { KeyboardEventTypes, KeyboardInfo } from "@babylonjs/core/Events/keyboardEvents";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import { afterEach, describe, expect, it } from "vitest";
import { AttentionNavigator, type IPlannedPath, type NavigationState } from "../../plugin/navigation";
import { CreateTestWorldAsync, Simulate, type ITestWorld } from "./navigationWorld";

// A 30 x 30 m floor; the character (1.8 m x 0.35 m capsule, 3 m/s) starts at z = -5.
const START = { x: 0, y: 0, z: -5 };

let world: ITestWorld | null = null;
afterEach(() => {
    world?.dispose();
    world = null;
});

async function CreateNavigatorAsync(w: ITestWorld, extra: Parameters<typeof AttentionNavigator.CreateAsync>[1] = {}): Promise<AttentionNavigator> {
    return AttentionNavigator.CreateAsync(w.scene, { walkableMeshes: w.walkable, autoUpdate: false, character: { position: START }, ...extra });
}

function Foot(nav: AttentionNavigator): Vector3 {
    const c = nav.characterController;
    return c.getPosition().subtract(new Vector3(0, c.footOffset, 0));
}

function HorizontalDistance(a: Vector3, b: { x: number; z: number }): number {
    return Math.hypot(a.x - b.x, a.z - b.z);
}

/** Babylon's deferred observer removal (`observer.remove(true)`) lands on the next macrotask. */
function nextMacrotask(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

function Record(nav: AttentionNavigator): { states: NavigationState[]; plans: IPlannedPath[] } {
    const states: NavigationState[] = [];
    const plans: IPlannedPath[] = [];
    nav.state$.subscribe((s) => states.push(s));
    nav.onPathPlannedObservable.add((p) => plans.push(p));
    return { states, plans };
}

describe("AttentionNavigator", () => {
    it("walks around a wall to the target and stops within arriveDistance, facing it", async () => {
        world = await CreateTestWorldAsync();
        // A 10 m wall between the start and the target: the straight line is blocked.
        world.addBox("wall", new Vector3(0, 1, 0), new Vector3(10, 2, 0.5));
        const nav = await CreateNavigatorAsync(world, { arriveDistance: 1 });
        const { states, plans } = Record(nav);
        const target = new Vector3(0, 0, 5);
        const done = nav.navigateToAsync(target);

        let crossedThroughWall = false;
        let widestX = 0;
        const steps = Simulate(world, nav, 900, () => {
            const foot = Foot(nav);
            widestX = Math.max(widestX, Math.abs(foot.x));
            if (Math.abs(foot.z) < 0.25 + 0.35 && Math.abs(foot.x) < 5) {
                crossedThroughWall = true;
            }
        });
        const end = await done;

        expect(end.state).toBe("arrived");
        expect(states.map((s) => s.state)).toEqual(["idle", "planning", "moving", "arrived"]);
        expect(plans).toHaveLength(1);
        expect(steps).toBeLessThan(600); // about 15 m of path at 3 m/s: 10 s of simulated time at most
        expect(crossedThroughWall).toBe(false);
        expect(widestX).toBeGreaterThan(5); // it went around the wall's end
        const foot = Foot(nav);
        expect(HorizontalDistance(foot, target)).toBeLessThanOrEqual(1.05);
        expect(HorizontalDistance(foot, target)).toBeGreaterThan(0.5); // stopped short, not on top of it
        const facing = Math.atan2(target.x - foot.x, target.z - foot.z);
        expect(Math.abs(Math.atan2(Math.sin(nav.heading - facing), Math.cos(nav.heading - facing)))).toBeLessThan(0.01);
        nav.dispose();
    });

    it("skips a non-finite step (1 / fps at 0 fps) like a zero one, and still arrives", async () => {
        world = await CreateTestWorldAsync();
        const nav = await CreateNavigatorAsync(world);
        const done = nav.navigateToAsync(new Vector3(0, 0, 6));
        Simulate(world, nav, 10);
        nav.update(Infinity);
        nav.update(NaN);
        const foot = Foot(nav);
        expect([foot.x, foot.z].every(Number.isFinite)).toBe(true);
        Simulate(world, nav, 600);
        expect((await done).state).toBe("arrived");
        nav.dispose();
    });

    it("stops when cancelled mid-path", async () => {
        world = await CreateTestWorldAsync();
        const nav = await CreateNavigatorAsync(world);
        const done = nav.navigateToAsync(new Vector3(0, 0, 10));
        Simulate(world, nav, 60);
        expect(nav.state.state).toBe("moving");
        nav.cancel("test");
        const end = await done;
        expect(end).toMatchObject({ state: "cancelled", reason: "test" });

        const stoppedAt = Foot(nav);
        expect(stoppedAt.z).toBeGreaterThan(-4); // it had been walking
        expect(stoppedAt.z).toBeLessThan(0); // and was far from the target
        for (let i = 0; i < 120; i++) {
            nav.update(1 / 60);
            world.scene.getPhysicsEngine()!._step(1 / 60);
        }
        // The capsule decelerates over a few centimetres, then stands.
        expect(HorizontalDistance(Foot(nav), stoppedAt)).toBeLessThan(0.3);
        expect(nav.state.state).toBe("cancelled");
        nav.dispose();
    });

    it("cancels on a movement key pressed by the player", async () => {
        world = await CreateTestWorldAsync();
        const nav = await CreateNavigatorAsync(world);
        const done = nav.navigateToAsync(new Vector3(0, 0, 10));
        Simulate(world, nav, 10);
        // A key that is not a movement key does not cancel.
        world.scene.onKeyboardObservable.notifyObservers(new KeyboardInfo(KeyboardEventTypes.KEYDOWN, { code: "KeyE", key: "e" } as KeyboardEvent));
        expect(nav.state.state).toBe("moving");
        world.scene.onKeyboardObservable.notifyObservers(new KeyboardInfo(KeyboardEventTypes.KEYDOWN, { code: "KeyW", key: "w" } as KeyboardEvent));
        expect(await done).toMatchObject({ state: "cancelled", reason: "player input" });
        nav.dispose();
    });

    it("fails with 'unreachable' for a target inside a closed box, without moving", async () => {
        world = await CreateTestWorldAsync();
        // Four 2 m walls around (8, 8): the floor inside is navmesh, but no path leads in.
        world.addBox("north", new Vector3(8, 1, 10), new Vector3(4.5, 2, 0.5));
        world.addBox("south", new Vector3(8, 1, 6), new Vector3(4.5, 2, 0.5));
        world.addBox("east", new Vector3(10, 1, 8), new Vector3(0.5, 2, 4.5));
        world.addBox("west", new Vector3(6, 1, 8), new Vector3(0.5, 2, 4.5));
        const nav = await CreateNavigatorAsync(world);
        const end = await nav.navigateToAsync(new Vector3(8, 0, 8));
        expect(end).toMatchObject({ state: "failed", reason: "unreachable" });
        Simulate(world, nav, 60);
        expect(HorizontalDistance(Foot(nav), START)).toBeLessThan(0.05);
        nav.dispose();
    });

    it("fails with 'unreachable' for a target on a raised island", async () => {
        world = await CreateTestWorldAsync();
        // A 1.5 m high platform: far above the 0.35 m step the capsule can climb.
        world.addBox("island", new Vector3(-8, 0.75, 8), new Vector3(4, 1.5, 4));
        const nav = await CreateNavigatorAsync(world);
        const end = await nav.navigateToAsync(new Vector3(-8, 1.5, 8));
        expect(end).toMatchObject({ state: "failed", reason: "unreachable" });
        nav.dispose();
    });

    it("fails with 'no navmesh' without walkable meshes, and never moves", async () => {
        world = await CreateTestWorldAsync();
        const nav = await CreateNavigatorAsync(world, { walkableMeshes: [] });
        expect(nav.navigationPlugin).toBeNull();
        expect(nav.navMeshError).toBe("no walkable meshes");
        const end = await nav.navigateToAsync(new Vector3(0, 0, 5));
        expect(end).toMatchObject({ state: "failed", reason: "no navmesh" });
        Simulate(world, nav, 60);
        expect(HorizontalDistance(Foot(nav), START)).toBeLessThan(0.05);
        nav.dispose();
    });

    it("re-plans when the target node moves, and arrives at its new place", async () => {
        world = await CreateTestWorldAsync();
        const nav = await CreateNavigatorAsync(world, { arriveDistance: 1 });
        const { plans } = Record(nav);
        const npc = new TransformNode("npc", world.scene);
        npc.position.set(6, 0, 5);
        const done = nav.navigateToAsync(npc);
        Simulate(world, nav, 60);
        expect(nav.state.state).toBe("moving");
        npc.position.set(-7, 0, 4);
        Simulate(world, nav, 900);
        const end = await done;

        expect(end.state).toBe("arrived");
        expect(plans.length).toBeGreaterThanOrEqual(2);
        expect(plans[1].cause).toBe("target moved");
        const lastPoint = plans[plans.length - 1].points.at(-1)!;
        expect(HorizontalDistance(new Vector3(lastPoint.x, 0, lastPoint.z), npc.position)).toBeLessThan(0.3);
        expect(HorizontalDistance(Foot(nav), npc.position)).toBeLessThanOrEqual(1.05);
        nav.dispose();
    });

    it("fails with 'stuck' when an obstacle the navmesh does not know blocks the corridor", async () => {
        world = await CreateTestWorldAsync();
        // A wall across the floor with a 2 m gap at x = 0: the only way to z > 0.
        world.addBox("left", new Vector3(-8, 1, 0), new Vector3(14, 2, 0.5));
        world.addBox("right", new Vector3(8, 1, 0), new Vector3(14, 2, 0.5));
        const nav = await CreateNavigatorAsync(world, { stuckTime: 1, maxStuckReplans: 2 });
        const { plans } = Record(nav);
        // Added after the navmesh was built: a physics box the capsule cannot pass.
        world.addBox("blocker", new Vector3(0, 1, 0), new Vector3(2.4, 2, 0.6), false);
        const done = nav.navigateToAsync(new Vector3(0, 0, 6));
        const steps = Simulate(world, nav, 1200);
        const end = await done;

        expect(end).toMatchObject({ state: "failed", reason: "stuck" });
        expect(plans.map((p) => p.cause)).toEqual(["start", "no progress", "no progress"]);
        expect(steps).toBeLessThan(600); // reach the blocker (~1.5 s) + 3 x stuckTime
        expect(Foot(nav).z).toBeLessThan(0); // it never got through
        nav.dispose();
    });

    it("leaves the scene's observers as it found them on dispose", async () => {
        world = await CreateTestWorldAsync();
        const before = [world.scene.onBeforeRenderObservable.observers.length, world.scene.onKeyboardObservable.observers.length];
        const nav = await AttentionNavigator.CreateAsync(world.scene, { walkableMeshes: world.walkable, character: { position: START } });
        expect(world.scene.onBeforeRenderObservable.observers.length).toBe(before[0] + 1);
        const done = nav.navigateToAsync(new Vector3(0, 0, 5));
        nav.dispose();
        expect(await done).toMatchObject({ state: "cancelled", reason: "disposed" });
        await nextMacrotask(); // removal is deferred
        expect([world.scene.onBeforeRenderObservable.observers.length, world.scene.onKeyboardObservable.observers.length]).toEqual(before);
        expect(nav.isDisposed).toBe(true);
        nav.dispose(); // idempotent
    });

    it("lets the scene's later dispose observers run when the scene is disposed mid-walk", async () => {
        world = await CreateTestWorldAsync();
        const nav = await CreateNavigatorAsync(world);
        const done = nav.navigateToAsync(new Vector3(0, 0, 8));
        Simulate(world, nav, 30);
        expect(nav.state.state).toBe("moving");
        // Added after the navigator's own hook, as a plugin created later would be.
        let laterObserverRan = false;
        world.scene.onDisposeObservable.add(() => (laterObserverRan = true));
        world.dispose();
        world = null;
        expect(laterObserverRan).toBe(true);
        expect(nav.isDisposed).toBe(true);
        expect(await done).toMatchObject({ state: "cancelled", reason: "disposed" });
    });

    it("lets the other before-render observers run in the frame an arrival handler disposes it", async () => {
        world = await CreateTestWorldAsync();
        // NullEngine measures no frame time; the navigator steps by the engine's delta time.
        world.engine.getDeltaTime = () => 1000 / 60;
        const nav = await AttentionNavigator.CreateAsync(world.scene, { walkableMeshes: world.walkable, character: { position: START }, arriveDistance: 1 });
        nav.onStateChangedObservable.add((s) => {
            if (s.state === "arrived") {
                nav.dispose();
            }
        });
        let frames = 0;
        world.scene.onBeforeRenderObservable.add(() => frames++);
        // Within arriveDistance: the first update arrives, inside this notification.
        const done = nav.navigateToAsync(new Vector3(0.5, 0, -5));
        world.scene.onBeforeRenderObservable.notifyObservers(world.scene);
        expect(await done).toMatchObject({ state: "arrived" });
        expect(nav.isDisposed).toBe(true);
        expect(frames).toBe(1);
        await nextMacrotask();
        world.scene.onBeforeRenderObservable.notifyObservers(world.scene);
        expect(frames).toBe(2);
    });

    it("lets the later keyboard observers run when a key handler disposes it", async () => {
        world = await CreateTestWorldAsync();
        const nav = await CreateNavigatorAsync(world);
        // The app's pause key, added after the navigator's input watcher.
        world.scene.onKeyboardObservable.add((info) => {
            if (info.event.code === "Escape") {
                nav.dispose();
            }
        });
        const seen: string[] = [];
        world.scene.onKeyboardObservable.add((info) => seen.push(info.event.code));
        world.scene.onKeyboardObservable.notifyObservers(new KeyboardInfo(KeyboardEventTypes.KEYDOWN, { code: "Escape", key: "Escape" } as KeyboardEvent));
        expect(nav.isDisposed).toBe(true);
        expect(seen).toEqual(["Escape"]);
    });
});
