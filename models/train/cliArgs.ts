/** A tiny argv parser for the train and eval scripts: `--flag`, `--name value`, `--list a b c`. */
export interface IParsedArgs {
    flags: Set<string>;
    values: Map<string, string[]>;
}

export function parseArgs(argv: readonly string[], known: { flags: readonly string[]; values: readonly string[] }): IParsedArgs {
    const flags = new Set<string>();
    const values = new Map<string, string[]>();
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const name = arg.replace(/^--/, "");
        if (known.flags.includes(name)) {
            flags.add(name);
        } else if (known.values.includes(name)) {
            const list: string[] = [];
            while (i + 1 < argv.length && !argv[i + 1].startsWith("--")) list.push(argv[++i]);
            if (list.length === 0) throw new Error(`${arg} needs a value`);
            values.set(name, list);
        } else {
            throw new Error(`unknown argument "${arg}"; expected ${[...known.flags, ...known.values].map((n) => "--" + n).join(", ")}`);
        }
    }
    return { flags, values };
}
