import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// The Inspector pane is an optional subpath ("babylon-attention/inspector"): importing the
// plugin's main entry must load neither @babylonjs/inspector nor React. Walks the runtime
// import graph of plugin/index.ts statically (type-only imports are erased, so they are skipped).
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const forbidden = [/^@babylonjs\/inspector(\/|$)/, /^react(-dom)?(\/|$)/, /^@fluentui\//];

interface IGraph {
    files: Set<string>;
    /** Bare specifiers (packages) with the first file that imports each. */
    packages: Map<string, string>;
}

function runtimeSpecifiers(file: string): string[] {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const out: string[] = [];
    const visit = (node: ts.Node): void => {
        if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
            const clause = node.importClause;
            const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
            const typeOnly = clause?.isTypeOnly || (clause && !clause.name && named && named.length > 0 && named.every((e) => e.isTypeOnly));
            if (!typeOnly) {
                out.push(node.moduleSpecifier.text);
            }
        } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
            const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
            if (!node.isTypeOnly && !(named && named.length > 0 && named.every((e) => e.isTypeOnly))) {
                out.push(node.moduleSpecifier.text);
            }
        } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0])) {
            out.push((node.arguments[0] as ts.StringLiteral).text);
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return out;
}

function resolveRelative(from: string, specifier: string): string {
    const base = resolve(dirname(from), specifier).replace(/\.js$/, "");
    for (const candidate of [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, base]) {
        if (existsSync(candidate) && candidate.match(/\.tsx?$/)) {
            return candidate;
        }
    }
    throw new Error(`cannot resolve ${specifier} from ${relative(repoRoot, from)}`);
}

function walk(entry: string): IGraph {
    const graph: IGraph = { files: new Set(), packages: new Map() };
    const pending = [entry];
    while (pending.length > 0) {
        const file = pending.pop()!;
        if (graph.files.has(file)) {
            continue;
        }
        graph.files.add(file);
        for (const specifier of runtimeSpecifiers(file)) {
            if (specifier.startsWith(".")) {
                pending.push(resolveRelative(file, specifier));
            } else if (!graph.packages.has(specifier)) {
                graph.packages.set(specifier, relative(repoRoot, file));
            }
        }
    }
    return graph;
}

describe("the plugin's main entry", () => {
    const main = walk(resolve(repoRoot, "plugin/index.ts"));

    it("loads neither @babylonjs/inspector nor React nor Fluent UI", () => {
        // The walk really covers the plugin, so an empty result cannot pass by accident.
        expect(main.files.size).toBeGreaterThan(20);
        expect([...main.files].map((f) => relative(repoRoot, f))).toContain("plugin/attentionPlugin.ts");
        expect(main.packages.has("@babylonjs/core/scene") || [...main.packages.keys()].some((p) => p.startsWith("@babylonjs/core/"))).toBe(true);
        const offenders = [...main.packages].filter(([specifier]) => forbidden.some((re) => re.test(specifier))).map(([s, by]) => `${s} (imported by ${by})`);
        expect(offenders).toEqual([]);
        const inspectorFiles = [...main.files].map((f) => relative(repoRoot, f)).filter((f) => f.startsWith("plugin/inspector/"));
        expect(inspectorFiles).toEqual([]);
    });

    it("is told apart from the inspector subpath, which does load them", () => {
        // The same walk over the subpath finds the Inspector and React: the check above can fail.
        const inspector = walk(resolve(repoRoot, "plugin/inspector/index.ts"));
        const packages = [...inspector.packages.keys()];
        expect(packages.some((p) => /^@babylonjs\/inspector/.test(p))).toBe(true);
        expect(packages.some((p) => /^react($|\/)/.test(p))).toBe(true);
    });
});
