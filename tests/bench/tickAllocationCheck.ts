/**
 * The render-loop tick's steady-state allocation at 1,000 entities, as JSON on stdout:
 *   node --max-inlined-bytecode-size-cumulative=100 --import tsx tests/bench/tickAllocationCheck.ts [entities = 1000]
 *
 * Whether V8 inlines a small helper depends on how much it has already inlined into the caller,
 * which varies from process to process; when it does not, every fractional number passed to or
 * returned from the helper is boxed, a heap allocation per call. Run with a small inlining budget
 * (the flag above), the tick meets that case in every process instead of one in a few, so a
 * helper on the hot path that would allocate is found every time. tickAllocation.test.ts runs it.
 */
import { AllocationMeter } from "./allocationMeter";
import { measurePluginRowAsync } from "./tickBench";

const n = Number(process.argv[2] ?? 1000);
const row = await measurePluginRowAsync({ n, warmup: 100, ticks: 200, naiveWarmup: 0, naiveTicks: 0, allocationTicks: 200 }, new AllocationMeter());
const sites = row.steadyAllocationSites.filter((s) => s.inCall).slice(0, 10);
process.stdout.write(`${JSON.stringify({ n, steadyBytesPerTick: row.steadyBytesPerTick, sites })}\n`);
