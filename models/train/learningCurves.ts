/**
 * The learning curves as a hand-written SVG (no plotting dependency): training and validation
 * loss per epoch, the validation loss parts dashed, the best epoch marked.
 */
import type { IEpochRecord } from "./train";

const WIDTH = 640;
const HEIGHT = 360;
const PAD = { left: 56, right: 150, top: 28, bottom: 40 };

function escape(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function learningCurvesSvg(history: readonly IEpochRecord[], bestEpoch: number, title: string): string {
    const epochs = history.map((h) => h.epoch);
    const series: { name: string; color: string; dash: string; values: number[] }[] = [
        { name: "train (total)", color: "#1f77b4", dash: "", values: history.map((h) => h.train) },
        { name: "validation (total)", color: "#d62728", dash: "", values: history.map((h) => h.validation.total) },
        { name: "val engagement", color: "#ff7f0e", dash: "5 3", values: history.map((h) => h.validation.engagement) },
        { name: "val guidance", color: "#2ca02c", dash: "5 3", values: history.map((h) => h.validation.guidance) },
        { name: "val dwell", color: "#9467bd", dash: "5 3", values: history.map((h) => h.validation.dwell) },
    ];
    const all = series.flatMap((s) => s.values).filter(Number.isFinite);
    const maxY = Math.max(...all) * 1.05 || 1;
    const maxX = Math.max(1, Math.ceil(epochs[epochs.length - 1]));
    const plotW = WIDTH - PAD.left - PAD.right;
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    const x = (epoch: number): number => PAD.left + (epoch / maxX) * plotW;
    const y = (v: number): number => PAD.top + plotH - (v / maxY) * plotH;
    const parts: string[] = [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11">`,
        `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
        `<text x="${PAD.left}" y="16" font-size="13" font-weight="bold">${escape(title)}</text>`,
        `<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${PAD.left + plotW}" y2="${PAD.top + plotH}" stroke="#333"/>`,
        `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + plotH}" stroke="#333"/>`,
        `<text x="${PAD.left + plotW / 2}" y="${HEIGHT - 8}" text-anchor="middle">epoch (0 = untrained)</text>`,
        `<text x="14" y="${PAD.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 14 ${PAD.top + plotH / 2})">loss</text>`,
    ];
    for (let i = 0; i <= 4; i++) {
        const v = (maxY * i) / 4;
        parts.push(`<line x1="${PAD.left - 4}" y1="${y(v).toFixed(1)}" x2="${PAD.left + plotW}" y2="${y(v).toFixed(1)}" stroke="#eee"/>`);
        parts.push(`<text x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v.toFixed(2)}</text>`);
    }
    const tickEvery = Math.max(1, Math.ceil(maxX / 10));
    for (let e = 0; e <= maxX; e += tickEvery) {
        parts.push(`<text x="${x(e).toFixed(1)}" y="${PAD.top + plotH + 14}" text-anchor="middle">${e}</text>`);
    }
    parts.push(`<line x1="${x(bestEpoch).toFixed(1)}" y1="${PAD.top}" x2="${x(bestEpoch).toFixed(1)}" y2="${PAD.top + plotH}" stroke="#999" stroke-dasharray="2 2"/>`);
    parts.push(`<text x="${(x(bestEpoch) + 3).toFixed(1)}" y="${PAD.top + 10}" fill="#666">best ${Number(bestEpoch.toFixed(2))}</text>`);
    series.forEach((s, i) => {
        const points = s.values.map((v, i) => `${x(epochs[i]).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
        parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""} points="${points}"/>`);
        const ly = PAD.top + 14 + i * 18;
        parts.push(`<line x1="${WIDTH - PAD.right + 12}" y1="${ly - 4}" x2="${WIDTH - PAD.right + 36}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`);
        parts.push(`<text x="${WIDTH - PAD.right + 40}" y="${ly}">${escape(s.name)}</text>`);
    });
    parts.push("</svg>");
    return parts.join("\n") + "\n";
}
