import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import { Scene } from "@babylonjs/core/scene";
import type { AttentionNavigator } from "../../plugin/navigation/index";
import { createEngineAsync } from "./engineFactory";
import { createPlayerCamera } from "./player";
import type { ITourApi, ITourStartup } from "./tourApi";
import { finishAttentionSetup, startAttentionAsync } from "./tour/attentionSetup";
import { Autopilot, COURTYARD_START_LEG, FAST_PACE_STEP_S } from "./tour/autopilot";
import { QuestChain } from "./tour/questChain";
import { TourEvents } from "./tour/tourEvents";
import { Hud } from "./ui/hud";
import { InspectorToggle } from "./ui/inspectorToggle";
import { PathOverlay } from "./ui/pathOverlay";
import { RecordingToggle } from "./ui/recordingToggle";
import { TickTimer } from "./ui/tickTimer";
import { Toast } from "./ui/toast";
import { readUrlOptions } from "./urlOptions";
import { buildExhibits } from "./world/exhibits";
import { buildGuides } from "./world/guides";
import { setUpLighting } from "./world/lighting";
import { createTourMaterials } from "./world/materials";
import { enableHavokAsync } from "./world/physics";
import { buildHints } from "./world/signs";
import { buildSite } from "./world/buildSite";
import { LAYOUT } from "./world/layout";

const KINDS = ["npc", "task", "hint"] as const;

declare global {
    interface Window {
        __tour: Partial<ITourApi> & { ready: Promise<void> };
    }
}

const options = readUrlOptions();
const canvas = document.getElementById("renderCanvas") as HTMLCanvasElement;
const hudElement = document.getElementById("hud") as HTMLElement;
const toast = new Toast(document.getElementById("toast") as HTMLElement);
const api: Partial<ITourApi> & { ready: Promise<void> } = { ready: Promise.resolve(), error: null, focusHistory: [] };
window.__tour = api;
api.ready = startTourAsync().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    api.error = message;
    hudElement.textContent = `The tour could not start:\n${message}`;
    console.error("sample world:", error);
    throw error;
});

async function startTourAsync(): Promise<void> {
    const startup: Partial<ITourStartup> = {};
    const mark = (stage: keyof ITourStartup): void => void (startup[stage] = Math.round(performance.now()));

    const { engine, kind, fallbackReason } = await createEngineAsync(canvas, options.engine);
    engine.setHardwareScalingLevel(options.renderScale);
    window.addEventListener("resize", () => engine.resize());
    mark("engineMs");

    const scene = new Scene(engine);
    const materials = createTourMaterials(scene);
    const shadows = setUpLighting(scene, options.shadows);
    const site = buildSite(scene, materials);
    const camera = createPlayerCamera(scene, canvas);
    // The plugin as soon as the walls (its occluders) and the camera exist: the model and
    // onnxruntime-web download and compile while the rest of the world is built and Havok loads.
    const ticks = new TickTimer(scene); // before the plugin, so it times the plugin's whole tick
    const started = await startAttentionAsync(scene, { camera, occluders: site.walls, backend: options.backend, candidateLimit: options.candidateLimit });
    const { attention } = started;
    const backendHistory: string[] = [];
    attention.backend$.subscribe((backend) => backendHistory.push(backend));
    const modelReady = attention.whenModelReadyAsync().then((backend) => {
        startup.modelMs = Math.round(performance.now());
        toast.show(`Ranking with the ${backend} backend`);
        return backend as string;
    });
    // Where WebGPU exists, "auto" then times it against WASM and keeps the faster.
    void attention.whenBackendChosenAsync().then((choice) => choice && toast.show(`Backend: ${choice.reason}`));
    attention.focus$.subscribe((entry) => entry && api.focusHistory!.push(entry.label));
    const firstModelRanking = attention.onRankingUpdatedObservable.add((ranking) => {
        // A model's ranking carries its attention weights; the heuristic's are all 0.
        if (attention.backend !== "heuristic" && KINDS.some((kind) => ranking[kind].some((entry) => entry.why.attention > 0))) {
            mark("firstModelRankingMs");
            attention.onRankingUpdatedObservable.remove(firstModelRanking);
        }
    });
    mark("pluginMs");
    const guides = buildGuides(scene);
    const exhibits = buildExhibits(scene, materials);
    const { hints, obstacles, bell } = buildHints(scene, materials);
    const solid: Mesh[] = [...site.floors, ...site.walls, ...site.obstacles, ...obstacles, ...exhibits.map((e) => e.plinth)];
    if (shadows) {
        for (const caster of [...guides.map((g) => g.body), ...exhibits.flatMap((e) => [e.art, e.plinth]), bell]) {
            shadows.addShadowCaster(caster, true);
        }
        for (const receiver of [...site.floors, ...site.decor]) {
            receiver.receiveShadows = true;
        }
    }
    mark("worldMs");

    await enableHavokAsync(scene, [...solid, ...guides.map((g) => g.body)]);
    mark("havokMs");

    const { effects, recorder, ticking } = finishAttentionSetup(scene, started, {
        guides,
        exhibits,
        hints,
        depthOfField: options.depthOfField,
        highlight: options.highlight,
        hintView: options.hintView,
        cameraAssist: !options.autopilot,
    });
    ticks.attach(attention);
    ticking.enabled = options.pluginOn;

    // Auto-navigation (the N key). Loaded lazily: recast is the heaviest part of the tour.
    let navigator: AttentionNavigator | null = null;
    try {
        const { AttentionNavigator } = await import("../../plugin/navigation/index");
        navigator = await AttentionNavigator.CreateAsync(scene, {
            walkableMeshes: solid,
            camera,
            // Stop at a conversational distance: near enough to talk, far enough to see the
            // guide whole rather than a body filling the screen.
            arriveDistance: 2.2,
            character: { eyeHeight: 1.7, radius: 0.35, speed: 3 },
        });
        if (navigator.navMeshError) {
            console.warn(`Navigation has no navmesh: ${navigator.navMeshError}`);
        }
    } catch (error) {
        console.warn("Navigation unavailable:", error);
    }
    mark("navMeshMs");

    const exhibitById = new Map(exhibits.map((e) => [e.id, e]));
    const cora = guides.find((g) => g.id === "cora")!;
    const quest = new QuestChain(
        attention,
        camera,
        [
            { id: "mosaic", title: "Visit the Sun Mosaic (A)", node: exhibitById.get("mosaic")!.art, isTask: true, reach: 5 },
            { id: "dancer", title: "Visit the Bronze Dancer (B)", node: exhibitById.get("dancer")!.art, isTask: true, reach: 4 },
            { id: "curator", title: "Talk to Curator Cora", node: cora.body, isTask: false, reach: 3.5 },
        ],
        [{ id: "vase", title: "Bonus: the Golden Vase", node: exhibitById.get("vase")!.art, isTask: true, reach: 4 }],
        scene
    );
    quest.onStepCompletedObservable.add((step) => toast.show(`\u2714 ${step.title}`));
    const events = new TourEvents(attention, guides, bell, (text) => toast.show(text), scene);
    if (options.start === "courtyard") {
        camera.position.set(16.5, LAYOUT.eyeHeight, 0);
        camera.rotation.y = Math.PI / 2;
    }
    const autopilot = options.autopilot
        ? new Autopilot(camera, scene, options.start === "courtyard" ? COURTYARD_START_LEG : 0, options.fastPace ? FAST_PACE_STEP_S : 0)
        : null;
    if (options.showPath && navigator) {
        new PathOverlay(navigator, camera, scene);
    }
    const inspector = new InspectorToggle(attention, effects);
    const recording = new RecordingToggle(recorder);

    const navigateToFocusAsync = async (): Promise<string> => {
        const focus = attention.focus;
        if (!navigator) {
            return "navigation unavailable";
        }
        if (!focus) {
            return "nothing in focus";
        }
        toast.show(`Walking to ${focus.label}\u2026`);
        const end = await navigator.navigateToAsync(focus.node);
        const text = "reason" in end ? `${end.state}: ${end.reason}` : end.state;
        toast.show(`${focus.label}: ${text}`);
        return text;
    };
    const toggleInspectorAsync = async (): Promise<string> => {
        const message = await inspector.toggleAsync();
        toast.show(message, 6000);
        return message;
    };
    const toggleRecording = (): string => {
        const result = recording.toggle();
        toast.show(result.message, result.recording ? 3500 : 6000);
        return result.message;
    };
    let hud: Hud | null = null;
    if (options.hud) {
        hud = new Hud(hudElement, {
            attention,
            engine,
            engineKind: kind,
            backend: () => attention.backend,
            ticks,
            quest: () => quest.state.title,
            navigation: () => (navigator ? navigator.state.state : "unavailable"),
            recording: () =>
                recording.isRecording
                    ? `\u25cf REC ${recording.elapsedSeconds.toFixed(0)} s, ${recorder.tickCount} ticks`
                    : recording.savedFiles.length > 0
                      ? `saved ${recording.savedFiles.length} file${recording.savedFiles.length > 1 ? "s" : ""}`
                      : "off (R records)",
        });
    } else {
        hudElement.hidden = true;
    }

    window.addEventListener("keydown", (event) => {
        if (event.repeat || event.ctrlKey || event.metaKey || event.altKey) {
            return;
        }
        if (event.code === "KeyH") {
            hud?.toggle();
        } else if (event.code === "KeyN") {
            void navigateToFocusAsync();
        } else if (event.code === "KeyI") {
            void toggleInspectorAsync();
        } else if (event.code === "KeyR") {
            toggleRecording();
        }
    });

    Object.assign(api, {
        engine,
        scene,
        camera,
        attention,
        effects,
        navigator,
        engineKind: kind,
        engineFallbackReason: fallbackReason,
        events: events.log,
        backendHistory,
        modelReady,
        navigateToFocusAsync,
        toggleInspectorAsync,
        toggleRecording,
    });
    Object.defineProperties(api, {
        backend: { get: () => attention.backend, enumerable: true },
        focusLabel: { get: () => attention.focus?.label ?? null, enumerable: true },
        quest: { get: () => quest.state, enumerable: true },
        autopilot: { get: () => autopilot?.state ?? null, enumerable: true },
        inspectorVisible: { get: () => inspector.isVisible, enumerable: true },
        recording: {
            get: () => ({ active: recording.isRecording, ticks: recorder.tickCount, savedFiles: [...recording.savedFiles] }),
            enumerable: true,
        },
        pluginTicking: { get: () => ticking.enabled, set: (value: boolean) => (ticking.enabled = value), enumerable: true },
        tickMs: { get: () => ({ average: ticks.averageMs, max: ticks.maxMs, last: ticks.lastMs, ticks: ticks.ticks }), enumerable: true },
    });

    await scene.whenReadyAsync();
    engine.runRenderLoop(() => scene.render());
    await new Promise<void>((resolve) => {
        let frames = 0;
        const observer = engine.onEndFrameObservable.add(() => {
            if (++frames >= 3) {
                engine.onEndFrameObservable.remove(observer);
                resolve();
            }
        });
    });
    mark("firstFrameMs");
    api.startup = startup as ITourStartup; // the same object: modelMs lands in it later
    console.info(`sample world ready on ${kind} (${attention.backend} ranking): ${JSON.stringify(startup)}`);
}
