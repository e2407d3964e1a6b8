import { UniversalCamera } from "@babylonjs/core/Cameras/universalCamera";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import "@babylonjs/core/Collisions/collisionCoordinator"; // camera collisions with walls
import type { Scene } from "@babylonjs/core/scene";
import { LAYOUT } from "./world/layout";

/**
 * First-person walking: a UniversalCamera with WASD/arrows and mouse look (drag, or click to
 * lock the pointer), touch look and move from Babylon's default touch input, gravity, and
 * Babylon's ellipsoid collisions against every mesh with `checkCollisions`.
 */
export function createPlayerCamera(scene: Scene, canvas: HTMLCanvasElement): UniversalCamera {
    const start = LAYOUT.playerStart;
    const camera = new UniversalCamera("player", new Vector3(start.x, LAYOUT.eyeHeight, start.z), scene);
    camera.rotation.set(0.05, start.yaw, 0);
    camera.fov = 1.0;
    camera.minZ = 0.05;
    camera.maxZ = 200;
    camera.speed = 0.16;
    camera.angularSensibility = 2500;
    camera.inertia = 0.7;
    camera.keysUp = [87, 38]; // W, up arrow
    camera.keysDown = [83, 40]; // S, down arrow
    camera.keysLeft = [65, 37]; // A, left arrow
    camera.keysRight = [68, 39]; // D, right arrow
    camera.touchMoveSensibility = 400;
    camera.touchAngularSensibility = 12000;
    // An ellipsoid 1.8 m tall whose top is about at eye height.
    camera.ellipsoid = new Vector3(0.35, 0.85, 0.35);
    camera.ellipsoidOffset = new Vector3(0, 0, 0);
    camera.checkCollisions = true;
    camera.applyGravity = true;
    scene.gravity = new Vector3(0, -0.3, 0);
    scene.collisionsEnabled = true;
    camera.attachControl(canvas, true);
    return camera;
}
