/**
 * The train / validation / test split, by layout first: every session of a layout lands in
 * the same split, so test layouts are never seen in training. Deterministic for a given
 * dataset and seed, so `npm run eval` finds the same held-out layouts that `npm run train` left out.
 */
import { mulberry32 } from "../mulberry32";
import type { IDataset, ITrainingExample } from "../dataset/datasetTypes";

export interface ISplitOptions {
    /** @default 0.2 share of layouts held out for the test split */
    testFraction: number;
    /** @default 0.15 share of layouts for validation (early stopping) */
    validationFraction: number;
    /** @default 1 shuffles the layout order */
    seed: number;
}

export const DEFAULT_SPLIT_OPTIONS: Readonly<ISplitOptions> = Object.freeze({ testFraction: 0.2, validationFraction: 0.15, seed: 1 });

export interface IDatasetSplit {
    train: ITrainingExample[];
    validation: ITrainingExample[];
    test: ITrainingExample[];
    /** "layout" normally; "session" when there are fewer than 3 layouts (then layouts repeat across splits). */
    by: "layout" | "session";
    trainGroups: string[];
    validationGroups: string[];
    testGroups: string[];
}

function shuffled<T>(items: T[], seed: number): T[] {
    const random = mulberry32(seed);
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
}

export function splitDataset(dataset: IDataset, options: Partial<ISplitOptions> = {}): IDatasetSplit {
    const o = { ...DEFAULT_SPLIT_OPTIONS, ...options };
    const layouts = [...new Set(dataset.examples.map((e) => e.layoutId))].sort();
    const by = layouts.length >= 3 ? "layout" : "session";
    const keyOf = by === "layout" ? (e: ITrainingExample) => e.layoutId : (e: ITrainingExample) => e.sessionId;
    const groups = shuffled([...new Set(dataset.examples.map(keyOf))].sort(), o.seed);
    if (groups.length < 3) {
        throw new Error(`cannot split ${groups.length} session(s) into train, validation and test: record or simulate at least 3`);
    }
    const testCount = Math.max(1, Math.round(groups.length * o.testFraction));
    const validationCount = Math.max(1, Math.round(groups.length * o.validationFraction));
    const testGroups = groups.slice(0, testCount);
    const validationGroups = groups.slice(testCount, testCount + validationCount);
    const trainGroups = groups.slice(testCount + validationCount);
    if (trainGroups.length === 0) {
        throw new Error(`no ${by} left for training after holding out ${testCount} for test and ${validationCount} for validation`);
    }
    const test = new Set(testGroups);
    const validation = new Set(validationGroups);
    const split: IDatasetSplit = { train: [], validation: [], test: [], by, trainGroups: trainGroups.sort(), validationGroups: validationGroups.sort(), testGroups: testGroups.sort() };
    for (const example of dataset.examples) {
        const key = keyOf(example);
        (test.has(key) ? split.test : validation.has(key) ? split.validation : split.train).push(example);
    }
    return split;
}
