import { parseArgs } from "../../models/train/cliArgs";

/** The options of a bench script, read from its command line. */
export interface IBenchArgs {
    /** Whether `--name` was given. */
    flag(name: string): boolean;
    /** The value after `--name`, or `fallback` when it was not given. */
    value(name: string, fallback: string): string;
    /** The number after `--name`, or `fallback`; anything else than a finite number is an error naming the option. */
    number(name: string, fallback: number): number;
}

/**
 * Reads `--flag` and `--name value` options; an unknown option, or one missing its value, is an
 * error that lists the known ones, so a typo is never measured as the default.
 */
export function benchArgs(argv: readonly string[], known: { flags: readonly string[]; values: readonly string[] }): IBenchArgs {
    const parsed = parseArgs(argv, known);
    const value = (name: string, fallback: string): string => parsed.values.get(name)?.[0] ?? fallback;
    return {
        flag: (name) => parsed.flags.has(name),
        value,
        number: (name, fallback) => {
            const text = parsed.values.get(name)?.[0];
            if (text === undefined) {
                return fallback;
            }
            const n = Number(text);
            if (!Number.isFinite(n)) {
                throw new Error(`--${name} needs a number, got "${text}"`);
            }
            return n;
        },
    };
}
