// Runs 3,000 render-loop ticks of the bench world for a CPU profile of the plugin's own work:
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx tests/bench/profileTick.ts 1000 [ticks = 3000]
// then read the .cpuprofile in Chrome DevTools (or sum self time per function).
import { BenchWorld } from "./benchWorld";

const n = Number(process.argv[2] ?? 1000);
const world = new BenchWorld(n);
const attention = await world.createPluginAsync();
const ticks = Number(process.argv[3] ?? 3000);
for (let i = 0; i < ticks; i++) {
    world.frame();
}
attention.dispose();
world.dispose();
