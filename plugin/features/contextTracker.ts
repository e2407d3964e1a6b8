import type { EntityStore } from "./entityStore.js";
import type { IFeatureOptions } from "./featureOptions.js";
import { CONTEXT_COUNT, Context } from "./featureSchema.js";
import type { IPlayerState } from "./playerState.js";
import type { ITickTime } from "./tickTime.js";

/** Time constant of the slow gaze average that gaze wander is measured against, seconds. */
const WANDER_SECONDS = 3;

/**
 * Integrates the player context vector over time: speed, how long since the player engaged
 * anything or made task progress, and how restless the gaze is. One instance per plugin;
 * `update` runs once per tick and writes `context` in place.
 */
export class ContextTracker {
    public readonly context = new Float32Array(CONTEXT_COUNT);

    /** Clock time of the last engagement and the last task progress, ms (NaN: not yet). */
    public lastEngagementMs = NaN;
    public lastProgressMs = NaN;

    private _hasPrevious = false;
    private _prevX = 0;
    private _prevY = 0;
    private _prevZ = 0;
    private _prevDirX = 0;
    private _prevDirY = 0;
    private _prevDirZ = 1;
    // Slow exponential average of the gaze direction (not normalised).
    private _avgDirX = 0;
    private _avgDirY = 0;
    private _avgDirZ = 1;
    private _startMs = NaN;
    /**
     * 32-bit views of the store's flag columns (valid, active, inView), remade when the store
     * grows. Each column owns its buffer, so it starts on a 4-byte boundary as the views need.
     */
    private _words: [Uint32Array, Uint32Array, Uint32Array] = [new Uint32Array(0), new Uint32Array(0), new Uint32Array(0)];

    public update(player: IPlayerState, store: EntityStore, options: IFeatureOptions, time: ITickTime): Float32Array {
        const nowMs = time.nowMs;
        const dtSeconds = time.dtSeconds;
        const c = this.context;
        if (this._startMs !== this._startMs) {
            this._startMs = nowMs;
        }
        let speed = 0;
        let gazeSpeed = 0;
        if (this._hasPrevious && dtSeconds > 0) {
            const mx = player.positionX - this._prevX;
            const my = player.positionY - this._prevY;
            const mz = player.positionZ - this._prevZ;
            speed = Math.sqrt(mx * mx + my * my + mz * mz) / dtSeconds;
            const cos = player.gazeDirX * this._prevDirX + player.gazeDirY * this._prevDirY + player.gazeDirZ * this._prevDirZ;
            gazeSpeed = Math.acos(cos > 1 ? 1 : cos < -1 ? -1 : cos) / dtSeconds;
            const blend = 1 - Math.exp(-dtSeconds / WANDER_SECONDS);
            this._avgDirX += (player.gazeDirX - this._avgDirX) * blend;
            this._avgDirY += (player.gazeDirY - this._avgDirY) * blend;
            this._avgDirZ += (player.gazeDirZ - this._avgDirZ) * blend;
        } else {
            this._avgDirX = player.gazeDirX;
            this._avgDirY = player.gazeDirY;
            this._avgDirZ = player.gazeDirZ;
        }
        this._hasPrevious = true;
        this._prevX = player.positionX;
        this._prevY = player.positionY;
        this._prevZ = player.positionZ;
        this._prevDirX = player.gazeDirX;
        this._prevDirY = player.gazeDirY;
        this._prevDirZ = player.gazeDirZ;

        // The average of unit vectors shrinks when the gaze sweeps around: 1 - |avg| is wander.
        const avgLength = Math.sqrt(this._avgDirX * this._avgDirX + this._avgDirY * this._avgDirY + this._avgDirZ * this._avgDirZ);
        const wander = 1 - (avgLength < 1 ? avgLength : 1);

        // Counts over every row, four rows a step: each flag column holds only 0 and 1 per byte,
        // so a 32-bit word of one ANDed with the same word of another flags both per byte, and
        // imul by 0x01010101 adds a word's four bytes into its top byte.
        const { valid, active, inView: inViewColumn } = store;
        const count = store.count;
        const words = this._flagWords(valid, active, inViewColumn);
        const valid32 = words[0];
        const active32 = words[1];
        const inView32 = words[2];
        let activeTasks = 0;
        let inView = 0;
        let validCount = 0;
        const wholeWords = count >> 2;
        for (let w = 0; w < wholeWords; w++) {
            const v = valid32[w];
            validCount += Math.imul(v, 0x01010101) >>> 24;
            activeTasks += Math.imul(active32[w] & v, 0x01010101) >>> 24;
            inView += Math.imul(inView32[w] & v, 0x01010101) >>> 24;
        }
        for (let i = wholeWords << 2; i < count; i++) {
            const v = valid[i];
            validCount += v;
            activeTasks += active[i] & v;
            inView += inViewColumn[i] & v;
        }

        const sinceEngagement = (nowMs - (this.lastEngagementMs === this.lastEngagementMs ? this.lastEngagementMs : this._startMs)) / 1000;
        const sinceProgress = (nowMs - (this.lastProgressMs === this.lastProgressMs ? this.lastProgressMs : this._startMs)) / 1000;
        const s = speed / options.walkSpeedScale;
        const g = gazeSpeed / options.gazeTurnScale;
        c[Context.Speed] = s < 1 ? s : 1;
        c[Context.SinceEngagement] = sinceEngagement / (sinceEngagement + 10);
        c[Context.ActiveTask] = activeTasks > 0 ? 1 : 0;
        c[Context.SinceProgress] = sinceProgress / (sinceProgress + 30);
        c[Context.GazeWander] = wander < 1 ? wander : 1;
        c[Context.GazeSpeed] = g < 1 ? g : 1;
        c[Context.InViewFraction] = validCount > 0 ? inView / validCount : 0;
        c[Context.Bias] = 1;
        return c;
    }

    private _flagWords(valid: Uint8Array, active: Uint8Array, inView: Uint8Array): [Uint32Array, Uint32Array, Uint32Array] {
        const words = this._words;
        if (words[0].buffer !== valid.buffer || words[1].buffer !== active.buffer || words[2].buffer !== inView.buffer) {
            const view = (column: Uint8Array): Uint32Array => new Uint32Array(column.buffer, column.byteOffset, column.length >> 2);
            this._words = [view(valid), view(active), view(inView)];
        }
        return this._words;
    }
}
