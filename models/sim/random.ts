import { mulberry32 } from "../mulberry32";

/**
 * A small seeded random source (mulberry32) with the distributions the simulator needs. Every
 * draw goes through one instance per session, so the same seed replays the same session.
 */
export class SeededRandom {
    /** Uniform in [0, 1). */
    public readonly next: () => number;
    private _spare = NaN;

    public constructor(seed: number) {
        // Mix the seed so nearby seeds (1, 2, 3...) start far apart.
        this.next = mulberry32(hashSeed(seed));
    }

    public range(min: number, max: number): number {
        return min + (max - min) * this.next();
    }

    /** Integer in [min, max] inclusive. */
    public int(min: number, max: number): number {
        return min + Math.floor(this.next() * (max - min + 1));
    }

    public chance(p: number): boolean {
        return this.next() < p;
    }

    public pick<T>(items: readonly T[]): T {
        return items[Math.floor(this.next() * items.length)];
    }

    /** Standard normal (Box-Muller, caching the second value). */
    public gaussian(): number {
        if (this._spare === this._spare) {
            const value = this._spare;
            this._spare = NaN;
            return value;
        }
        let u = 0;
        while (u <= 1e-12) {
            u = this.next();
        }
        const v = this.next();
        const r = Math.sqrt(-2 * Math.log(u));
        this._spare = r * Math.sin(2 * Math.PI * v);
        return r * Math.cos(2 * Math.PI * v);
    }

    /** Log-normal with the given median and log-space sigma. */
    public logNormal(median: number, sigma: number): number {
        return median * Math.exp(sigma * this.gaussian());
    }

    /** Index drawn with probability proportional to `weights[i]` (-1 when all are 0). */
    public weighted(weights: ArrayLike<number>, count = weights.length): number {
        let total = 0;
        for (let i = 0; i < count; i++) {
            total += weights[i] > 0 ? weights[i] : 0;
        }
        if (total <= 0) {
            return -1;
        }
        let r = this.next() * total;
        for (let i = 0; i < count; i++) {
            const w = weights[i] > 0 ? weights[i] : 0;
            if (r < w) {
                return i;
            }
            r -= w;
        }
        return count - 1;
    }

    /** Fisher-Yates shuffle in place. */
    public shuffle<T>(items: T[]): T[] {
        for (let i = items.length - 1; i > 0; i--) {
            const j = Math.floor(this.next() * (i + 1));
            [items[i], items[j]] = [items[j], items[i]];
        }
        return items;
    }
}

/** Derives a well-mixed 32-bit state from any number of integers. */
export function hashSeed(...parts: number[]): number {
    let h = 0x9e3779b9;
    for (const part of parts) {
        h = Math.imul(h ^ (part | 0), 0x85ebca6b);
        h ^= h >>> 13;
        h = Math.imul(h, 0xc2b2ae35);
        h ^= h >>> 16;
    }
    return h | 0;
}
