/**
 * The console's one socket.io connection: the extension's lives in the background worker, the
 * web console's (extension/web/) in its page; both use this module, so both speak to the relay
 * the same way. MV3 workers have no XMLHttpRequest, so the transport is WebSocket only. A handshake the
 * relay refuses (bad token, unknown room, protocol mismatch) is final until the host pairs
 * again; an unreachable relay is retried with a short back-off, forever.
 */
import { io, type Socket } from 'socket.io-client';
import type { AuditEntry } from '../../shared/audit';
import type { Command } from '../../shared/commands';
import type { RoomState } from '../../shared/domain';
import {
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type CommandReply,
  type ConnectErrorData,
  type HandshakeAuth,
  type ServerToClientEvents,
  type Welcome,
} from '../../shared/protocol';
import { followRoom } from '../../shared/room-follow';
import type { RoomPatch } from '../../shared/room-patch';
import type { CommandTransport } from './outbox';
import type { ConnectionProblem, SavedRoom } from './storage-items';

export type RelaySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ConnectionEvent =
  | { type: 'connecting' }
  | { type: 'online'; welcome: Welcome }
  | { type: 'offline'; problem: ConnectionProblem; detail: string | null }
  | { type: 'refused'; problem: ConnectionProblem; detail: string };

export interface RelayConnection {
  transport: CommandTransport;
  close(): void;
  reconnect(): void;
  /** Drops the socket until reconnect() (the page heard that the network is gone). */
  suspend(): void;
}

const ACK_TIMEOUT_MS = 10_000;

/** Where socket.io lives for a relay URL that may carry a path prefix (https://host/liveshelf). */
export function socketTarget(relayUrl: string): { origin: string; path: string } {
  const u = new URL(relayUrl);
  return { origin: u.origin, path: `${u.pathname.replace(/\/+$/, '')}/socket.io` };
}

export function openRelayConnection(
  saved: Pick<SavedRoom, 'relayUrl' | 'room' | 'token'>,
  /** `audit`: the log's entries the relay sends a host connection live (issue 18), oldest first. */
  on: { event(e: ConnectionEvent): void; state(s: RoomState, patch?: RoomPatch): void; audit?(entries: AuditEntry[]): void },
): RelayConnection {
  const { origin, path } = socketTarget(saved.relayUrl);
  const socket: RelaySocket = io(origin, {
    path,
    transports: ['websocket'],
    // patches: after the full state on connect, only what changed (shared/room-follow.ts).
    auth: { room: saved.room, token: saved.token, protocol: PROTOCOL_VERSION, patches: true } satisfies HandshakeAuth,
    forceNew: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 3000,
    randomizationFactor: 0.2,
    timeout: 5000,
  });
  on.event({ type: 'connecting' });

  socket.on('session.welcome', (welcome) => on.event({ type: 'online', welcome }));
  followRoom(socket, (s, patch) => on.state(s, patch));
  socket.on('audit.entries', (batch) => {
    if (batch && batch.roomId === saved.room && Array.isArray(batch.entries)) on.audit?.(batch.entries);
  });
  // Closed for good by the relay (a revoked person): refused now, and no reconnection.
  let ended = false;
  socket.on('session.ended', (why) => {
    ended = true;
    on.event({ type: 'refused', problem: 'unauthorized', detail: typeof why?.message === 'string' ? why.message : 'access removed' });
  });
  socket.on('disconnect', (reason) => {
    if (ended) return;
    on.event({ type: 'offline', problem: 'unreachable', detail: reason });
    // "io server disconnect": the relay closed us — it is shutting down, or our token was
    // rotated. socket.io does not retry by itself then; we do, and a rotated token shows up
    // as a refused handshake (unauthorized) on that attempt.
    if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 500);
  });
  socket.on('connect_error', (err: Error & { data?: Partial<ConnectErrorData> }) => {
    const code = err.data?.code;
    if (!socket.active) {
      const problem: ConnectionProblem = code === 'unauthorized' || code === 'not_found' || code === 'protocol_mismatch' ? code : 'other';
      on.event({ type: 'refused', problem, detail: err.data?.message ?? err.message });
    } else {
      on.event({ type: 'offline', problem: 'unreachable', detail: err.message });
    }
  });

  const transport: CommandTransport = {
    get connected() {
      return socket.connected;
    },
    send(command: Command): Promise<CommandReply> {
      if (!socket.connected) return Promise.reject(new Error('not connected'));
      return new Promise((resolve, reject) => {
        socket.timeout(ACK_TIMEOUT_MS).emit('command', command, (err: Error | null, reply: CommandReply) => {
          if (err) reject(err);
          else resolve(reply);
        });
      });
    },
  };

  return {
    transport,
    close: () => {
      socket.removeAllListeners();
      socket.close();
    },
    reconnect: () => {
      if (!socket.connected) socket.connect();
    },
    suspend: () => socket.disconnect(),
  };
}
