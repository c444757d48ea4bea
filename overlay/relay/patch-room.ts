/**
 * The clients of a LiveShelf room that opted in to 'room.patch' (`patches: true` in the
 * handshake) are in a second socket.io room, so full states and patches go to disjoint sets.
 * `#` never occurs in a room id (newRoomId is base64url).
 */
export const PATCH_SUFFIX = '#patch';
export const patchRoom = (roomId: string): string => roomId + PATCH_SUFFIX;

/**
 * The consoles (host, co-host, sales: every role but the overlay) among the patch clients are
 * in this room too, and a patch goes to the others first: a socket write on loopback costs
 * 0.1–0.25 ms here, and the overlay is what the viewers wait for, the host's console also gets
 * its answer (measured with bench/relay.bench.ts --hop-only, one overlay and one host: p50 ratio
 * to the bare hop 1.79×/1.69× with the host written first, 1.58×/1.48× with the overlay first).
 */
export const CONSOLE_SUFFIX = '#console';
export const consolePatchRoom = (roomId: string): string => roomId + PATCH_SUFFIX + CONSOLE_SUFFIX;

/**
 * The room's host connections (every transport), which get the audit log live ('audit.entries',
 * issue 18): the log is the host's alone (GET /audit is host-only too).
 */
export const HOST_SUFFIX = '#host';
export const hostRoom = (roomId: string): string => roomId + HOST_SUFFIX;
