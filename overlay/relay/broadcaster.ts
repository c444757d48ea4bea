/**
 * The broadcast of room states: at most one per room per frame (`broadcastIntervalMs`, 16 ms),
 * the latest always goes out. Clients with `patches: true` are in the socket.io room
 * `${id}#patch` and get what changed since the state last broadcast from here: the commit's
 * own patch, made once by the room actor (the one its store wrote), or, when the throttle held
 * several commits back, their patches composed into one; the others, in the room `id`, get the
 * full state as always.
 */
import type { RoomState } from '../../shared/domain.js';
import { composePatches, diffRoom } from '../../shared/room-patch.js';
import type { RelayConfig } from './deps.js';
import { consolePatchRoom, hostRoom, patchRoom } from './patch-room.js';
import type { RoomChange } from './room-hub.js';
import type { RelayServer } from './socket-session.js';

interface RoomThrottle {
  /** performance.now() of the last broadcast. */
  at: number;
  timer: NodeJS.Timeout | undefined;
  /** The change held back (several commits composed into one), sent when the timer fires. */
  pending: RoomChange | undefined;
  /** The state last broadcast from here: what this process's patch clients hold. */
  sent: RoomState | undefined;
}

/** `later` held back after `held`: one change from held's start to later's end when they chain. */
function coalesce(held: RoomChange | undefined, later: RoomChange): RoomChange {
  const patch = held && held.next === later.prev ? composePatches(held.patch, later.patch) : undefined;
  const change = held && patch ? { prev: held.prev, next: later.next, patch } : later;
  // The log's entries of every commit held back go out, in order, whatever happens to the patches.
  const audit = [...(held?.audit ?? []), ...(later.audit ?? [])];
  return audit.length ? { ...change, audit } : change;
}

export type Broadcaster = ReturnType<typeof createBroadcaster>;
type Target = ReturnType<RelayServer['to']>;

export function createBroadcaster(io: RelayServer, config: RelayConfig) {
  const interval = config.broadcastIntervalMs ?? 16;
  const throttle = new Map<string, RoomThrottle>();
  // Encoding the full state costs ~1 ms with 500 products even when nobody takes it (the
  // extension and the overlay page take patches): with broadcasts kept in this process, a
  // socket.io room with no client here has no client at all, and is skipped.
  /** Sockets of this process in a socket.io room. */
  const localClients = (room: string) => io.of('/').adapter.rooms.get(room)?.size ?? 0;
  const reaches = (room: string) => config.sharedBroadcasts === true || localClients(room) > 0;

  /** The commit's audit entries to the room's host consoles, after the patches (the overlay first). */
  function emitAudit(change: RoomChange): void {
    const entries = change.audit;
    const hosts = hostRoom(change.next.id);
    if (entries?.length && reaches(hosts)) io.to(hosts).emit('audit.entries', { roomId: change.next.id, entries });
  }

  function emitState(t: RoomThrottle, change: RoomChange): void {
    sendState(t, change);
    emitAudit(change);
  }

  function sendState(t: RoomThrottle, change: RoomChange): void {
    const state = change.next;
    if (reaches(state.id)) io.to(state.id).emit('room.state', state);
    const prev = t.sent;
    t.sent = state;
    const patchClients = patchRoom(state.id);
    if (!reaches(patchClients)) return;
    // Overlays first, then the consoles (patch-room.ts: the overlay is what the viewers wait for).
    const consoles = consolePatchRoom(state.id);
    // Only when it changes something here: with shared broadcasts (Redis) it would be two
    // publishes per commit, and a room without consoles or without overlays has one set anyway.
    const split = config.sharedBroadcasts !== true && localClients(consoles) > 0 && localClients(consoles) < localClients(patchClients);
    const send = (emit: (to: Target) => void) => {
      if (!split) return emit(io.to(patchClients));
      emit(io.to(patchClients).except(consoles));
      emit(io.to(consoles));
    };
    // The commit's own patch (or the composed patches of the commits held back) when it starts
    // from exactly the state last sent from here: the hot path, no second diff.
    if (prev === change.prev) send((to) => to.emit('room.patch', change.patch));
    // Nothing from here yet, or a state that does not follow it (reloaded from the store, another
    // process's): the full state, which a patch client takes as it is.
    else if (!prev || prev.version >= state.version) send((to) => to.emit('room.state', state));
    // Another process's commit came in between: what changed since the state last sent from here.
    else {
      const patch = diffRoom(prev, state);
      send((to) => to.emit('room.patch', patch));
    }
  }

  /** Sends what the throttle held back, now. */
  function release(t: RoomThrottle): void {
    const c = t.pending;
    t.pending = undefined;
    if (c) emitState(t, c);
  }

  return {
    /** A commit of a room (the hub's onCommit): broadcast now, or held back for the rest of the frame. */
    publish(change: RoomChange): void {
      const now = performance.now();
      const id = change.next.id;
      let t = throttle.get(id);
      if (!t) throttle.set(id, (t = { at: -Infinity, timer: undefined, pending: undefined, sent: undefined }));
      if (!t.timer && now - t.at >= interval) {
        t.at = now;
        emitState(t, change);
        return;
      }
      t.pending = coalesce(t.pending, change);
      if (!t.timer) {
        const entry = t;
        entry.timer = setTimeout(() => {
          entry.timer = undefined;
          entry.at = performance.now();
          release(entry);
        }, Math.max(0, interval - (now - t.at)));
      }
    },

    /** Clients of the room are connected here, or a broadcast of it is held back: keep it in memory. */
    inUse(roomId: string): boolean {
      return localClients(roomId) + localClients(patchRoom(roomId)) > 0 || throttle.get(roomId)?.timer !== undefined;
    },

    /** The room was dropped from memory: its last broadcast state goes too (a client that connects later gets a full state first). */
    forget(roomId: string): void {
      throttle.delete(roomId);
    },

    /** On shutdown: the last state of each room, if the throttle still held it back. */
    flush(): void {
      for (const t of throttle.values()) {
        if (!t.timer) continue;
        clearTimeout(t.timer);
        t.timer = undefined;
        release(t);
      }
    },
  };
}
