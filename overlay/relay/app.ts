/**
 * The relay: HTTP API + socket.io on one server, built by a factory so tests start it on
 * port 0 with their own store and clock (house rule 4). It authenticates every request and
 * connection by a per-room role token, validates every command with the shared schemas,
 * applies it through the room's single writer (RoomActor), and broadcasts the new state.
 */
import Fastify, { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import { fieldIssues, parseCommand, type Command } from '../../shared/commands.js';
import { emptyRoom, ROLES, RoleSchema, RoomInfoSchema, type Role, type RoomState, type Sale, type SaleSource } from '../../shared/domain.js';
import { saleRecords, salesCsv } from '../../shared/sales-export.js';
import { overlayLink, pairingLink } from '../../shared/pairing.js';
import { composePatches, diffRoom } from '../../shared/room-patch.js';
import {
  MAX_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  STATUS_OF,
  type ClientToServerEvents,
  type CommandReply,
  type ErrorBody,
  type ErrorCode,
  type ServerToClientEvents,
} from '../../shared/protocol.js';
import type { RelayDeps } from './deps.js';
import { TokenBucket } from './rate-limit.js';
import { patchRoom } from './patch-room.js';
import { RoomHub, type RoomActor, type RoomChange } from './room-hub.js';
import type { SalesAfter } from './room-store.js';
import { hashToken, newRoomId, newRoomTokens, newToken, roleOfToken, sameSecret } from './tokens.js';

interface SocketData {
  roomId: string;
  role: Role;
  tokenHash: string;
  bucket: TokenBucket;
  patches: boolean;
}

type RelaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export const RELAY_VERSION = '0.1.0';

function errorBody(code: ErrorCode, message: string, extra: Partial<ErrorBody> = {}): ErrorBody {
  return { code, status: STATUS_OF[code], message, ...extra };
}

class HttpError extends Error {
  constructor(readonly body: ErrorBody) {
    super(body.message);
  }
}

const CreateRoomSchema = RoomInfoSchema.partial().default({});
const SaleWebhookSchema = z
  .strictObject({
    orderId: z.string().trim().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
    sku: z.string().trim().min(1).max(64).optional(),
    productId: z.string().min(1).max(80).optional(),
    quantity: z.number().int('must be a whole number of units').min(1, 'must be at least 1').max(100_000).optional(),
    unitPriceMinor: z.number().int().min(0).optional(),
  })
  .refine((b) => b.sku !== undefined || b.productId !== undefined, { message: 'give sku or productId', path: ['sku'] });
const RotateSchema = z.strictObject({ role: RoleSchema });

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  const m = h ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m?.[1];
}

export function createApplication(deps: RelayDeps) {
  const { store, clock, logger, config } = deps;
  // Read on use: a relay listening on port 0 learns its URL only after listen().
  const publicUrl = () => config.publicUrl.replace(/\/+$/, '');
  const rate = config.rateLimit ?? { perSecond: 100, burst: 200 };
  const interval = config.broadcastIntervalMs ?? 16;

  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_MESSAGE_BYTES,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
  });

  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(app.server, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
    allowRequest: (req, cb) => cb(null, originAllowed(req)),
  });

  // ---- broadcast: at most one state per room per frame, the latest always goes out ----
  // Clients with `patches: true` are in the room `${id}#patch` and get what changed since the
  // state last broadcast from here (not the last committed: the throttle coalesces, and the
  // patches of the commits it held back are composed into one); the others, in the room `id`,
  // get the full state as always.
  const throttle = new Map<string, { at: number; timer: NodeJS.Timeout | undefined; pending: RoomChange | undefined; sent: RoomState | undefined }>();
  // Encoding the full state costs ~1 ms with 500 products even when nobody takes it (the
  // extension and the overlay page take patches): with broadcasts kept in this process, a
  // socket.io room with no client here has no client at all, and is skipped.
  /** Sockets of this process in a socket.io room. */
  const localClients = (room: string) => io.of('/').adapter.rooms.get(room)?.size ?? 0;
  const reaches = (room: string) => config.sharedBroadcasts === true || localClients(room) > 0;
  function emitState(t: { sent: RoomState | undefined }, change: RoomChange): void {
    const state = change.next;
    if (reaches(state.id)) io.to(state.id).emit('room.state', state);
    const prev = t.sent;
    t.sent = state;
    if (!reaches(patchRoom(state.id))) return;
    // The commit's own patch (or the composed patches of the commits held back) when it starts
    // from exactly the state last sent from here: the hot path, no second diff.
    if (prev === change.prev) io.to(patchRoom(state.id)).emit('room.patch', change.patch);
    // Nothing from here yet, or a state that does not follow it (reloaded from the store, another
    // process's): the full state, which a patch client takes as it is.
    else if (!prev || prev.version >= state.version) io.to(patchRoom(state.id)).emit('room.state', state);
    // Another process's commit came in between: what changed since the state last sent from here.
    else io.to(patchRoom(state.id)).emit('room.patch', diffRoom(prev, state));
  }
  /** `later` held back after `held`: one change from held's start to later's end when they chain. */
  function coalesce(held: RoomChange | undefined, later: RoomChange): RoomChange {
    const patch = held && held.next === later.prev ? composePatches(held.patch, later.patch) : undefined;
    return held && patch ? { prev: held.prev, next: later.next, patch } : later;
  }
  function publish(change: RoomChange): void {
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
        const c = entry.pending;
        entry.pending = undefined;
        if (c) emitState(entry, c);
      }, Math.max(0, interval - (now - t.at)));
    }
  }

  const hub = new RoomHub(store, clock, logger, publish);

  // ---- shutdown: what was taken is answered before the sockets and the store close ----
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
  const SHUTTING_DOWN = 'the relay is shutting down; nothing was applied, send it again once reconnected (a repeat is recognised)';

  // ---- memory: rooms nobody uses here are dropped (a relay runs for weeks, rooms come and go) ----
  const roomIdleMs = config.roomIdleMs ?? 10 * 60_000;
  const inUse = (roomId: string) => localClients(roomId) + localClients(patchRoom(roomId)) > 0 || throttle.get(roomId)?.timer !== undefined;
  const sweep = setInterval(() => {
    const dropped = hub.evictIdle(roomIdleMs, inUse);
    // The last broadcast state goes too: a client that connects later gets a full state first.
    for (const roomId of dropped) throttle.delete(roomId);
    if (dropped.length) logger.debug({ rooms: dropped.length, held: hub.size }, 'idle rooms dropped from memory');
  }, Math.min(60_000, Math.max(10, roomIdleMs / 2)));
  sweep.unref();

  function originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    // Non-browser clients (integrations, Stream Deck, tests) send no Origin; browsers always do.
    if (!origin) return true;
    if (config.allowedOrigins?.includes(origin)) return true;
    if (config.allowedOrigins === undefined && /^(chrome|moz)-extension:\/\/[a-z0-9-]+$/i.test(origin)) return true;
    if (origin === new URL(publicUrl()).origin) return true;
    const host = req.headers.host;
    return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
  }

  function links(roomId: string, tokens: Record<Role, string>) {
    return {
      overlay: overlayLink(publicUrl(), roomId, tokens.overlay),
      host: pairingLink(publicUrl(), roomId, 'host', tokens.host),
      cohost: pairingLink(publicUrl(), roomId, 'cohost', tokens.cohost),
      sales: pairingLink(publicUrl(), roomId, 'sales', tokens.sales),
    };
  }

  async function authorize(req: FastifyRequest, roomId: string): Promise<{ actor: RoomActor; role: Role }> {
    const token = bearer(req);
    if (!token) throw new HttpError(errorBody('unauthorized', 'send a room token as "Authorization: Bearer <token>"'));
    // fresh: another relay process may have changed the room or rotated a token.
    const actor = await hub.fresh(roomId).catch(storageFailed);
    if (!actor) throw new HttpError(errorBody('not_found', `no room "${roomId}" on this relay`));
    const role = roleOfToken(token, actor.tokenHashes);
    if (!role) throw new HttpError(errorBody('unauthorized', 'this token is not valid for this room (it may have been rotated)'));
    return { actor, role };
  }

  /** The store is unreachable (Redis down): a clear 503, nothing was changed. */
  function storageFailed(err: unknown): never {
    logger.error({ err }, 'storage failed');
    throw new HttpError(errorBody('unavailable', 'the relay cannot reach its storage; nothing was changed, try again shortly'));
  }

  function requireAdmin(req: FastifyRequest): void {
    const token = bearer(req);
    if (!token || !sameSecret(token, config.adminToken)) {
      throw new HttpError(errorBody('unauthorized', 'creating rooms needs the admin token as "Authorization: Bearer <token>"'));
    }
  }

  function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
    const r = schema.safeParse(body);
    if (r.success) return r.data;
    const issues = fieldIssues(r.error);
    throw new HttpError(errorBody('invalid', `${issues[0]?.field}: ${issues[0]?.message}`, { field: issues[0]?.field ?? '(body)', issues }));
  }

  async function submit(actor: RoomActor, role: Role, raw: unknown, source: SaleSource): Promise<CommandReply> {
    const parsed = parseCommand(raw);
    if (!parsed.ok) {
      const first = parsed.issues[0];
      return { ok: false, error: errorBody('invalid', `${first?.field}: ${first?.message}`, { field: first?.field ?? '(body)', issues: parsed.issues }) };
    }
    return actor.submit(parsed.value, role, source);
  }

  function send(reply: FastifyReply, r: CommandReply) {
    return r.ok ? reply.code(200).send(r) : reply.code(r.error.status).send({ ok: false, error: r.error });
  }

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, _req, reply) => {
    if (err instanceof HttpError) return reply.code(err.body.status).send({ ok: false, error: err.body });
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ ok: false, error: errorBody('too_large', `the body is larger than ${MAX_MESSAGE_BYTES} bytes`) });
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(400).send({ ok: false, error: errorBody('invalid', 'send JSON with "Content-Type: application/json"', { field: '(body)' }) });
    }
    if (err.statusCode === 400 || err.code?.startsWith('FST_ERR_CTP')) {
      return reply.code(400).send({ ok: false, error: errorBody('invalid', `the body is not valid JSON: ${err.message}`, { field: '(body)' }) });
    }
    logger.error({ err }, 'unexpected error');
    return reply.code(500).send({ ok: false, error: errorBody('internal', 'the relay failed unexpectedly; the change was not applied') });
  });

  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ ok: false, error: errorBody('not_found', `no route ${req.method} ${req.url.split('?')[0]}`) }),
  );

  app.get('/healthz', async () => ({ ok: true, relay: RELAY_VERSION, protocol: PROTOCOL_VERSION, time: clock.now() }));

  // Writes over HTTP are taken like socket commands: refused once close() began, else answered
  // before the server closes (close() waits for them as for the sockets' commands).
  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST') return;
    if (closing) throw new HttpError(errorBody('unavailable', SHUTTING_DOWN));
    // Until the answer was sent or the connection lost, whichever comes first.
    void take(() => new Promise<void>((resolve) => reply.raw.once('close', () => resolve())));
  });

  app.post('/api/rooms', async (req, reply) => {
    requireAdmin(req);
    const info = parseBody(CreateRoomSchema, req.body ?? {});
    const id = newRoomId();
    const state = emptyRoom(id, { title: info.title ?? 'LiveShelf room', currency: info.currency ?? 'CNY', locale: info.locale ?? 'zh-CN' }, clock.now());
    const { tokens, hashes } = newRoomTokens();
    await hub.create(state, hashes).catch(storageFailed);
    logger.info({ room: id }, 'room created');
    return reply.code(201).send({ room: { id, ...state.room, version: state.version }, tokens, links: links(id, tokens) });
  });

  app.get<{ Params: { room: string } }>('/api/rooms/:room', async (req) => {
    const { actor } = await authorize(req, req.params.room);
    return actor.state;
  });

  app.post<{ Params: { room: string } }>('/api/rooms/:room/commands', async (req, reply) => {
    const { actor, role } = await authorize(req, req.params.room);
    if (role === 'overlay') throw new HttpError(errorBody('forbidden', 'the overlay token is read-only'));
    return send(reply, await submit(actor, role, req.body, 'api'));
  });

  app.post<{ Params: { room: string } }>('/api/rooms/:room/sales', async (req, reply) => {
    const { actor, role } = await authorize(req, req.params.room);
    if (role !== 'sales' && role !== 'host') throw new HttpError(errorBody('forbidden', `the ${role} token may not record sales: use the sales or host token`));
    const b = parseBody(SaleWebhookSchema, req.body);
    // The command id is derived from the order id, so a webhook retried by the shop is one sale.
    const id = 'order:' + createHash('sha256').update(b.orderId).digest('base64url').slice(0, 32);
    const command: Command = {
      id,
      type: 'sale.record',
      orderId: b.orderId,
      ...(b.productId !== undefined ? { productId: b.productId } : { sku: b.sku }),
      ...(b.quantity !== undefined && { quantity: b.quantity }),
      ...(b.unitPriceMinor !== undefined && { unitPriceMinor: b.unitPriceMinor }),
    };
    return send(reply, await actor.submit(command, role, 'webhook'));
  });

  // ---- the room's sales, for reconciling orders after the stream ----
  const SalesQuerySchema = z.strictObject({
    after: z.string().max(200).optional(),
    limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(10_000, 'must be at most 10000').optional(),
    format: z.enum(['json', 'csv']).optional(),
  });
  const encodeCursor = (s: Sale) => Buffer.from(JSON.stringify([s.at, s.id])).toString('base64url');
  function decodeCursor(text: string): SalesAfter {
    try {
      const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
      if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string') return { at: v[0] as number, id: v[1] };
    } catch {
      /* answered below */
    }
    throw new HttpError(errorBody('invalid', 'after: not a cursor this relay gave out (use "next" from the previous page)', { field: 'after' }));
  }
  const CSV_PAGE = 2000;

  app.get<{ Params: { room: string }; Querystring: Record<string, string> }>('/api/rooms/:room/sales', async (req, reply) => {
    const { actor, role } = await authorize(req, req.params.room);
    if (role !== 'host' && role !== 'sales') throw new HttpError(errorBody('forbidden', `the ${role} token may not read the sales: use the host or sales token`));
    const q = parseBody(SalesQuerySchema, req.query);
    const state = actor.state;
    const roomId = state.id;
    let after = q.after === undefined ? undefined : decodeCursor(q.after);
    if (q.format === 'csv') {
      // The whole list, read page by page so one request never holds a huge query result.
      const parts: string[] = [];
      for (let first = true; ; first = false) {
        const page = await store.listSales(roomId, after, CSV_PAGE).catch(storageFailed);
        parts.push(salesCsv(saleRecords(page, state.products), state, { header: first }));
        if (page.length < CSV_PAGE) break;
        after = page[page.length - 1]!;
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="liveshelf-sales-${roomId}.csv"`)
        .send(parts.join(''));
    }
    const limit = q.limit ?? 1000;
    const page = await store.listSales(roomId, after, limit).catch(storageFailed);
    const last = page[page.length - 1];
    return { room: roomId, currency: state.room.currency, sales: saleRecords(page, state.products), next: page.length === limit && last ? encodeCursor(last) : null, totals: state.totals };
  });

  app.post<{ Params: { room: string } }>('/api/rooms/:room/tokens/rotate', async (req) => {
    const { actor, role } = await authorize(req, req.params.room);
    if (role !== 'host') throw new HttpError(errorBody('forbidden', 'only the host token may rotate tokens'));
    const { role: target } = parseBody(RotateSchema, req.body);
    const token = newToken(target);
    const hash = hashToken(token);
    await store.setTokenHash(actor.state.id, target, hash).catch(storageFailed);
    actor.setTokenHash(target, hash);
    // Connections that used the old token of that role are closed: a leaked token stops working now.
    for (const s of await io.in([actor.state.id, patchRoom(actor.state.id)]).fetchSockets()) if (s.data.role === target) s.disconnect(true);
    logger.info({ room: actor.state.id, role: target }, 'token rotated');
    return {
      role: target,
      token,
      link: target === 'overlay' ? overlayLink(publicUrl(), actor.state.id, token) : pairingLink(publicUrl(), actor.state.id, target, token),
    };
  });

  app.get('/pair', async (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><meta charset="utf-8"><title>LiveShelf pairing link</title><body style="font:16px system-ui;max-width:40em;margin:3em auto">' +
          '<h1>This is a LiveShelf pairing link</h1><p>Do not open it in a tab: copy the whole link and paste it into the LiveShelf extension, in the side panel field <b>Pairing link</b>, then press <b>Connect</b>.</p>' +
          '<p>这是 LiveShelf 配对链接：请复制完整链接，粘贴到扩展侧边栏的“配对链接”中，然后点击“连接”。</p></body>',
      ),
  );

  if (config.overlayDir && existsSync(config.overlayDir)) {
    void app.register(fastifyStatic, { root: config.overlayDir, prefix: '/overlay/', decorateReply: false, cacheControl: false });
  } else {
    app.get('/overlay/*', async (_req, reply) =>
      reply.code(503).type('text/plain; charset=utf-8').send('The overlay page is not built yet: run "npm run build" and restart the relay.'),
    );
  }

  // ---- socket.io ----
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
      const role = roleOfToken(auth.token, actor.tokenHashes);
      if (!role) return fail('unauthorized', 'this token is not valid for this room (it may have been rotated)');
      socket.data = { roomId: auth.room, role, tokenHash: hashToken(auth.token), bucket: new TokenBucket(rate.perSecond, rate.burst), patches: auth.patches === true };
      next();
    } catch (err) {
      logger.error({ err }, 'handshake failed');
      fail('unavailable', 'the relay cannot reach its storage; try again shortly');
    }
  });

  io.on('connection', (socket: RelaySocket) => {
    const { roomId, role, patches } = socket.data;
    void socket.join(patches ? patchRoom(roomId) : roomId);
    socket.emit('session.welcome', { protocol: PROTOCOL_VERSION, role, roomId });
    void hub.get(roomId).then((actor) => actor && socket.emit('room.state', actor.state), () => {});

    socket.on('command', (raw, ack) => {
      if (typeof ack !== 'function') return; // a command without an ack callback cannot be answered: ignore it
      if (closing) return ack({ ok: false, error: errorBody('unavailable', SHUTTING_DOWN) });
      void take(() => command(raw, ack));
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
      if (actor.tokenHashes[role] !== socket.data.tokenHash) {
        socket.disconnect(true);
        return;
      }
      ack(await submit(actor, role, raw, 'console'));
    }

    socket.on('room.sync', async (ack) => {
      if (typeof ack !== 'function') return;
      const actor = await hub.fresh(roomId).catch(() => null);
      if (actor === null) return ack({ ok: false, error: errorBody('unavailable', 'the relay cannot reach its storage; try again shortly') });
      ack(actor ? { ok: true, state: actor.state } : { ok: false, error: errorBody('not_found', `no room "${roomId}"`) });
    });
  });

  let closed: Promise<void> | undefined;
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
    for (const t of throttle.values()) {
      if (!t.timer) continue;
      clearTimeout(t.timer);
      t.timer = undefined;
      const c = t.pending;
      t.pending = undefined;
      if (c) emitState(t, c);
    }
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

  return {
    app,
    io,
    hub,
    async listen(port: number, host: string): Promise<string> {
      return app.listen({ port, host });
    },
    /**
     * Graceful: stops taking commands (new ones are answered `unavailable`), waits up to
     * `closeGraceMs` for the ones taken to be committed, made durable and answered (a sale is
     * broadcast when committed but answered after the WAL's fsync), sends the last throttled
     * broadcasts, then disconnects the sockets, closes the server and the store. Idempotent.
     */
    close(): Promise<void> {
      return (closed ??= shutdown());
    },
  };
}

export type Relay = ReturnType<typeof createApplication>;
export { ROLES };
