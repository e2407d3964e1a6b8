import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// Every fenced `ts` block in README.md and docs/ is type-checked against the public API, as a
// module of its own: `babylon-attention` and its subpaths resolve to the plugin's entries, the
// world variables the prose assumes (scene, camera, attention, ...) come from docsWorld.d.ts.

const root = join(__dirname, "../..");
const ENTRIES: Record<string, string> = {
    "babylon-attention": "plugin/index.ts",
    "babylon-attention/effects": "plugin/effects/index.ts",
    "babylon-attention/effects/gui": "plugin/effects/guidanceHintGuiView.ts",
    "babylon-attention/navigation": "plugin/navigation/index.ts",
    "babylon-attention/inspector": "plugin/inspector/index.ts",
    "babylon-attention/recording": "plugin/recording/index.ts",
};

interface ICodeBlock {
    doc: string;
    line: number;
    code: string;
}

function markdownFiles(): string[] {
    const docs = readdirSync(join(root, "docs")).filter((name) => name.endsWith(".md")).map((name) => join(root, "docs", name));
    return [join(root, "README.md"), ...docs];
}

/** Fenced blocks tagged ts or typescript (also indented ones, inside lists). */
function codeBlocks(file: string): ICodeBlock[] {
    const lines = readFileSync(file, "utf8").split("\n");
    const blocks: ICodeBlock[] = [];
    for (let i = 0; i < lines.length; i++) {
        const open = /^(\s*)```(ts|typescript)\s*$/.exec(lines[i]!);
        if (!open) continue;
        const indent = open[1]!.length;
        const body: string[] = [];
        let j = i + 1;
        for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(indent));
        blocks.push({ doc: relative(root, file), line: i + 2, code: body.join("\n") });
        i = j;
    }
    return blocks;
}

function typeCheck(blocks: ICodeBlock[]): Map<ICodeBlock, string[]> {
    const parsed = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const options: ts.CompilerOptions = {
        ...parsed.options,
        noEmit: true,
        noUnusedLocals: false,
        noUnusedParameters: false,
        baseUrl: root,
        paths: Object.fromEntries(Object.entries(ENTRIES).map(([name, path]) => [name, [path]])),
    };
    const virtual = new Map<string, ICodeBlock>();
    blocks.forEach((block, i) => {
        const name = join(root, "tests/docs/.blocks", `${block.doc.replace(/[/.]/g, "_")}_${i}.ts`);
        virtual.set(name, block);
    });
    const host = ts.createCompilerHost(options);
    const { fileExists, readFile, getSourceFile } = host;
    // `export {}` makes each block a module, so blocks neither see nor clash with each other.
    const textOf = (name: string): string | undefined => (virtual.has(name) ? `${virtual.get(name)!.code}\nexport {};\n` : undefined);
    host.fileExists = (name) => virtual.has(name) || fileExists(name);
    host.readFile = (name) => textOf(name) ?? readFile(name);
    host.getSourceFile = (name, language, onError, create) => {
        const text = textOf(name);
        return text !== undefined ? ts.createSourceFile(name, text, language, true) : getSourceFile(name, language, onError, create);
    };
    const program = ts.createProgram([...virtual.keys(), join(__dirname, "docsWorld.d.ts")], options, host);
    const result = new Map<ICodeBlock, string[]>();
    for (const [name, block] of virtual) {
        const file = program.getSourceFile(name)!;
        const messages = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((d) => {
            const { line } = d.start !== undefined ? file.getLineAndCharacterOfPosition(d.start) : { line: 0 };
            return `${block.doc}:${block.line + line}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
        });
        result.set(block, messages);
    }
    return result;
}

describe("code blocks in the docs", () => {
    const blocks = markdownFiles().flatMap(codeBlocks);

    it("are found in the README and the guides", () => {
        expect(blocks.length).toBeGreaterThan(15);
        expect(blocks.some((b) => b.doc === "README.md")).toBe(true);
    });

    it("type-check against the public API", () => {
        const problems = [...typeCheck(blocks).values()].flat();
        expect(problems).toEqual([]);
    });
});
