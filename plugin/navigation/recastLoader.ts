import type { RecastInjection } from "@babylonjs/addons/navigation/types.js";

let _loading: Promise<RecastInjection> | null = null;

/**
 * Loads recast-navigation from the npm packages (never from a CDN) and initialises its wasm.
 * The result is what Babylon's navigation plugin V2 expects as `instance`: the core module's
 * exports merged with the generators'. Loaded once per page; imported lazily so that the
 * plugin's main entry never pulls recast in.
 * @returns the recast injection for `CreateNavigationPluginAsync({ instance })`
 */
export function LoadRecastAsync(): Promise<RecastInjection> {
    if (!_loading) {
        _loading = (async () => {
            const [core, generators] = await Promise.all([import("@recast-navigation/core"), import("@recast-navigation/generators")]);
            await core.init();
            return { ...core, ...generators };
        })();
        // A failed load (wasm blocked, missing package) may be retried later.
        _loading.catch(() => {
            _loading = null;
        });
    }
    return _loading;
}
