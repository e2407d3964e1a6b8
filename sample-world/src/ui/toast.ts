/** A one-line message at the bottom of the screen that fades after a few seconds. */
export class Toast {
    private _timer: ReturnType<typeof setTimeout> | undefined;

    public constructor(private readonly _element: HTMLElement) {}

    public show(text: string, durationMs = 3500): void {
        this._element.textContent = text;
        this._element.hidden = false;
        clearTimeout(this._timer);
        this._timer = setTimeout(() => (this._element.hidden = true), durationMs);
    }
}
