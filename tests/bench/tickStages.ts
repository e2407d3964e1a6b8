// Times each stage of the render-loop tick separately, right after a simulated frame, for the
// "Where the time goes" table in docs/performance.md:
//   npx tsx tests/bench/tickStages.ts 10000
// It drives the plugin's private stages in the order _prepareTick and _finishTick run them, so
// it must change when they do; the benchmark (run.ts) measures the real tick.
import type { EntityStore } from "../../plugin/features/entityStore";
import type { IFeatureOptions } from "../../plugin/features/featureOptions";
import { writeFeatures } from "../../plugin/features/featureWriter";
import { measureGazeGeometry } from "../../plugin/features/gazeGeometry";
import type { NodePositionReader } from "../../plugin/scene/nodePositionReader";
import type { IPlayerState } from "../../plugin/features/playerState";
import type { IRefreshOptions, RefreshPlanner } from "../../plugin/features/refreshPlanner";
import type { ITickTime } from "../../plugin/features/tickTime";
import { normalizeGazeAttention, type HeuristicScorer } from "../../plugin/model/heuristicScorer";
import type { IScorerInput, IScorerOutput } from "../../plugin/model/scorer";
import { BenchWorld } from "./benchWorld";

/** The plugin's internals this script drives (private members, read through a cast). */
interface IPluginInternals {
    _time: ITickTime;
    _lastTickMs: number;
    _store: EntityStore;
    _featureOptions: IFeatureOptions;
    _refresh: RefreshPlanner;
    _refreshOptions: IRefreshOptions;
    _positions: NodePositionReader;
    _player: IPlayerState;
    _occlusion: { update(...args: unknown[]): void };
    _occlusionTester: unknown;
    _occlusionBudget: unknown;
    _focusSelector: { focusedId: number };
    _features: Float32Array;
    _context: { update(...args: unknown[]): void };
    _scorerInput: IScorerInput;
    _heuristic: HeuristicScorer;
    _heuristicScores: IScorerOutput;
    _scores: IScorerOutput;
    _readPlayer(): void;
    _weightsChanged(): boolean;
    _finishTick(): void;
}

const n = Number(process.argv[2] ?? 10000);
const world = new BenchWorld(n);
const attention = await world.createPluginAsync({ autoTick: false });
const p = attention as unknown as IPluginInternals;
const names = ["player", "plan", "read", "gaze", "occlusion", "features", "context", "score", "compose", "finish"];
const totals = new Float64Array(names.length);
const ticks = 400;
const warmup = 100;
let evaluated = 0;
for (let k = 0; k < ticks; k++) {
    world.step();
    world.updateTransforms();
    const marks = [performance.now()];
    const time = p._time;
    const now = world.clock();
    time.dtSeconds = p._lastTickMs === p._lastTickMs ? Math.min(0.5, (now - p._lastTickMs) / 1000) : 0;
    time.nowMs = now;
    p._lastTickMs = now;
    p._readPlayer();
    marks.push(performance.now());
    const { _store: store, _featureOptions: options, _refresh: refresh } = p;
    if (p._weightsChanged()) {
        refresh.requestFullRefresh();
    }
    refresh.plan(store, p._player, options, p._refreshOptions, time);
    marks.push(performance.now());
    p._positions.read(store, refresh.readSlots, refresh.readCount, false, time);
    marks.push(performance.now());
    measureGazeGeometry(store, p._player, options, refresh.slots, refresh.count);
    marks.push(performance.now());
    p._occlusion.update(store, p._player, p._occlusionTester, p._occlusionBudget, options, time);
    marks.push(performance.now());
    writeFeatures(store, options, time, p._focusSelector.focusedId, refresh.slots, refresh.count, p._features);
    marks.push(performance.now());
    p._context.update(p._player, store, options, time);
    marks.push(performance.now());
    const input = p._scorerInput;
    input.features = p._features;
    input.count = store.count;
    p._heuristic.scoreRows(input, p._heuristicScores, refresh.slots, refresh.count);
    marks.push(performance.now());
    const scores = p._scores;
    const heuristic = p._heuristicScores;
    scores.engagement.set(heuristic.engagement);
    scores.guidance.set(heuristic.guidance);
    scores.dwell.set(heuristic.dwell);
    normalizeGazeAttention(heuristic.attention, scores.attention, store.count);
    marks.push(performance.now());
    p._finishTick();
    marks.push(performance.now());
    if (k >= warmup) {
        evaluated += refresh.count;
        for (let i = 0; i < names.length; i++) {
            totals[i] += marks[i + 1] - marks[i];
        }
    }
}
const measured = ticks - warmup;
let sum = 0;
for (let i = 0; i < names.length; i++) {
    sum += totals[i] / measured;
    console.log(`${names[i].padEnd(10)} ${(totals[i] / measured).toFixed(3)} ms`);
}
console.log(`total      ${sum.toFixed(3)} ms (mean of ${measured} ticks, n = ${n}, ${(evaluated / measured).toFixed(0)} entities evaluated per tick)`);
attention.dispose();
world.dispose();
