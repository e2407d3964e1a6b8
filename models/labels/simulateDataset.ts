import { readSessionAsync, formatSessionProblem } from "../../plugin/recording/sessionReader";
import type { IRecordedSession } from "../../plugin/recording/sessionFormat";
import type { IDataset } from "../dataset/datasetTypes";
import { generateLayout } from "../sim/layout";
import type { Persona } from "../sim/personas/persona";
import type { PlayerIntent } from "../sim/playerAgent";
import { hashSeed } from "../sim/random";
import { simulateSessionAsync, type ISimulateSessionOptions } from "../sim/simulateSession";
import { buildDataset, type IBuildDatasetOptions } from "./buildDataset";

export interface ISimulateDatasetOptions {
    /** Seed of the whole run: layouts and sessions derive from it. @default 1 */
    seed: number;
    /** Number of generated layouts (each a held-out unit for splits). @default 10 */
    layouts: number;
    /** Sessions played in each layout, intents in rotation. @default 6 */
    sessionsPerLayout: number;
    /** Seconds per session. @default 60 */
    seconds: number;
    /** Ticks per second. @default 20 */
    hz: number;
    /** Intents, assigned to a layout's sessions in turn. @default ["task", "curious", "lost"] */
    intents: PlayerIntent[];
    /**
     * Personas of the second population (models/sim/personas), assigned in turn like intents;
     * when given, they play instead of the training simulator's visitor. @default undefined
     */
    personas?: Persona[];
    /** Labelling options (K, horizons...). */
    labels: Partial<IBuildDatasetOptions>;
    /** Called after each session (progress). */
    onSession?: (done: number, total: number) => void;
}

export interface ISimulatedDataset {
    sessions: IRecordedSession[];
    dataset: IDataset;
}

/**
 * Simulates `layouts x sessionsPerLayout` sessions through the real plugin and recorder, reads
 * each back through the session reader (so simulated and recorded data take the same path),
 * and labels them. Deterministic in `seed`.
 */
export async function simulateDatasetAsync(options: Partial<ISimulateDatasetOptions> = {}): Promise<ISimulatedDataset> {
    const sessions = await simulateSessionsAsync(options);
    return { sessions, dataset: buildDataset(sessions, options.labels) };
}

/**
 * The sessions a simulated run plays, in order: layouts from `seed`, `sessionsPerLayout` in each,
 * intents in rotation, one seed per session. Same options, same sessions, whoever plays them.
 */
export function* simulatedSessionPlan(options: Partial<ISimulateDatasetOptions> = {}): Generator<ISimulateSessionOptions & { sessionId: string; hz: number }> {
    const seed = options.seed ?? 1;
    const layoutCount = options.layouts ?? 10;
    const perLayout = options.sessionsPerLayout ?? 6;
    const intents = options.intents ?? ["task", "curious", "lost"];
    for (let l = 0; l < layoutCount; l++) {
        const layout = generateLayout(seed, l);
        for (let s = 0; s < perLayout; s++) {
            const common = { layout, seed: hashSeed(seed, l, s), seconds: options.seconds ?? 60, hz: options.hz ?? 20 };
            if (options.personas) {
                const persona = options.personas[(s + l) % options.personas.length];
                yield { ...common, persona, sessionId: `${layout.id}-s${s}-${persona}` };
            } else {
                const intent = intents[(s + l) % intents.length];
                yield { ...common, intent, sessionId: `${layout.id}-s${s}-${intent}` };
            }
        }
    }
}

/** The sessions of `simulateDatasetAsync`, unlabelled. */
export async function simulateSessionsAsync(options: Partial<ISimulateDatasetOptions> = {}): Promise<IRecordedSession[]> {
    const sessions: IRecordedSession[] = [];
    const total = (options.layouts ?? 10) * (options.sessionsPerLayout ?? 6);
    for (const plan of simulatedSessionPlan(options)) {
        const simulated = await simulateSessionAsync(plan);
        const { session, problems } = await readSessionAsync(simulated.lines, simulated.sessionId, { strict: true });
        if (!session) {
            throw new Error(`simulateSessionsAsync: the simulator wrote an unreadable session: ${problems.map(formatSessionProblem).join("; ")}`);
        }
        sessions.push(session);
        options.onSession?.(sessions.length, total);
    }
    return sessions;
}
