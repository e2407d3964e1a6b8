import type { SessionRecorder } from "../../../plugin/recording/index";

/** What `R` did, for the player and for tests. */
export interface IRecordingToggleResult {
    /** True while recording. */
    recording: boolean;
    /** The file name saved on stop, or null on start. */
    fileName: string | null;
    message: string;
}

/**
 * The `R` key: the first press starts recording the session (docs/recording.md), the next one
 * stops it and saves everything recorded so far as a `.jsonl` download. A later press resumes
 * the same session, so each save holds every part recorded since the page loaded.
 */
export class RecordingToggle {
    /** Files saved so far, in order. */
    public readonly savedFiles: string[] = [];
    private _startedAt = 0;

    public constructor(private readonly _recorder: SessionRecorder) {}

    public get isRecording(): boolean {
        return this._recorder.isRecording;
    }

    /** Seconds since the current recording started, or 0. */
    public get elapsedSeconds(): number {
        return this.isRecording ? (performance.now() - this._startedAt) / 1000 : 0;
    }

    public toggle(): IRecordingToggleResult {
        const recorder = this._recorder;
        if (!recorder.isRecording) {
            recorder.start();
            this._startedAt = performance.now();
            return { recording: true, fileName: null, message: "Recording the session (R stops and saves)" };
        }
        recorder.stop();
        const fileName = `tour-session-${new Date().toISOString().replace(/[:.]/g, "-")}.jsonl`;
        const url = URL.createObjectURL(recorder.toBlob());
        const anchor = Object.assign(document.createElement("a"), { href: url, download: fileName });
        document.body.append(anchor);
        anchor.click();
        anchor.remove();
        // Chromium reads the blob when the click is handled; revoking at once can cancel the save.
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        this.savedFiles.push(fileName);
        return { recording: false, fileName, message: `Saved ${recorder.tickCount} ticks as ${fileName}` };
    }
}
