import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { afterEach, describe, expect, it } from "vitest";
import { AttentionNavigator } from "../../plugin/navigation";
import { CreateTestWorldAsync, Simulate, type ITestWorld } from "./navigationWorld";

const START = { x: 0, y: 0, z: -5 };
// An L-shaped wall between the start and the floor behind it: one leg along x at z = 2
// (x from -4.25 to 4.25), one along z at x = 4 (z from 1.75 to 8.25).
const WALLS = [
    { center: new Vector3(0, 1, 2), size: new Vector3(8.5, 2, 0.5) },
    { center: new Vector3(4, 1, 5), size: new Vector3(0.5, 2, 6.5) },
];
// Grid points this close to a wall (capsule radius 0.35 plus a margin) are not open floor.
const CLEARANCE = 0.8;

let world: ITestWorld | null = null;
afterEach(() => {
    world?.dispose();
    world = null;
});

function isOpenFloor(x: number, z: number): boolean {
    return WALLS.every(({ center, size }) => Math.abs(x - center.x) > size.x / 2 + CLEARANCE || Math.abs(z - center.z) > size.z / 2 + CLEARANCE);
}

describe("AttentionNavigator around wall corners", () => {
    it("reaches every open grid point around an L-shaped wall", async () => {
        world = await CreateTestWorldAsync();
        for (const [i, wall] of WALLS.entries()) {
            world.addBox(`wall${i}`, wall.center, wall.size);
        }
        const nav = await AttentionNavigator.CreateAsync(world.scene, { walkableMeshes: world.walkable, autoUpdate: false, character: { position: START } });
        const controller = nav.characterController;
        const failures: string[] = [];
        let walks = 0;
        for (let x = -6; x <= 8; x += 1) {
            for (let z = -1; z <= 10; z += 1) {
                if (!isOpenFloor(x, z)) {
                    continue;
                }
                controller.setPosition(new Vector3(START.x, START.y + controller.footOffset, START.z));
                controller.setVelocity(Vector3.Zero());
                const done = nav.navigateToAsync(new Vector3(x, 0, z));
                Simulate(world, nav, 1200);
                const end = await done;
                walks++;
                if (end.state !== "arrived") {
                    failures.push(`(${x}, ${z}): ${end.state}${"detail" in end ? ` ${end.detail}` : ""}`);
                }
            }
        }
        expect(walks).toBeGreaterThan(100);
        expect(failures).toEqual([]);
        nav.dispose();
    });
});
