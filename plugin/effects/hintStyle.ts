/** The look both guidance hint views share by default, so switching views keeps the hint's look. */
export const HINT_STYLE_DEFAULTS = Object.freeze({
    fontSize: 20,
    color: "#ffffff",
    background: "#000000b3",
    arrowColor: "#ffd34d",
    arrowGlyph: "\u27a4",
    linkOffsetY: -70,
});
