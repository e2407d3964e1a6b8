/**
 * How much one session file may hold before the reader refuses it. Session files come from
 * players' machines, so their size, shape and values are untrusted: every limit here turns a
 * file that would exhaust memory or the call stack into a problem report naming the file.
 */
export interface ISessionLimits {
    /**
     * The longest line, UTF-8 bytes (characters for text passed as strings). A longer line is
     * never held in memory: a chunk is skipped, a header rejects the file. A recorder chunk of
     * 30 ticks at 1,000 entities is about 3.6 MiB. [1 KiB, 512 MiB] @default 16 MiB (16,777,216)
     */
    maxLineBytes: number;
    /** The largest file, UTF-8 bytes (characters for text). [1 KiB, 16 GiB] @default 256 MiB (268,435,456) */
    maxFileBytes: number;
    /** Ticks kept from one file; a file with more is rejected. [1, 100,000,000] @default 432,000 (4 h at 30 Hz) */
    maxFileTicks: number;
    /** Ticks in one chunk (the recorder writes at most 10,000). [1, 1,000,000] @default 10,000 */
    maxChunkTicks: number;
    /** Entities in one tick. [1, 1,000,000] @default 65,536 */
    maxTickEntities: number;
    /** The longest label, session id, layout id, event detail or meta string, characters. [1, 1,000,000] @default 1,024 */
    maxTextLength: number;
}

/** The limits a session file is read under unless overridden: line, chunk, file and text sizes. */
export const DEFAULT_SESSION_LIMITS: Readonly<ISessionLimits> = Object.freeze({
    maxLineBytes: 16 * 1024 * 1024,
    maxFileBytes: 256 * 1024 * 1024,
    maxFileTicks: 432_000,
    maxChunkTicks: 10_000,
    maxTickEntities: 65_536,
    maxTextLength: 1024,
});

/** The range each limit must lie in (one check for all of them). */
const LIMIT_RANGES: Readonly<Record<keyof ISessionLimits, readonly [number, number]>> = Object.freeze({
    maxLineBytes: [1024, 512 * 1024 * 1024],
    maxFileBytes: [1024, 16 * 1024 * 1024 * 1024],
    maxFileTicks: [1, 100_000_000],
    maxChunkTicks: [1, 1_000_000],
    maxTickEntities: [1, 1_000_000],
    maxTextLength: [1, 1_000_000],
});

/** Fills in the defaults and checks each limit is an integer in its range; throws a RangeError naming the first that is not. */
export function resolveSessionLimits(limits: Partial<ISessionLimits>, context: string): ISessionLimits {
    const resolved: ISessionLimits = { ...DEFAULT_SESSION_LIMITS };
    for (const key of Object.keys(LIMIT_RANGES) as (keyof ISessionLimits)[]) {
        const value = limits[key] ?? DEFAULT_SESSION_LIMITS[key];
        const [min, max] = LIMIT_RANGES[key];
        if (!Number.isInteger(value) || value < min || value > max) {
            throw new RangeError(`${context}: ${key} must be an integer in [${min}, ${max}]; got ${typeof value === "number" ? value : JSON.stringify(value)}`);
        }
        resolved[key] = value;
    }
    return resolved;
}

/** A load's tick budget: `SessionLoadBudget`'s default. */
export const DEFAULT_LOAD_MAX_TICKS = 5_000_000;
/** A load's byte budget: `SessionLoadBudget`'s default, 4 GiB. */
export const DEFAULT_LOAD_MAX_BYTES = 4 * 1024 * 1024 * 1024;

/**
 * What a whole load (many files) may keep: ticks and bytes of the sessions returned so far.
 * Pass one budget to every `readSessionAsync` of a load; a file that would overrun it is
 * rejected, and the sessions already read are kept. Memory held is roughly the bytes read plus
 * 1.5 KiB per tick (each tick's typed-array views).
 */
export class SessionLoadBudget {
    /** Ticks of the sessions accepted so far. */
    public ticks = 0;
    /** Bytes (characters for text) of the sessions accepted so far. */
    public bytes = 0;

    /**
     * @param maxTicks ticks a load keeps. [1, 1,000,000,000] @default 5,000,000
     * @param maxBytes bytes a load keeps, UTF-8. [1 KiB, 1 TiB] @default 4 GiB (4,294,967,296)
     */
    public constructor(
        public readonly maxTicks: number = DEFAULT_LOAD_MAX_TICKS,
        public readonly maxBytes: number = DEFAULT_LOAD_MAX_BYTES
    ) {
        if (!Number.isInteger(maxTicks) || maxTicks < 1 || maxTicks > 1_000_000_000) {
            throw new RangeError(`SessionLoadBudget: maxTicks must be an integer in [1, 1000000000]; got ${maxTicks}`);
        }
        if (!Number.isInteger(maxBytes) || maxBytes < 1024 || maxBytes > 1024 ** 4) {
            throw new RangeError(`SessionLoadBudget: maxBytes must be an integer in [1024, ${1024 ** 4}]; got ${maxBytes}`);
        }
    }

    /** True once either limit is reached: a later file could add nothing. */
    public get isSpent(): boolean {
        return this.ticks >= this.maxTicks || this.bytes >= this.maxBytes;
    }
}
