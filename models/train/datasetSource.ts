/**
 * Where the training and evaluation data come from: recorded session files (`--sessions`),
 * read through the plugin's session reader, which skips damaged chunks and rejects mismatched
 * files, each reported with file, line and chunk; or the simulator (models/labels). Both end in
 * the same labelling code, so simulated and recorded data take the same path.
 */
import { basename } from "node:path";
import { formatSessionProblem } from "../../plugin/recording/sessionReader";
import type { IDataset } from "../dataset/datasetTypes";
import { buildDataset, type IBuildDatasetOptions } from "../labels/buildDataset";
import { loadSessionFilesAsync as loadRecordedSessionsAsync } from "../labels/loadSessions";
import { simulateDatasetAsync, type ISimulateDatasetOptions } from "../labels/simulateDataset";
import { PERSONAS } from "../sim/personas/persona";

export interface ILoadedDataset {
    dataset: IDataset;
    /** One line for the report and the model's parameter source. */
    description: string;
}

export interface IDataPreset {
    simulation: Partial<ISimulateDatasetOptions>;
    labels: Partial<IBuildDatasetOptions>;
}

/**
 * The quick preset is a smoke test (it must train and evaluate in under 2 minutes on 2 cores);
 * the full preset is the committed model's data. Consecutive 20 Hz ticks are nearly identical,
 * so a tick stride costs little information and saves most of the training time.
 */
export const DATA_PRESETS: Readonly<Record<"quick" | "full", IDataPreset>> = Object.freeze({
    quick: { simulation: { seed: 11, layouts: 6, sessionsPerLayout: 2, seconds: 30 }, labels: { k: 16, tickStride: 4 } },
    full: { simulation: { seed: 1, layouts: 40, sessionsPerLayout: 3, seconds: 60 }, labels: { k: 32, tickStride: 3 } },
});

/**
 * Held-out layouts no configuration trains on (seed 2; the presets use seed 1): a larger and
 * common yardstick than one run's 8 test layouts. `npm run train` compares its restarts on it
 * (so its figures for the committed model are those of the run chosen on it, not an unbiased
 * estimate); models/train/compareConfigurations.ts compares single runs on it, and
 * models/eval/approachBreakdown.ts reads where a model misses.
 */
export const COMMON_HELD_OUT_SIMULATION: Readonly<Partial<ISimulateDatasetOptions>> = Object.freeze({ seed: 2, layouts: 24, sessionsPerLayout: 3, seconds: 60 });

/** Reads recorded session files; damaged ones are reported and left out, never silently used. */
export async function loadSessionFilesAsync(files: readonly string[], labels: Partial<IBuildDatasetOptions>, log: (line: string) => void = () => {}): Promise<ILoadedDataset> {
    // Streamed line by line under the reader's limits: a huge or hostile file is one problem, not a crash.
    const { sessions, problems: found } = await loadRecordedSessionsAsync(files, { quiet: true });
    const problems = found.map(formatSessionProblem);
    for (const line of problems) {
        log(`warning: ${line}`);
    }
    if (sessions.length === 0) {
        throw new Error(`none of the ${files.length} session file(s) could be used${problems.length ? `: ${problems.join("; ")}` : ""}`);
    }
    const dataset = buildDataset(sessions, labels);
    return { dataset, description: `${sessions.length} recorded session(s) (${files.map((f) => basename(f)).join(", ")})` };
}

export async function simulateAsync(preset: IDataPreset, log: (line: string) => void = () => {}): Promise<ILoadedDataset> {
    const startMs = performance.now();
    const { dataset } = await simulateDatasetAsync({
        ...preset.simulation,
        labels: preset.labels,
        onSession: (done, total) => {
            if (done === total || done % 6 === 0) log(`simulated ${done}/${total} sessions (${((performance.now() - startMs) / 1000).toFixed(0)} s)`);
        },
    });
    const s = preset.simulation;
    const who = s.personas ? `, personas ${s.personas.join("/")}` : "";
    return {
        dataset,
        description: `simulated: seed ${s.seed}, ${s.layouts} layouts x ${s.sessionsPerLayout} sessions x ${s.seconds} s${who}, K ${preset.labels.k}, tick stride ${preset.labels.tickStride}`,
    };
}

/**
 * Layouts nothing is trained, selected or tuned on (seed 3; training uses seed 1 and restart
 * selection seed 2), enough of them for about 400 approach moments at 3 s: `npm run eval` scores
 * the model and the baselines here besides the training run's own 8 test layouts, where one
 * approach moment is about a point.
 */
export const EVALUATION_SIMULATION: Readonly<Partial<ISimulateDatasetOptions>> = Object.freeze({ seed: 3, layouts: 40, sessionsPerLayout: 3, seconds: 60 });

/** The layouts of EVALUATION_SIMULATION, labelled like the full preset. */
export function simulateEvaluationLayoutsAsync(log: (line: string) => void = () => {}): Promise<ILoadedDataset> {
    return simulateAsync({ simulation: { ...DATA_PRESETS.full.simulation, ...EVALUATION_SIMULATION }, labels: DATA_PRESETS.full.labels }, log);
}

/** The held-out layouts of COMMON_HELD_OUT_SIMULATION, labelled like the full preset. */
export function simulateCommonHeldOutAsync(log: (line: string) => void = () => {}): Promise<ILoadedDataset> {
    return simulateAsync({ simulation: { ...DATA_PRESETS.full.simulation, ...COMMON_HELD_OUT_SIMULATION }, labels: DATA_PRESETS.full.labels }, log);
}

/**
 * Second populations `npm run eval` scores besides the training simulator's: visitors whose
 * walking, gaze and choice rules were written apart from the simulator the model learned from
 * (models/sim/personas), on layouts of a seed no other set uses (4), so the reported margin is
 * not the simulator grading itself. Sized for well over 400 approach moments at 3 s.
 */
export const EVALUATION_POPULATIONS: Readonly<Record<string, Readonly<Partial<ISimulateDatasetOptions>>>> = Object.freeze({
    personas: Object.freeze({ seed: 4, layouts: 16, sessionsPerLayout: 3, seconds: 60, personas: [...PERSONAS] }),
});

/** The sessions of one of EVALUATION_POPULATIONS, labelled like the full preset. */
export function simulatePopulationAsync(name: string, log: (line: string) => void = () => {}): Promise<ILoadedDataset> {
    const population = EVALUATION_POPULATIONS[name];
    if (!population) {
        throw new Error(`simulatePopulationAsync: unknown population "${name}"; known: ${Object.keys(EVALUATION_POPULATIONS).join(", ")}`);
    }
    return simulateAsync({ simulation: { ...DATA_PRESETS.full.simulation, ...population }, labels: DATA_PRESETS.full.labels }, log);
}
