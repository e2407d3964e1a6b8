import type { ILayout } from "../layout";
import type { SeededRandom } from "../random";

/** Emits one game event on entity `entity`. */
export type EmitEvent = (entity: number, type: "speech" | "sound", intensity: number) => void;

/** Mean quiet time between an NPC's talking spells, seconds. */
const NPC_QUIET_MEAN_S = 18;
/** A talking spell's length and the gap between its utterances, seconds. */
const SPELL_S: [number, number] = [3, 7];
const UTTERANCE_GAP_S: [number, number] = [0.7, 1.6];
/** Chimes per second of a quest exhibit and of any other exhibit. */
const QUEST_CHIME_RATE = 1 / 40;
const EXHIBIT_CHIME_RATE = 1 / 90;

/**
 * The second population's world: NPCs talk in spells (a run of utterances, then a long quiet)
 * rather than in lone random lines, quest exhibits chime more often than the rest, and an NPC
 * the visitor talks to starts a spell of its own. The training simulator's world
 * (simulateSession.ts) has independent one-off events at fixed rates.
 */
export class PersonaWorldEvents {
    private readonly _nextS: Float32Array;
    private readonly _spellEndS: Float32Array;

    public constructor(
        private readonly _layout: ILayout,
        private readonly _random: SeededRandom
    ) {
        const n = _layout.entities.length;
        this._nextS = new Float32Array(n);
        this._spellEndS = new Float32Array(n).fill(-1);
        _layout.entities.forEach((e, i) => {
            if (e.kind === "npc") {
                this._nextS[i] = this._exponential(NPC_QUIET_MEAN_S / 2);
            }
        });
    }

    /** Advances the world to `nowS`, emitting what happens in this step. */
    public step(dt: number, nowS: number, isQuestOpen: (entity: number) => boolean, emit: EmitEvent): void {
        const r = this._random;
        const entities = this._layout.entities;
        for (let i = 0; i < entities.length; i++) {
            const kind = entities[i].kind;
            if (kind === "npc") {
                if (nowS < this._nextS[i]) {
                    continue;
                }
                if (nowS > this._spellEndS[i]) {
                    // The first line of a new spell.
                    this._spellEndS[i] = nowS + r.range(SPELL_S[0], SPELL_S[1]);
                }
                emit(i, "speech", r.range(0.7, 1));
                const gap = r.range(UTTERANCE_GAP_S[0], UTTERANCE_GAP_S[1]);
                this._nextS[i] = nowS + gap > this._spellEndS[i] ? nowS + this._exponential(NPC_QUIET_MEAN_S) : nowS + gap;
            } else if (kind === "task") {
                const rate = isQuestOpen(i) ? QUEST_CHIME_RATE : EXHIBIT_CHIME_RATE;
                if (r.chance(rate * dt)) {
                    emit(i, "sound", r.range(0.4, 0.7));
                }
            }
        }
    }

    /** The visitor spoke to NPC `entity`: it answers in a spell starting now. */
    public answer(entity: number, nowS: number): void {
        this._spellEndS[entity] = nowS + this._random.range(SPELL_S[0], SPELL_S[1]);
        this._nextS[entity] = nowS + this._random.range(UTTERANCE_GAP_S[0], UTTERANCE_GAP_S[1]);
    }

    private _exponential(meanS: number): number {
        return -meanS * Math.log(Math.max(1e-9, 1 - this._random.next()));
    }
}
