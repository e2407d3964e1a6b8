import type { OptionRanges } from "../optionRanges.js";
import type { EntityStore } from "./entityStore.js";
import type { IFeatureOptions } from "./featureOptions.js";
import type { IPlayerState } from "./playerState.js";
import type { ITickTime } from "./tickTime.js";

/** How much of a large world a tick re-reads: perception's level of detail. */
export interface IRefreshOptions {
    /**
     * Up to this many tracked entities, every tick re-reads every entity. Above it, entities
     * nobody can be attending to are refreshed in turns (see RefreshPlanner). @default 256
     */
    fullRefreshLimit: number;
    /**
     * The longest any entity goes without a refresh, ms: what an entity nobody looks at, far from
     * the player and with no event, may lag behind the scene. @default 1000
     */
    maxStalenessMs: number;
    /** Entities within this distance of the player (at their last reading) refresh every tick, metres. @default 5 */
    nearDistance: number;
    /**
     * Entities in the gaze cone (and farther than `nearDistance`) are re-evaluated every tick, from
     * a position re-read from the scene at most this often at `nearDistance`, ms, and
     * proportionally less often farther away, down to a quarter as often: their gaze angle
     * follows the gaze at once, and an entity walking past moves the same angle, a degree or
     * two, between reads whether it is 5 m away and read every 150 ms or 20 m away and read every
     * 600 ms. The round robin still reads every entity within `maxStalenessMs`. @default 150
     */
    gazeReadMs: number;
    /**
     * Added to the gaze cone's half-angle when deciding who could be looked at this tick: covers
     * how far an entity may have moved since its last reading, radians. @default 0.035 (2 degrees)
     */
    gazeMargin: number;
}

const RANGE_SLACK_METRES = 5;
/** A gazed-at entity is re-read at most this many times less often than at `nearDistance`. */
const MAX_GAZE_READ_SCALE = 4;


/** The level-of-detail settings the plugin uses unless `refresh` overrides them (ranges in REFRESH_OPTION_RANGES). */
export const DEFAULT_REFRESH_OPTIONS: Readonly<IRefreshOptions> = Object.freeze({
    fullRefreshLimit: 256,
    maxStalenessMs: 1000,
    nearDistance: 5,
    gazeReadMs: 150,
    gazeMargin: (2 * Math.PI) / 180,
});

/** The range of each refresh option, checked at creation. */
export const REFRESH_OPTION_RANGES: OptionRanges<IRefreshOptions> = Object.freeze({
    fullRefreshLimit: { min: 0, max: Infinity, integer: true },
    maxStalenessMs: { min: 0, max: Infinity, minExclusive: true },
    nearDistance: { min: 0, max: Infinity },
    gazeReadMs: { min: 0, max: Infinity },
    gazeMargin: { min: 0, max: Math.PI / 2 },
});

/**
 * Chooses which entities this tick reads from the scene and re-scores. Reading a mesh's world
 * matrix is the one per-entity cost that does not shrink with tight loops (each is a few cache
 * misses in Babylon's object graph), so in large worlds a tick reads only the entities that
 * can matter now and a rotating share of the rest:
 * - every entity flagged `hot`: new, just given an event (which usually lifts it into a ranking,
 *   and what is ranked stays hot), in a ranking or among the model's candidates;
 * - every entity near the player, or inside the gaze cone plus a margin and within gaze range
 *   (`maxDistance`), judged from its last known position (arithmetic over the store, no scene
 *   access; half of the entities each tick, alternating), and every entity that was in the cone
 *   at its last evaluation (until it is out);
 * - a round-robin window sized so that every entity is refreshed at least every `maxStalenessMs`.
 * Entities due only because of the gaze cone are re-evaluated every tick but re-read from the
 * scene at most every `gazeReadMs` (scaled by distance over `nearDistance`, for the same angular
 * error): their gaze angle tracks the gaze at once from the last known position. A skipped
 * entity keeps its last features and score; decays and rates use each entity's own time since
 * its last evaluation, so a late refresh gives the same values as a punctual one.
 * Up to `fullRefreshLimit` entities nothing is skipped.
 */
export class RefreshPlanner {
    /** The slots to re-evaluate this tick (gaze geometry, features, score), ascending, in `[0, count)`. */
    public slots = new Int32Array(16);
    public count = 0;
    /** The subset of `slots` whose positions are read from the scene this tick, in `[0, readCount)`. */
    public readSlots = new Int32Array(16);
    public readCount = 0;
    private _cursor = 0;
    private _fullRequested = true;
    private _parity = 0;

    /** Makes the next plan refresh every entity (weights or options changed, for example). */
    public requestFullRefresh(): void {
        this._fullRequested = true;
    }

    public plan(store: EntityStore, player: IPlayerState, features: IFeatureOptions, options: IRefreshOptions, time: ITickTime): void {
        const n = store.count;
        if (this.slots.length < n) {
            this.slots = new Int32Array(store.capacity);
            this.readSlots = new Int32Array(store.capacity);
        }
        const slots = this.slots;
        const readSlots = this.readSlots;
        const { hot, readAt } = store;
        const nowMs = time.nowMs;
        if (this._fullRequested || n <= options.fullRefreshLimit) {
            this._fullRequested = false;
            for (let i = 0; i < n; i++) {
                slots[i] = i;
                readSlots[i] = i;
                hot[i] = 0;
                readAt[i] = nowMs;
            }
            this.count = this.readCount = n;
            return;
        }

        // The round-robin window [start, start + budget) (wrapping), sized by this tick's dt, is
        // flagged hot here: the pass below then asks one question per row where it asked three.
        const budget = Math.min(n, Math.max(1, Math.ceil((n * time.dtSeconds * 1000) / options.maxStalenessMs)));
        let cursor = this._cursor < n ? this._cursor : 0;
        for (let k = 0; k < budget; k++) {
            hot[cursor] = 1;
            cursor = cursor + 1 === n ? 0 : cursor + 1;
        }
        this._cursor = cursor;

        const { x, y, z, radius, distance, alignment, valid } = store;
        const ox = player.gazeOriginX;
        const oy = player.gazeOriginY;
        const oz = player.gazeOriginZ;
        const dx = player.gazeDirX;
        const dy = player.gazeDirY;
        const dz = player.gazeDirZ;
        const wide = features.gazeConeHalfAngle + options.gazeMargin;
        // A cone as wide as a right angle or wider takes everything in front: a bar of 0 below.
        const cosWide = wide < Math.PI ? Math.cos(wide) : -1;
        const coneBar = cosWide > 0 ? cosWide * cosWide : 0;
        const near = options.nearDistance;
        // Gaze only counts within maxDistance; the slack covers movement since the last reading.
        const inRange = features.maxDistance + RANGE_SLACK_METRES;
        // A cone entity's re-read interval grows with its distance: what matters to gaze is the
        // angle its movement sweeps between reads, and that shrinks with distance. Capped, so a
        // far entity that starts running is not left behind for long.
        // The interval is `gazeReadMs` at `nearDistance` and closer, in proportion beyond, capped.
        // Worked out inline below, not in a helper: V8 boxes the fractional numbers passed to and
        // returned from a call it does not inline, a heap allocation per entity, and whether it
        // inlines varies from process to process.
        const gazeReadMs = options.gazeReadMs;
        const gazeReadMaxMs = MAX_GAZE_READ_SCALE * gazeReadMs;
        const gazeReadMsPerMetre = near > 0 ? gazeReadMs / near : 0;
        const parity = this._parity;
        this._parity = parity ^ 1;
        let count = 0;
        let readCount = 0;
        for (let i = 0; i < n; i++) {
            let due = hot[i] === 1;
            // Whether the position must be read now: yes for every reason but the gaze cone.
            let read = due;
            if (!due && valid[i] === 1) {
                const d = distance[i];
                if (d < near) {
                    due = read = true;
                } else if (alignment[i] > 0) {
                    // It was in the gaze cone at its last evaluation: evaluate it until it is not,
                    // or its gaze features would keep it ranked where the gaze no longer is.
                    due = true;
                    const scaled = d * gazeReadMsPerMetre;
                    read = !(nowMs - readAt[i] < (scaled < gazeReadMs ? gazeReadMs : scaled < gazeReadMaxMs ? scaled : gazeReadMaxMs));
                } else if (d <= inRange && (i & 1) === parity) {
                    // Half of the rest each tick: an entity entering the cone is found a tick
                    // later at worst, and from then on the rule above keeps it due.
                    // In the widened cone from the last known position; the radius widens it
                    // further for big entities (a conservative stand-in for their angular size).
                    const gx = x[i] - ox;
                    const gy = y[i] - oy;
                    const gz = z[i] - oz;
                    // along + r >= cosWide * |g|, squared to skip the square root, with the sign
                    // kept (reach x |reach|): one compare where "in front and inside the cone"
                    // would be two branches, the first a coin toss for every entity in range.
                    const reach = gx * dx + gy * dy + gz * dz + radius[i];
                    due = reach * Math.abs(reach) >= coneBar * (gx * gx + gy * gy + gz * gz);
                    const scaled = d * gazeReadMsPerMetre;
                    read = due && !(nowMs - readAt[i] < (scaled < gazeReadMs ? gazeReadMs : scaled < gazeReadMaxMs ? scaled : gazeReadMaxMs));
                }
            }
            if (due) {
                slots[count++] = i;
                hot[i] = 0;
                if (read) {
                    readSlots[readCount++] = i;
                    readAt[i] = nowMs;
                }
            }
        }
        this.count = count;
        this.readCount = readCount;
    }
}
