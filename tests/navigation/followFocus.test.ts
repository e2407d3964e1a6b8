import { FreeCamera } from "@babylonjs/core/Cameras/freeCamera";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import { BehaviorSubject, Subject } from "rxjs";
import { afterEach, describe, expect, it } from "vitest";
import { AttentionNavigator, FollowFocus, type IFocusLike, type NavigationState } from "../../plugin/navigation";
import { CreateTestWorldAsync, Simulate, type ITestWorld } from "./navigationWorld";

let world: ITestWorld | null = null;
afterEach(() => {
    world?.dispose();
    world = null;
});

describe("FollowFocus", () => {
    it("emits the latest focus node on each confirmation only", async () => {
        world = await CreateTestWorldAsync();
        const a = new TransformNode("a", world.scene);
        const b = new TransformNode("b", world.scene);
        const focus$ = new BehaviorSubject<IFocusLike | null>({ node: a });
        const confirm$ = new Subject<void>();
        const chosen: string[] = [];
        const subscription = FollowFocus(focus$, confirm$).subscribe((node) => chosen.push(node.name));
        focus$.next({ node: b }); // a focus change alone does not walk
        expect(chosen).toEqual([]);
        confirm$.next();
        focus$.next(null);
        confirm$.next(); // nothing focused: nothing to walk to
        focus$.next({ node: a });
        confirm$.next();
        expect(chosen).toEqual(["b", "a"]);
        subscription.unsubscribe();
    });

    it("without a confirm stream, emits each new focus node once", async () => {
        world = await CreateTestWorldAsync();
        const a = new TransformNode("a", world.scene);
        const focus$ = new Subject<IFocusLike | null>();
        const chosen: string[] = [];
        FollowFocus(focus$).subscribe((node) => chosen.push(node.name));
        focus$.next({ node: a });
        focus$.next({ node: a }); // the same entry re-emitted
        focus$.next(null);
        focus$.next({ node: a });
        expect(chosen).toEqual(["a", "a"]);
    });
});

describe("AttentionNavigator.followFocus", () => {
    it("walks the first-person camera to the focus after a confirm, at eye height, facing it", async () => {
        world = await CreateTestWorldAsync();
        const camera = new FreeCamera("player", new Vector3(0, 1.6, -5), world.scene);
        const nav = await AttentionNavigator.CreateAsync(world.scene, { walkableMeshes: world.walkable, autoUpdate: false, camera });
        const states: NavigationState["state"][] = [];
        nav.onStateChangedObservable.add((s) => states.push(s.state));
        const exhibit = new TransformNode("exhibit", world.scene);
        exhibit.position.set(4, 1, 3);
        const focus$ = new BehaviorSubject<IFocusLike | null>({ node: exhibit });
        const confirm$ = new Subject<void>();
        nav.followFocus(focus$, confirm$);
        Simulate(world, nav, 5);
        expect(states).toEqual([]); // nothing before the confirm
        confirm$.next();
        expect(nav.isNavigating).toBe(true);
        Simulate(world, nav, 600);

        expect(states).toEqual(["planning", "moving", "arrived"]);
        const foot = nav.characterController.getPosition().subtract(new Vector3(0, nav.characterController.footOffset, 0));
        expect(camera.position.x).toBeCloseTo(foot.x, 5);
        expect(camera.position.z).toBeCloseTo(foot.z, 5);
        expect(camera.position.y).toBeCloseTo(foot.y + 1.6, 5);
        expect(Math.hypot(camera.position.x - 4, camera.position.z - 3)).toBeLessThanOrEqual(1.05);
        expect(camera.rotation.y).toBeCloseTo(Math.atan2(4 - foot.x, 3 - foot.z), 5);
        nav.dispose();
    });
});
