import { useEffect, useState } from "react";
import type { AttentionPlugin } from "../attentionPlugin.js";

/** Inspector views redraw from the ranking at most this often, whatever the tick rate. ms */
export const RANKING_REFRESH_MS = 150;

/**
 * React state taken from the plugin's ranking: `take` runs after a ranking update, at most once
 * every RANKING_REFRESH_MS, and must copy what it needs (ranking entries are reused in place).
 */
export function useRankingSnapshot<T>(attention: AttentionPlugin, take: (attention: AttentionPlugin) => T): T {
    const [snapshot, setSnapshot] = useState(() => take(attention));
    useEffect(() => {
        let last = 0;
        let timer: ReturnType<typeof setTimeout> | null = null;
        const refresh = (): void => {
            timer = null;
            last = performance.now();
            setSnapshot(take(attention));
        };
        const observer = attention.onRankingUpdatedObservable.add(() => {
            if (timer === null) {
                timer = setTimeout(refresh, Math.max(0, RANKING_REFRESH_MS - (performance.now() - last)));
            }
        });
        return () => {
            // Deferred: the pane may unmount from inside a ranking notification, and an
            // immediate removal there makes Babylon skip the next observer.
            observer.remove(true);
            if (timer !== null) {
                clearTimeout(timer);
            }
        };
        // `take` is a module-level function in every caller; following the plugin is enough.
        // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [attention]);
    return snapshot;
}
