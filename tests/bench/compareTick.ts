// The render-loop tick of this tree's plugin against another checkout's, in one process, in
// interleaved bursts, so both see the same machine load (medians of the plugin's own tick):
//   git worktree add /tmp/baseline <rev> && ln -s "$PWD/node_modules" /tmp/baseline/node_modules
//   npx tsx tests/bench/compareTick.ts 10000 /tmp/baseline [rounds]
import { AttentionPlugin as NewPlugin } from "../../plugin/attentionPlugin";
import { BenchWorld } from "./benchWorld";
const basePath = process.argv[3];
if (!basePath) {
    throw new Error("compareTick: usage: npx tsx tests/bench/compareTick.ts <entities> <baseline checkout folder>");
}
const { AttentionPlugin: OldPlugin } = (await import(`${basePath}/plugin/attentionPlugin.ts`)) as { AttentionPlugin: typeof NewPlugin };
const n = Number(process.argv[2] ?? 1000);
const worlds = [new BenchWorld(n), new BenchWorld(n)];
const plugins = [OldPlugin, NewPlugin];
const names = ["baseline", "this tree"];
for (let w = 0; w < 2; w++) {
    const a = await plugins[w].CreateAsync(worlds[w].scene, { camera: worlds[w].camera, clock: worlds[w].clock, occlusion: worlds[w].walls, backend: "heuristic" });
    for (const e of worlds[w].entities) a.track(e.mesh, { kind: e.kind, priority: e.priority, label: e.label });
}
const times: number[][] = [[], []];
// The first 5 rounds warm both up and are not counted.
const rounds = Number(process.argv[4] ?? (n >= 10000 ? 30 : 60));
const burst = n >= 10000 ? 5 : 40;
for (let r = 0; r < rounds; r++) {
    for (let w = 0; w < 2; w++) {
        const world = worlds[(r + w) % 2];
        const idx = (r + w) % 2;
        for (let i = 0; i < burst; i++) {
            world.step();
            world.updateTransforms();
            const t = performance.now();
            world.scene.onBeforeRenderObservable.notifyObservers(world.scene);
            if (r >= 5) times[idx].push(performance.now() - t);
        }
    }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const m = times.map(median);
console.log(`n=${n}: p50 ${names[0]} ${m[0].toFixed(3)} ms, ${names[1]} ${m[1].toFixed(3)} ms, ratio ${(m[1] / m[0]).toFixed(3)} (${times[0].length} ticks each, interleaved)`);
