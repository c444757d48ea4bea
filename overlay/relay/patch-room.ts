/**
 * The clients of a LiveShelf room that opted in to 'room.patch' (`patches: true` in the
 * handshake) are in a second socket.io room, so full states and patches go to disjoint sets.
 * `#` never occurs in a room id (newRoomId is base64url).
 */
export const PATCH_SUFFIX = '#patch';
export const patchRoom = (roomId: string): string => roomId + PATCH_SUFFIX;
