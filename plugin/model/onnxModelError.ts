/** Why a model could not be used. */
export type OnnxModelErrorKind =
    /** The bytes are not an ONNX model (corrupt, truncated, or another file). */
    | "invalid-file"
    /** The file loads but its inputs or outputs differ from the manifest. */
    | "io-mismatch"
    /** The file loads and its I/O names fit, but a run with the expected shapes fails. */
    | "probe-failed"
    /** The bytes could not be fetched or read, or the backend could not create a session. */
    | "load-failed";

/**
 * A model that cannot be used, with every problem as one sentence naming the input or output
 * and the expected shape. The message joins the problems, so logging the error is enough.
 */
export class OnnxModelError extends Error {
    public override readonly name = "OnnxModelError";

    public constructor(
        public readonly kind: OnnxModelErrorKind,
        public readonly problems: readonly string[],
    ) {
        super(problems.join("; "));
    }
}

/** Rejection of `score()` while the previous run is still in flight (runs are never queued). */
export class OnnxScorerBusyError extends Error {
    public override readonly name = "OnnxScorerBusyError";

    public constructor() {
        super("the ONNX scorer is already running; wait for the previous score() to settle (ticks are dropped, never queued)");
    }
}
