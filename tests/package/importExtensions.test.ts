import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// Plain Node resolves ESM specifiers literally: "./x" and "@babylonjs/core/scene" (a package
// without an "exports" map) are not found, "./x.js" and "@babylonjs/core/scene.js" are.
// TypeScript's Bundler resolution maps "./x.js" back to x.ts, so the sources carry the
// extension and the emitted dist/ runs in Node as well as in bundlers.

const root = resolve(__dirname, "../..");
const pluginDir = join(root, "plugin");
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*|\bimport\s*\(\s*(?:\/\*[^*]*\*\/\s*)?)["']([^"'\n]+)["']/g;
const PACKAGES_WITHOUT_EXPORTS = ["@babylonjs/core/", "@babylonjs/gui/", "@babylonjs/addons/"];

function sourceFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const full = join(dir, name);
        if (statSync(full).isDirectory()) return sourceFiles(full);
        return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [full] : [];
    });
}

function specifiersOf(file: string): string[] {
    return [...readFileSync(file, "utf8").matchAll(SPECIFIER)].map((m) => m[1]!);
}

describe("import specifiers in plugin/", () => {
    const files = sourceFiles(pluginDir);

    it("finds the plugin sources", () => {
        expect(files.length).toBeGreaterThan(40);
    });

    it("give every relative import a .js extension that names an existing source file", () => {
        const bad: string[] = [];
        for (const file of files) {
            for (const spec of specifiersOf(file)) {
                if (!spec.startsWith("./") && !spec.startsWith("../")) continue;
                const ok = spec.endsWith(".js") && existsSync(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
                if (!ok) bad.push(`${file.slice(root.length + 1)}: "${spec}"`);
            }
        }
        expect(bad).toEqual([]);
    });

    it("give deep imports into packages without an exports map a .js extension", () => {
        const bad: string[] = [];
        for (const file of files) {
            for (const spec of specifiersOf(file)) {
                if (PACKAGES_WITHOUT_EXPORTS.some((p) => spec.startsWith(p)) && !spec.endsWith(".js")) bad.push(`${file.slice(root.length + 1)}: "${spec}"`);
            }
        }
        expect(bad).toEqual([]);
    });
});
