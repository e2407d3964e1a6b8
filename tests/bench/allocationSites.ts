import { Session } from "node:inspector/promises";

/** One place that allocated during a sampled span, with the bytes V8's sampler attributed to it. */
export interface IAllocationSite {
    /** `function (file:line)`, the frame that asked for the memory. */
    readonly site: string;
    /** The caller chain above it, nearest first, up to three frames. */
    readonly callers: readonly string[];
    readonly bytes: number;
}

interface ISamplingNode {
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly selfSize: number;
    readonly children: readonly ISamplingNode[];
}

/**
 * Runs `fn` `calls` times (each after its untimed `setup`) under V8's sampling heap profiler and
 * returns the allocating sites, most bytes first. Used when the allocation meter reads a
 * non-zero steady state: the meter says how much, this says where. The sampler records an
 * allocation about every `intervalBytes` (so small, rare ones may be missed, and the bytes are
 * estimates). Only stacks through a frame named like `fn` count, so `setup`'s are left out:
 * give `fn` a name.
 */
export async function sampleAllocationSitesAsync(fn: () => void, calls: number, setup: () => void, intervalBytes = 64): Promise<IAllocationSite[]> {
    // Only what `fn` allocated: its frame (by name) must be on the allocating stack.
    const under = fn.name;
    const session = new Session();
    session.connect();
    try {
        await session.post("HeapProfiler.enable");
        await session.post("HeapProfiler.startSampling", {
            samplingInterval: intervalBytes,
            includeObjectsCollectedByMajorGC: true,
            includeObjectsCollectedByMinorGC: true,
        });
        for (let i = 0; i < calls; i++) {
            setup();
            fn();
        }
        const { profile } = (await session.post("HeapProfiler.stopSampling")) as { profile: { head: ISamplingNode } };
        const sites = new Map<string, IAllocationSite>();
        collect(profile.head, [], sites, under);
        return [...sites.values()].sort((a, b) => b.bytes - a.bytes);
    } finally {
        session.disconnect();
    }
}

function collect(node: ISamplingNode, stack: readonly string[], sites: Map<string, IAllocationSite>, under: string): void {
    const frame = describe(node);
    const here = frame ? [frame, ...stack] : stack;
    if (node.selfSize > 0 && here.length > 0 && (!under || here.some((f) => f.startsWith(`${under} (`)))) {
        const key = here.slice(0, 4).join(" < ");
        const known = sites.get(key);
        sites.set(key, { site: here[0], callers: here.slice(1, 4), bytes: (known?.bytes ?? 0) + node.selfSize });
    }
    for (const child of node.children) {
        collect(child, here, sites, under);
    }
}

function describe(node: ISamplingNode): string | null {
    const { functionName, url, lineNumber } = node.callFrame;
    if (!url && !functionName) {
        return null;
    }
    const file = url.replace(/^.*\/(node_modules\/)?/, "$1");
    return `${functionName || "(anonymous)"} (${file}:${lineNumber + 1})`;
}
