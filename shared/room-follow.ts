/**
 * The client half of room patches, shared by the overlay page and the extension's worker:
 * keeps the room state of a socket that opted in (`patches: true`), replaces it on every full
 * 'room.state', applies every 'room.patch' on top, and asks 'room.sync' when a patch does not
 * fit (it was computed from a version this client does not have: a missed broadcast, another
 * relay process). A patch older than what the client has is dropped.
 * onState gets the patch that made the state when it came from one (undefined for a whole
 * state), so a client that hands the state on (the extension's worker to its pages) can hand on
 * the relay's patch instead of diffing the two states again.
 */
import type { Socket } from 'socket.io-client';
import type { RoomState } from './domain.js';
import type { ClientToServerEvents, ServerToClientEvents } from './protocol.js';
import { applyPatch, type RoomPatch } from './room-patch.js';

const SYNC_TIMEOUT_MS = 5000;

/** What followRoom uses of a socket.io client socket. */
export type FollowSocket = Pick<Socket<ServerToClientEvents, ClientToServerEvents>, 'on' | 'timeout' | 'connected'>;

export function followRoom(socket: FollowSocket, onState: (state: RoomState, patch?: RoomPatch) => void): void {
  let current: RoomState | undefined;
  let syncing = false;
  const take = (s: RoomState, patch?: RoomPatch) => {
    current = s;
    onState(s, patch);
  };
  const resync = () => {
    if (syncing || !socket.connected) return;
    syncing = true;
    socket.timeout(SYNC_TIMEOUT_MS).emit('room.sync', (err, reply) => {
      syncing = false;
      // Never step back: a newer state may have come meanwhile.
      if (!err && reply.ok && (!current || current.id !== reply.state.id || reply.state.version > current.version)) take(reply.state);
    });
  };
  // A full state is the truth (also after a relay restart), as for clients without patches.
  socket.on('room.state', (s) => take(s));
  socket.on('room.patch', (patch) => {
    // Before the first full state (it follows every connect) there is nothing to patch.
    if (!current) return;
    if (current.id === patch.id && patch.version <= current.version) return;
    const next = applyPatch(current, patch);
    if (next) take(next, patch);
    else resync();
  });
}
