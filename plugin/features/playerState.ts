/**
 * What the feature extractor needs to know about the player this tick, as plain numbers.
 * Signal sources write into one instance in place; nothing here refers to Babylon.
 */
export interface IPlayerState {
    /** Where the gaze ray starts (eye or camera position), metres. */
    gazeOriginX: number;
    gazeOriginY: number;
    gazeOriginZ: number;
    /** Unit gaze direction. */
    gazeDirX: number;
    gazeDirY: number;
    gazeDirZ: number;
    /** Tracker confidence in the gaze direction. [0, 1] */
    gazeConfidence: number;
    /** Unit view direction of the camera (differs from gaze for pointer and eye gaze). */
    viewDirX: number;
    viewDirY: number;
    viewDirZ: number;
    /** Cosine of half the camera's horizontal field of view. */
    halfFovCos: number;
    /** Player position, metres (the camera or the player's mesh). */
    positionX: number;
    positionY: number;
    positionZ: number;
}

/** A class, not a literal, so no other code's literals can share (and widen) its fields: see gazeSample.ts. */
class PlayerState implements IPlayerState {
    public gazeOriginX = 0;
    public gazeOriginY = 0;
    public gazeOriginZ = 0;
    public gazeDirX = 0;
    public gazeDirY = 0;
    public gazeDirZ = 1;
    public gazeConfidence = 1;
    public viewDirX = 0;
    public viewDirY = 0;
    public viewDirZ = 1;
    public halfFovCos = Math.cos(Math.PI / 4);
    public positionX = 0;
    public positionY = 0;
    public positionZ = 0;
}

export function createPlayerState(): IPlayerState {
    return new PlayerState();
}
