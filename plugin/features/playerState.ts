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

export function createPlayerState(): IPlayerState {
    return {
        gazeOriginX: 0,
        gazeOriginY: 0,
        gazeOriginZ: 0,
        gazeDirX: 0,
        gazeDirY: 0,
        gazeDirZ: 1,
        gazeConfidence: 1,
        viewDirX: 0,
        viewDirY: 0,
        viewDirZ: 1,
        halfFovCos: Math.cos(Math.PI / 4),
        positionX: 0,
        positionY: 0,
        positionZ: 0,
    };
}
