/**
 * One socket.io connection to a room: the handshake authenticates it (protocol version, room,
 * role token) before it may join, and its handlers take commands (rate-limited, refused for
 * the read-only overlay token and for a token rotated since the handshake) and `room.sync`.
 * A client that opted in to patches joins the room's patch room (patch-room.ts).
 */
import type { Server, Socket } from 'socket.io';
import type { Role } from '../../shared/domain.js';
import { PROTOCOL_VERSION, type ClientToServerEvents, type CommandReply, type ErrorCode, type ServerToClientEvents } from '../../shared/protocol.js';
import { errorBody, submit } from './answers.js';
import type { Logger } from './deps.js';
import { SHUTTING_DOWN, type Lifecycle } from './lifecycle.js';
import { consolePatchRoom, hostRoom, patchRoom } from './patch-room.js';
import { TokenBucket } from './rate-limit.js';

/** A sales-token connection's command rate, as a multiple of the per-connection one (100/s, bursts of 200: 1,000/s, bursts of 2,000). */
export const SALES_RATE_FACTOR = 10;
import type { RoomHub } from './room-hub.js';

export interface SocketData {
  roomId: string;
  role: Role;
  tokenHash: string;
  bucket: TokenBucket;
  patches: boolean;
  /** Set when the token is a named person's (people-routes.ts): revoking them closes this socket. */
  personId?: string;
  /** That person's name, for the audit log's `by` (issue 18). */
  name?: string;
}

export type RelayServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type RelaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface SessionDeps {
  hub: RoomHub;
  logger: Logger;
  lifecycle: Lifecycle;
  /** Per-connection command rate: sustained per second and burst. */
  rate: { perSecond: number; burst: number };
}

export function attachSocketSessions(io: RelayServer, { hub, logger, lifecycle, rate }: SessionDeps): void {
  io.use(async (socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const fail = (code: ErrorCode, message: string) => next(Object.assign(new Error(message), { data: { code, message } }));
    if (auth.protocol !== PROTOCOL_VERSION) {
      return fail('protocol_mismatch', `this relay speaks protocol ${PROTOCOL_VERSION}, the client ${String(auth.protocol ?? 'none')}: update the extension or the relay`);
    }
    if (typeof auth.room !== 'string' || typeof auth.token !== 'string') return fail('unauthorized', 'send {room, token, protocol} in the handshake auth');
    try {
      const actor = await hub.fresh(auth.room);
      if (!actor) return fail('not_found', `no room "${auth.room}" on this relay`);
      const who = await hub.identify(auth.room, auth.token, actor.tokenHashes);
      if (!who) return fail('unauthorized', 'this token is not valid for this room (it may have been rotated)');
      const { role, tokenHash, personId, name } = who;
      // Sized by role (issue 13): a shop bridge on the sales token sends a rush of paid orders,
      // which is not a host's clicks; throttling it would only make the shop retry.
      const k = role === 'sales' ? SALES_RATE_FACTOR : 1;
      socket.data = { roomId: auth.room, role, tokenHash, bucket: new TokenBucket(rate.perSecond * k, rate.burst * k), patches: auth.patches === true, ...(personId !== undefined && { personId, ...(name !== undefined && { name }) }) };
      if (personId !== undefined) hub.seen(auth.room, personId);
      next();
    } catch (err) {
      logger.error({ err }, 'handshake failed');
      fail('unavailable', 'the relay cannot reach its storage; try again shortly');
    }
  });

  io.on('connection', (socket: RelaySocket) => {
    const { roomId, role, patches } = socket.data;
    const rooms = patches ? (role === 'overlay' ? [patchRoom(roomId)] : [patchRoom(roomId), consolePatchRoom(roomId)]) : [roomId];
    void socket.join(role === 'host' ? [...rooms, hostRoom(roomId)] : rooms);
    socket.emit('session.welcome', { protocol: PROTOCOL_VERSION, role, roomId });
    void hub.get(roomId).then((actor) => actor && socket.emit('room.state', actor.state), () => {});

    socket.on('command', (raw, ack) => {
      if (typeof ack !== 'function') return; // a command without an ack callback cannot be answered: ignore it
      if (lifecycle.closing) return ack({ ok: false, error: errorBody('unavailable', SHUTTING_DOWN) });
      void lifecycle.take(() => command(raw, ack));
    });

    async function command(raw: unknown, ack: (reply: CommandReply) => void): Promise<void> {
      if (!socket.data.bucket.take()) {
        return ack({ ok: false, error: errorBody('rate_limited', 'too many commands from this connection; slow down') });
      }
      if (role === 'overlay') return ack({ ok: false, error: errorBody('forbidden', 'the overlay token is read-only') });
      const actor = await hub.get(roomId).catch(() => null);
      if (actor === null) return ack({ ok: false, error: errorBody('unavailable', 'the relay cannot reach its storage; nothing was applied, try again') });
      if (!actor) return ack({ ok: false, error: errorBody('not_found', `no room "${roomId}"`) });
      // A rotated token stops working at once, also on connections opened before the rotation.
      // (A person's token is not a role token: revoking them disconnects this socket instead.)
      if (socket.data.personId === undefined && actor.tokenHashes[role] !== socket.data.tokenHash) {
        socket.disconnect(true);
        return;
      }
      const { personId, name } = socket.data;
      if (personId !== undefined) hub.seen(roomId, personId);
      ack(await submit(actor, personId === undefined ? role : { role, personId, ...(name !== undefined && { name }) }, raw, 'console'));
    }

    socket.on('room.sync', async (ack) => {
      if (typeof ack !== 'function') return;
      const actor = await hub.fresh(roomId).catch(() => null);
      if (actor === null) return ack({ ok: false, error: errorBody('unavailable', 'the relay cannot reach its storage; try again shortly') });
      ack(actor ? { ok: true, state: actor.state } : { ok: false, error: errorBody('not_found', `no room "${roomId}"`) });
    });
  });
}
