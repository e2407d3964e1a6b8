// Runs 3,000 render-loop ticks of the bench world for a CPU profile of the plugin's own work:
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx tests/bench/profileTick.ts 1000
// then read the .cpuprofile in Chrome DevTools (or sum self time per function).
import { BenchWorld } from "./benchWorld";

const n = Number(process.argv[2] ?? 1000);
const world = new BenchWorld(n);
const attention = await world.createPluginAsync();
for (let i = 0; i < 3000; i++) {
    world.frame();
}
attention.dispose();
world.dispose();
