// Session recording for training (docs/recording.md). Opt-in: nothing records unless a game
// creates a SessionRecorder and starts it.
export { SessionRecorder, type ISessionRecorderFault, type ISessionRecorderOptions } from "./sessionRecorder.js";
export { MemorySessionSink, type ISessionSink } from "./sessionSink.js";
export { readSessionAsync, formatSessionProblem, type IReadSessionOptions, type IReadSessionResult, type ISessionProblem } from "./sessionReader.js";
export { DEFAULT_SESSION_LIMITS, DEFAULT_LOAD_MAX_BYTES, DEFAULT_LOAD_MAX_TICKS, SessionLoadBudget, type ISessionLimits } from "./sessionLimits.js";
export type { SessionSource } from "./sessionLines.js";
export {
    PLAYER_STRIDE,
    SESSION_FORMAT,
    SESSION_FORMAT_VERSION,
    type IRecordedEntity,
    type IRecordedEvent,
    type IRecordedSession,
    type IRecordedTick,
    type ISessionHeader,
    type RecordedEventType,
} from "./sessionFormat.js";
