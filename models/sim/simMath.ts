/** The angle in (-PI, PI] that points the same way as `angle` (radians). */
export function wrap(angle: number): number {
    return Math.atan2(Math.sin(angle), Math.cos(angle));
}

export function clamp(value: number, min: number, max: number): number {
    return value < min ? min : value > max ? max : value;
}
