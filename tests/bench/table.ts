/** Formats rows as a Markdown table (readable in a terminal, pasteable into docs/performance.md). */
export function formatTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
    const cells = [header.map(String), ...rows.map((row) => row.map(String))];
    const widths = header.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? "").length)));
    const line = (row: readonly string[]): string => `| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(" | ")} |`;
    const rule = `|${widths.map((w, c) => (c === 0 ? `-${"-".repeat(w)}-` : `-${"-".repeat(w)}:`)).join("|")}|`;
    return [line(cells[0]), rule, ...cells.slice(1).map(line)].join("\n");
}
