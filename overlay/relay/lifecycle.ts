/**
 * The relay's life after start: every command taken is tracked until answered, so a shutdown
 * can answer what it took before the sockets and the store close (README, "Durability": stop
 * taking → let the taken be committed, fsynced and answered → send the last broadcasts →
 * disconnect the sockets → close the server → close the store); and rooms nobody uses here are
 * dropped from memory now and then (a relay runs for weeks, rooms come and go).
 */
import type { Broadcaster } from './broadcaster.js';
import type { Logger, RelayConfig, RelayHttp } from './deps.js';
import type { RoomHub } from './room-hub.js';
import type { RoomStore } from './room-store.js';
import type { RelayServer } from './socket-session.js';

/** Said to a command that arrives once close() began: nothing was applied. */
export const SHUTTING_DOWN = 'the relay is shutting down; nothing was applied, send it again once reconnected (a repeat is recognised)';

export interface LifecycleDeps {
  app: RelayHttp;
  io: RelayServer;
  hub: RoomHub;
  store: RoomStore;
  broadcaster: Broadcaster;
  logger: Logger;
  config: RelayConfig;
}

export type Lifecycle = ReturnType<typeof createLifecycle>;

export function createLifecycle({ app, io, hub, store, broadcaster, logger, config }: LifecycleDeps) {
  // Every command taken (socket or HTTP write) is tracked until its answer went out; once
  // close() began, new ones are refused at once with `unavailable` (nothing applied: the
  // extension's outbox resends it to the relay that comes back, a repeat is recognised).
  let closing = false;
  const taken = new Set<Promise<unknown>>();
  function take<T>(work: () => Promise<T>): Promise<T> {
    const p = work();
    taken.add(p);
    const untrack = () => void taken.delete(p);
    p.then(untrack, untrack);
    return p;
  }

  // ---- memory: rooms nobody uses here are dropped ----
  const roomIdleMs = config.roomIdleMs ?? 10 * 60_000;
  const sweep = setInterval(() => {
    const dropped = hub.evictIdle(roomIdleMs, broadcaster.inUse);
    for (const roomId of dropped) broadcaster.forget(roomId);
    if (dropped.length) logger.debug({ rooms: dropped.length, held: hub.size }, 'idle rooms dropped from memory');
  }, Math.min(60_000, Math.max(10, roomIdleMs / 2)));
  sweep.unref();

  async function shutdown(): Promise<void> {
    closing = true;
    clearInterval(sweep);
    if (taken.size) {
      const grace = config.closeGraceMs ?? 2000;
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), grace)));
      const cut = await Promise.race([Promise.allSettled([...taken]).then(() => false), expired]);
      clearTimeout(timer);
      // A stuck disk: those commands stay unanswered; the clients resend them to the next relay.
      if (cut) logger.warn({ unanswered: taken.size, graceMs: grace }, 'shutdown: commands still waiting for the disk are left unanswered');
    }
    // The last state of each room, if the throttle still held it back.
    broadcaster.flush();
    // disconnectSockets closes each connection once its last packets (the answers above) are
    // written; io.close() would discard what is still buffered (engine.io closes its clients
    // with `discard`), so it waits for those connections to end first (bounded: a client that
    // does not read its socket cannot hold the shutdown).
    const conns = new Set([...io.of('/').sockets.values()].map((socket) => socket.conn));
    const ended = [...conns].map((c) => new Promise<void>((resolve) => (c.readyState === 'closed' ? resolve() : c.once('close', () => resolve()))));
    io.disconnectSockets(true);
    let drainTimer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(ended), new Promise<void>((resolve) => (drainTimer = setTimeout(resolve, 1000)))]);
    clearTimeout(drainTimer);
    // A client reconnecting meanwhile (an overlay page retries at once) or a keep-alive
    // connection can hold the HTTP server open: after a grace period they are cut. Every
    // command taken was answered above (or the disk is stuck), so what is cut here is at most
    // a command refused `unavailable` or a read.
    const cut = setTimeout(() => app.server.closeAllConnections(), 2000);
    await new Promise<void>((resolve) => io.close(() => resolve()));
    await app.close().catch(() => {});
    clearTimeout(cut);
    await store.close();
  }

  let closed: Promise<void> | undefined;
  return {
    /** close() began: commands are refused `unavailable`. */
    get closing(): boolean {
      return closing;
    },
    take,
    /** Idempotent: the first call's shutdown. */
    close(): Promise<void> {
      return (closed ??= shutdown());
    },
  };
}
