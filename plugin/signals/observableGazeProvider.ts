import { Logger } from "@babylonjs/core/Misc/logger.js";
import type { Observable as RxObservable, Subscription } from "rxjs";
import { assertGazeSample, copyGazeSample, createGazeSample, type IGazeProvider, type IGazeSample } from "./gazeSample.js";

/**
 * Gaze from any rxjs stream of samples (a custom eye tracker, a network feed, a replay). The
 * latest sample is copied in when it arrives; a sample older than `maxAgeMs` is treated as no
 * gaze, so a stalled tracker does not freeze the focus on a stale ray. A sample that is not a
 * usable ray (NaN from an eye tracker, a zero direction) is skipped with one warning and the
 * last good one stays; an error from the stream ends it with one warning. Neither reaches the
 * game as an unhandled error.
 */
export class ObservableGazeProvider implements IGazeProvider {
    public readonly name = "observable";
    private readonly _latest: IGazeSample = createGazeSample(0, -Infinity);
    private readonly _subscription: Subscription;
    private _received = false;
    private _warnedBadSample = false;

    public constructor(
        source$: RxObservable<IGazeSample>,
        private readonly _maxAgeMs = 500
    ) {
        this._subscription = source$.subscribe({
            next: (sample) => this._accept(sample),
            error: (error: unknown) => Logger.Warn(`ObservableGazeProvider: the gaze stream failed (${error instanceof Error ? error.message : String(error)}); no gaze from it from now on`),
        });
    }

    private _accept(sample: IGazeSample): void {
        try {
            assertGazeSample(sample, "gaze$");
        } catch (error) {
            if (!this._warnedBadSample) {
                this._warnedBadSample = true;
                Logger.Warn(`ObservableGazeProvider: ${(error as Error).message}; the sample is skipped and the last good one kept (warned once)`);
            }
            return;
        }
        const l = this._latest;
        const d = sample.direction;
        const inv = 1 / Math.sqrt(d.x * d.x + d.y * d.y + d.z * d.z);
        l.origin.x = sample.origin.x;
        l.origin.y = sample.origin.y;
        l.origin.z = sample.origin.z;
        l.direction.x = d.x * inv;
        l.direction.y = d.y * inv;
        l.direction.z = d.z * inv;
        l.confidence = Number.isFinite(sample.confidence) ? Math.min(1, Math.max(0, sample.confidence)) : 1;
        l.time = Number.isFinite(sample.time) ? sample.time : NaN;
        this._received = true;
    }

    public read(out: IGazeSample, time: { readonly nowMs: number }): boolean {
        const l = this._latest;
        // A sample without a time never goes stale: the stream owns its own clock.
        if (!this._received || (l.time === l.time && time.nowMs - l.time > this._maxAgeMs)) {
            return false;
        }
        copyGazeSample(l, out);
        if (l.time !== l.time) {
            out.time = time.nowMs;
        }
        return true;
    }

    public dispose(): void {
        this._subscription.unsubscribe();
    }
}
