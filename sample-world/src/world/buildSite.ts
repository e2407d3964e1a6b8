import { Color3 } from "@babylonjs/core/Maths/math.color";
import { Vector4 } from "@babylonjs/core/Maths/math.vector";
import { CreateBox } from "@babylonjs/core/Meshes/Builders/boxBuilder";
import { CreateCylinder } from "@babylonjs/core/Meshes/Builders/cylinderBuilder";
import { CreateTorus } from "@babylonjs/core/Meshes/Builders/torusBuilder";
import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import type { Scene } from "@babylonjs/core/scene";
import type { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial";
import { LAYOUT } from "./layout";
import type { ITourMaterials } from "./materials";

/** The static architecture, sorted by what each mesh is used for. */
export interface ISiteMeshes {
    /** Floors: the navmesh's walkable surface and the camera's ground. */
    floors: Mesh[];
    /** Walls and screens: block gaze (occluders), collide, and are avoided by the navmesh. */
    walls: Mesh[];
    /** Solid furniture the player collides with and paths go around (plinths, fountain, tower). */
    obstacles: Mesh[];
    /** Roofs: seen only, nothing else. */
    decor: Mesh[];
}

/** Builds the gallery hall, the passage and the courtyard. */
export function buildSite(scene: Scene, materials: ITourMaterials): ISiteMeshes {
    const site: ISiteMeshes = { floors: [], walls: [], obstacles: [], decor: [] };
    const t = LAYOUT.wallThickness;
    const g = LAYOUT.gallery;
    const p = LAYOUT.passage;
    const c = LAYOUT.courtyard;

    /**
     * An axis-aligned box from min to max corners. `tile` (metres per texture repeat) sets
     * per-face UVs, so tiles and stones keep their size on long and short walls alike.
     */
    const box = (name: string, min: [number, number, number], max: [number, number, number], material: StandardMaterial, list: Mesh[], tile = 0): Mesh => {
        const [w, h, d] = [max[0] - min[0], max[1] - min[1], max[2] - min[2]];
        const faceUV = tile > 0 ? [[w, h], [w, h], [d, h], [d, h], [w, d], [w, d]].map(([u, v]) => new Vector4(0, 0, u / tile, v / tile)) : undefined;
        const mesh = CreateBox(name, { width: w, height: h, depth: d, faceUV, wrap: true }, scene);
        mesh.position.set((min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2);
        mesh.material = material;
        mesh.checkCollisions = true;
        mesh.freezeWorldMatrix();
        list.push(mesh);
        return mesh;
    };

    // Floors (0.2 m thick slabs whose top is y = 0).
    box("galleryFloor", [g.minX, -0.2, g.minZ], [g.maxX, 0, g.maxZ], materials.marbleFloor, site.floors, 4);
    box("passageFloor", [p.minX - 0.2, -0.2, -p.halfWidth], [p.maxX + 0.2, 0, p.halfWidth], materials.wood, site.floors, 2);
    box("courtyardFloor", [c.minX, -0.2, c.minZ], [c.maxX, 0, c.maxZ], materials.cobbles, site.floors, 4);
    for (const [x0, z0, x1, z1] of [
        [15.5, 5, 21, 9],
        [27, 5.5, 33, 9],
        [15.5, -9, 20, -5.5],
    ]) {
        const lawn = CreateBox(`lawn${x0}`, { width: x1 - x0, height: 0.04, depth: z1 - z0 }, scene);
        lawn.position.set((x0 + x1) / 2, 0.02, (z0 + z1) / 2);
        lawn.material = materials.grass;
        site.decor.push(lawn);
    }

    // Gallery walls, with a doorway in the east wall.
    const doorHeight = 3;
    box("galleryWallN", [g.minX - t, 0, g.maxZ], [g.maxX + t, g.height, g.maxZ + t], materials.plaster, site.walls, 3);
    box("galleryWallS", [g.minX - t, 0, g.minZ - t], [g.maxX + t, g.height, g.minZ], materials.plaster, site.walls, 3);
    box("galleryWallW", [g.minX - t, 0, g.minZ], [g.minX, g.height, g.maxZ], materials.plaster, site.walls, 3);
    box("galleryWallE1", [g.maxX, 0, g.minZ], [g.maxX + t, g.height, -p.halfWidth], materials.plaster, site.walls, 3);
    box("galleryWallE2", [g.maxX, 0, p.halfWidth], [g.maxX + t, g.height, g.maxZ], materials.plaster, site.walls, 3);
    box("galleryLintel", [g.maxX, doorHeight, -p.halfWidth], [g.maxX + t, g.height, p.halfWidth], materials.plaster, site.decor);
    box("partition", [LAYOUT.partition.x - t / 2, 0, LAYOUT.partition.minZ], [LAYOUT.partition.x + t / 2, LAYOUT.partition.height, LAYOUT.partition.maxZ], materials.stone, site.walls, 2);
    const galleryRoof = box("galleryRoof", [g.minX - t, g.height, g.minZ - t], [g.maxX + t, g.height + 0.2, g.maxZ + t], materials.roof, site.decor);
    galleryRoof.checkCollisions = false;
    // Skylights: bright strips in the ceiling so the hall reads as lit from above.
    const skylight = materials.plinth.clone("skylight");
    skylight.emissiveColor = new Color3(0.95, 0.93, 0.85);
    skylight.disableLighting = true;
    for (const x of [-8, -2, 4]) {
        const strip = CreateBox(`skylight${x}`, { width: 2.2, height: 0.05, depth: 12 }, scene);
        strip.position.set(x, g.height - 0.03, 0);
        strip.material = skylight;
        site.decor.push(strip);
    }

    // The passage: two walls and a low roof.
    box("passageWallN", [p.minX + t, 0, p.halfWidth], [p.maxX, p.height, p.halfWidth + t], materials.stone, site.walls, 2);
    box("passageWallS", [p.minX + t, 0, -p.halfWidth - t], [p.maxX, p.height, -p.halfWidth], materials.stone, site.walls, 2);
    const passageRoof = box("passageRoof", [p.minX + t, p.height, -p.halfWidth - t], [p.maxX, p.height + 0.15, p.halfWidth + t], materials.wood, site.decor);
    passageRoof.checkCollisions = false;

    // Courtyard walls, open to the sky, with the passage's opening in the west wall.
    box("courtWallN", [c.minX, 0, c.maxZ], [c.maxX + t, c.wallHeight, c.maxZ + t], materials.stone, site.walls, 2);
    box("courtWallS", [c.minX, 0, c.minZ - t], [c.maxX + t, c.wallHeight, c.minZ], materials.stone, site.walls, 2);
    box("courtWallE", [c.maxX, 0, c.minZ], [c.maxX + t, c.wallHeight, c.maxZ], materials.stone, site.walls, 2);
    box("courtWallW1", [c.minX, 0, c.minZ], [c.minX + t, c.wallHeight, -p.halfWidth], materials.stone, site.walls, 2);
    box("courtWallW2", [c.minX, 0, p.halfWidth], [c.minX + t, c.wallHeight, c.maxZ], materials.stone, site.walls, 2);

    // The fountain: a basin with water and a spout.
    const basin = CreateCylinder("fountainBasin", { diameter: 3.6, height: 0.7, tessellation: 32 }, scene);
    basin.position.set(25, 0.35, -3);
    basin.material = materials.stone;
    basin.checkCollisions = true;
    site.obstacles.push(basin);
    const water = CreateCylinder("fountainWater", { diameter: 3.2, height: 0.05, tessellation: 32 }, scene);
    water.position.set(25, 0.66, -3);
    water.material = materials.water;
    site.decor.push(water);
    const spout = CreateCylinder("fountainSpout", { diameterTop: 0.3, diameterBottom: 0.6, height: 1.6, tessellation: 16 }, scene);
    spout.position.set(25, 0.8, -3);
    spout.material = materials.plinth;
    site.decor.push(spout);
    const ring = CreateTorus("fountainRim", { diameter: 3.5, thickness: 0.2, tessellation: 32 }, scene);
    ring.position.set(25, 0.7, -3);
    ring.material = materials.plinth;
    site.decor.push(ring);

    for (const mesh of [...site.floors, ...site.walls, ...site.obstacles, ...site.decor]) {
        mesh.isPickable = site.walls.includes(mesh) || site.floors.includes(mesh);
    }
    site.obstacles.forEach((m) => m.freezeWorldMatrix());
    return site;
}
