import { previewString } from "./previewValue.js";

/**
 * The allowed range of one numeric option. Each `DEFAULT_*` object has a `*_RANGES` object
 * beside it, and every place that accepts the option (CreateAsync, the live setters, the
 * Inspector's sliders) checks it through the functions below, so the ranges cannot disagree.
 */
export interface INumberRange {
    readonly min: number;
    /** Infinity: no upper bound (the value must still be finite). */
    readonly max: number;
    /** The value must be greater than `min`, not equal to it (a scale that divides). @default false */
    readonly minExclusive?: boolean;
    /** Whole numbers only. @default false */
    readonly integer?: boolean;
}

/** A range for each numeric field of an options type. */
export type OptionRanges<T> = { readonly [K in keyof T]: INumberRange };

/** "a number in [0, 4]", "an integer in [1, 4096]", "a positive number": what the range accepts. */
export function describeRange(range: INumberRange): string {
    const noun = range.integer ? "an integer" : "a number";
    if (range.max === Infinity) {
        if (range.min === 0) {
            return range.minExclusive ? `a positive ${range.integer ? "integer" : "number"}` : `a non-negative ${range.integer ? "integer" : "number"}`;
        }
        return `${noun} ${range.minExclusive ? ">" : ">="} ${range.min}`;
    }
    return `${noun} in ${range.minExclusive ? "(" : "["}${range.min}, ${range.max}]`;
}

/** True when `value` is a number the range accepts. NaN and the infinities never are: an option is a finite number. */
export function isInRange(value: unknown, range: INumberRange): value is number {
    if (typeof value !== "number" || !Number.isFinite(value)) {
        return false;
    }
    if (range.minExclusive ? !(value > range.min) : !(value >= range.min)) {
        return false;
    }
    return value <= range.max && (!range.integer || Number.isInteger(value));
}

/** Returns `value` if the range accepts it; otherwise throws naming the option, the range and what was given. */
export function checkNumber(value: unknown, range: INumberRange, name: string): number {
    if (!isInRange(value, range)) {
        throw new Error(`${name} must be ${describeRange(range)}; got ${describeValue(value)}`);
    }
    return value;
}

/**
 * Merges `given` over `defaults` and checks every field against `ranges`. Unknown keys are an
 * error, not ignored: a misspelt option would otherwise do nothing without a word. `context`
 * prefixes the messages, e.g. "AttentionPlugin: hysteresis".
 */
export function checkOptions<T extends object>(given: Partial<T> | undefined, defaults: Readonly<T>, ranges: OptionRanges<T>, context: string): T {
    if (given !== undefined && (typeof given !== "object" || given === null || Array.isArray(given))) {
        throw new Error(`${context} must be an object with some of ${Object.keys(defaults).join(", ")}; got ${describeValue(given)}`);
    }
    for (const key of Object.keys(given ?? {})) {
        if (!(key in defaults)) {
            throw new Error(`${context}.${key} is not an option; expected one of ${Object.keys(defaults).join(", ")}`);
        }
    }
    const merged = { ...defaults } as T;
    for (const [key, value] of Object.entries(given ?? {})) {
        // An option given as undefined takes its default, as if it were left out.
        if (value !== undefined) {
            (merged as Record<string, unknown>)[key] = value;
        }
    }
    for (const key of Object.keys(ranges) as (keyof T & string)[]) {
        checkNumber(merged[key], ranges[key], `${context}.${key}`);
    }
    return merged;
}

/**
 * An object whose numeric fields check every assignment against their range, for options the
 * docs invite users to tune live (`attention.weights.gaze = 2`): a NaN or out-of-range value
 * throws at the assignment instead of turning every score into NaN a tick later. Fields are
 * own, enumerable accessors, so spreading and JSON.stringify see plain values. `checks.across`
 * states a rule between fields (a problem sentence, or null): it holds for `initial`, and an
 * assignment that would break it throws and changes nothing. `checks.onChange` runs after each
 * accepted assignment.
 */
export function createCheckedObject<T extends object>(initial: Readonly<T>, ranges: OptionRanges<T>, context: string, checks: ICheckedObjectHooks<T> = {}): T {
    const target = {} as T;
    for (const key of Object.keys(ranges) as (keyof T & string)[]) {
        defineCheckedField(target, key, initial[key] as number, ranges[key], context, checks);
    }
    const problem = checks.across?.(target);
    if (problem) {
        throw new Error(`${context}: ${problem}`);
    }
    return Object.seal(target);
}

/** What a checked object runs besides each field's range. */
export interface ICheckedObjectHooks<T> {
    /** A rule between fields: the problem as a sentence, or null when it holds. */
    across?: (values: Readonly<T>) => string | null;
    /** After each accepted assignment. */
    onChange?: () => void;
}

/** One field of a checked object: its value lives in the accessors' closure, so a read is a plain load (read every tick). */
function defineCheckedField<T extends object>(target: T, key: string, initial: number, range: INumberRange, context: string, checks: ICheckedObjectHooks<T>): void {
    let current = initial;
    Object.defineProperty(target, key, {
        enumerable: true,
        get: () => current,
        set: (value: unknown) => {
            const previous = current;
            current = checkNumber(value, range, `${context}.${key}`);
            const problem = checks.across?.(target);
            if (problem) {
                current = previous;
                throw new Error(`${context}: ${problem}`);
            }
            checks.onChange?.();
        },
    });
}

/** A short, bounded description of any value for an error message. */
export function describeValue(value: unknown): string {
    if (value === null || value === undefined || typeof value === "number" || typeof value === "boolean") {
        return String(value);
    }
    if (typeof value === "string") {
        return previewString(value, 60);
    }
    if (Array.isArray(value)) {
        return "an array";
    }
    if (typeof value === "object") {
        const name = (value as { constructor?: { name?: string } }).constructor?.name;
        return name && name !== "Object" ? name : "an object";
    }
    return typeof value;
}
