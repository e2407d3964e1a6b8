import { Session } from "node:inspector/promises";

/** One place that allocated during a sampled span, with the bytes V8's sampler attributed to it. */
export interface IAllocationSite {
    /** `function (file:line)`, the frame that asked for the memory. */
    readonly site: string;
    /** The caller chain above it, nearest first, up to three frames. */
    readonly callers: readonly string[];
    readonly bytes: number;
    /** Whether the measured call or a callee allocated (false: the setup, the harness's own frames, or V8 itself with no script frame). */
    readonly inCall: boolean;
}

export interface ISamplingOptions {
    /** Record an allocation about every this many bytes. @default 64 */
    intervalBytes?: number;
    /** Run the calls this many times over, each run after `beforeWindow`. @default 1 */
    windows?: number;
    /** Called before each window: the allocation meter's full GC, to sample the state it measures in. */
    beforeWindow?: () => void;
}

interface ISamplingNode {
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly selfSize: number;
    readonly children: readonly ISamplingNode[];
}

/**
 * Runs `fn` `calls` times (each after its untimed `setup`), `windows` times over, under V8's
 * sampling heap profiler and returns the allocating sites, most bytes first. Used when the allocation meter reads a
 * non-zero steady state: the meter says how much, this says where. The sampler records an
 * allocation about every `intervalBytes` (so small, rare ones may be missed, and the bytes are
 * estimates). A site is `inCall` when `fn` is on its stack, which tells `fn`'s allocations from
 * `setup`'s.
 */
export async function sampleAllocationSitesAsync(fn: () => void, calls: number, setup: () => void, options: ISamplingOptions = {}): Promise<IAllocationSite[]> {
    const { intervalBytes = 64, windows = 1, beforeWindow } = options;
    const session = new Session();
    session.connect();
    try {
        await session.post("HeapProfiler.enable");
        await session.post("HeapProfiler.startSampling", {
            samplingInterval: intervalBytes,
            includeObjectsCollectedByMajorGC: true,
            includeObjectsCollectedByMinorGC: true,
        });
        for (let w = 0; w < windows; w++) {
            beforeWindow?.();
            for (let i = 0; i < calls; i++) {
                setup();
                sampledCall(fn);
            }
        }
        const { profile } = (await session.post("HeapProfiler.stopSampling")) as { profile: { head: ISamplingNode } };
        const sites = new Map<string, IAllocationSite>();
        collect(profile.head, [], sites);
        return [...sites.values()].sort((a, b) => b.bytes - a.bytes);
    } finally {
        session.disconnect();
    }
}

/**
 * Every measured call goes through this frame, so a sampled stack that holds it is the call's
 * (a name of `fn`'s own is not enough: a bundler's arrow functions show as "(anonymous)").
 */
function sampledCall(fn: () => void): void {
    fn();
}

function collect(node: ISamplingNode, stack: readonly string[], sites: Map<string, IAllocationSite>): void {
    const frame = describe(node);
    const here = frame ? [frame, ...stack] : stack;
    if (node.selfSize > 0) {
        // `fn` or a callee asked for it: the wrapper's own frame is the harness, not `fn`.
        const inCall = here.findIndex((f) => f.startsWith(`${sampledCall.name} (`)) > 0;
        const key = `${inCall} ${here.slice(0, 4).join(" < ")}`;
        const known = sites.get(key);
        sites.set(key, { site: here[0] ?? "(no script frame)", callers: here.slice(1, 4), bytes: (known?.bytes ?? 0) + node.selfSize, inCall });
    }
    for (const child of node.children) {
        collect(child, here, sites);
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
