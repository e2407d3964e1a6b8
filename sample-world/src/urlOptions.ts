/** What the page's query string asks for. */
export interface ITourUrlOptions {
    /** `?engine=webgl2` forces WebGL2; `webgpu` (default) tries WebGPU and falls back. */
    engine: "webgpu" | "webgl2";
    /** `?autopilot`: the scripted tour walks and looks around on its own. */
    autopilot: boolean;
    /** `?pace=fast`: the autopilot steps a fixed 0.4 s of tour time per frame instead of following frame time. */
    fastPace: boolean;
    /** `?plugin=off`: the plugin stays created but does not tick (frame-time comparisons). */
    pluginOn: boolean;
    /** `?path`: draw the navigator's planned path and the way walked. */
    showPath: boolean;
    /** `?hud=0` hides the HUD (clean screenshots). */
    hud: boolean;
    /** `?k=4`: how many candidates the model ranks per tick (fewer than the world tracks exercises the top-K). @default the plugin's 64 */
    candidateLimit: number | undefined;
    /** `?backend=auto|webgpu|wasm|heuristic`: who ranks. @default "auto" */
    backend: "auto" | "webgpu" | "wasm" | "heuristic";
    /** `?start=courtyard` starts at the passage's courtyard end instead of the gallery (the autopilot picks up there). */
    start: "gallery" | "courtyard";
    /** `?shadows=0` turns the sun's shadows off. */
    shadows: boolean;
    /** `?scale=2` renders at half resolution (hardware scaling level), for slow software GPUs. */
    renderScale: number;
    /** `?dof=0` turns the depth-of-field effect off (it is the costliest on software GPUs). */
    depthOfField: boolean;
    /** `?highlight=glow` (default) draws the focus as a HighlightLayer glow; `overlay` as a tint over the mesh, far cheaper per frame. */
    highlight: "glow" | "overlay";
    /** `?hint=gui` draws the guidance hint with Babylon GUI; `layer` (default) with the core layer view. */
    hintView: "layer" | "gui";
}

export function readUrlOptions(search: string = location.search): ITourUrlOptions {
    const params = new URLSearchParams(search);
    const engine = params.get("engine");
    if (engine !== null && engine !== "webgpu" && engine !== "webgl2") {
        console.warn(`?engine=${engine} is unknown; expected webgpu or webgl2. Using webgpu.`);
    }
    const backend = params.get("backend") ?? "auto";
    if (!["auto", "webgpu", "wasm", "heuristic"].includes(backend)) {
        console.warn(`?backend=${backend} is unknown; expected auto, webgpu, wasm or heuristic. Using auto.`);
    }
    const highlight = params.get("highlight") ?? "glow";
    if (highlight !== "glow" && highlight !== "overlay") {
        console.warn(`?highlight=${highlight} is unknown; expected glow or overlay. Using glow.`);
    }
    const hint = params.get("hint") ?? "layer";
    if (hint !== "layer" && hint !== "gui") {
        console.warn(`?hint=${hint} is unknown; expected layer or gui. Using layer.`);
    }
    const k = params.get("k");
    const candidateLimit = k === null ? undefined : Number(k);
    if (candidateLimit !== undefined && !(Number.isInteger(candidateLimit) && candidateLimit >= 1 && candidateLimit <= 4096)) {
        console.warn(`?k=${k} is not an integer in [1, 4096]. Using the default.`);
    }
    return {
        candidateLimit: candidateLimit !== undefined && Number.isInteger(candidateLimit) && candidateLimit >= 1 && candidateLimit <= 4096 ? candidateLimit : undefined,
        backend: backend === "webgpu" || backend === "wasm" || backend === "heuristic" ? backend : "auto",
        engine: engine === "webgl2" ? "webgl2" : "webgpu",
        autopilot: params.has("autopilot") && params.get("autopilot") !== "0",
        fastPace: params.get("pace") === "fast",
        pluginOn: params.get("plugin") !== "off",
        showPath: params.has("path") && params.get("path") !== "0",
        hud: params.get("hud") !== "0",
        depthOfField: params.get("dof") !== "0",
        highlight: highlight === "overlay" ? "overlay" : "glow",
        hintView: hint === "gui" ? "gui" : "layer",
        shadows: params.get("shadows") !== "0",
        start: params.get("start") === "courtyard" ? "courtyard" : "gallery",
        renderScale: Math.min(4, Math.max(0.5, Number(params.get("scale") ?? "1") || 1)),
    };
}
