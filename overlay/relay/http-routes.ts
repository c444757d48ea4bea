/**
 * The relay's HTTP API (README, "HTTP API"): creating rooms (admin token), reading a room,
 * commands and shop webhooks (a sale per order id, retried safely), the sales for
 * reconciliation (JSON pages or CSV), token rotation. Every request is authenticated by a room
 * role token and every body parsed with a schema before anything is applied; every failure
 * answers the same `{ ok: false, error }` body the socket does (http-errors.ts maps the rest).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { Sender } from '../../shared/audit.js';
import { fieldIssues, type Command } from '../../shared/commands.js';
import { emptyRoom, RoleSchema, RoomInfoSchema, type Role, type Sale } from '../../shared/domain.js';
import { saleRecords, salesCsv } from '../../shared/sales-export.js';
import { overlayLink, pairingLink, reportLink } from '../../shared/pairing.js';
import { PROTOCOL_VERSION, type CommandReply } from '../../shared/protocol.js';
import { errorBody, submit } from './answers.js';
import type { Clock, Logger, RelayConfig, RelayHttp } from './deps.js';
import { HttpError, requireHostOrSales } from './http-errors.js';
import { SHUTTING_DOWN, type Lifecycle } from './lifecycle.js';
import { patchRoom } from './patch-room.js';
import { traceQrSvg } from './trace-qr.js';
import { registerPeopleRoutes } from './people-routes.js';
import { registerReportRoutes, roomReporter, sourceTotals } from './report-routes.js';
import { registerSeriesRoutes } from './series-routes.js';
import { registerAuditRoutes } from './audit-routes.js';
import { FeedIntake } from './feed-intake.js';
import { registerFeedRoutes } from './feed-routes.js';
import { registerHookRoutes } from './hook-routes.js';
import type { RoomActor, RoomHub } from './room-hub.js';
import type { RoomStore, SalesAfter } from './room-store.js';
import type { RelayServer } from './socket-session.js';
import { hashToken, newRoomId, newRoomTokens, newToken, sameSecret } from './tokens.js';

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

export interface HttpApiDeps {
  io: RelayServer;
  hub: RoomHub;
  store: RoomStore;
  clock: Clock;
  logger: Logger;
  config: RelayConfig;
  lifecycle: Lifecycle;
  /** The URL the relay is reached at, read on use (a relay on port 0 learns it only after listen()). */
  publicUrl: () => string;
  /** Said by /healthz. */
  version: string;
}

export function registerHttpApi(app: RelayHttp, { io, hub, store, clock, logger, config, lifecycle, publicUrl, version }: HttpApiDeps): void {
  function links(roomId: string, tokens: Record<Role, string>) {
    return {
      overlay: overlayLink(publicUrl(), roomId, tokens.overlay),
      host: pairingLink(publicUrl(), roomId, 'host', tokens.host),
      cohost: pairingLink(publicUrl(), roomId, 'cohost', tokens.cohost),
      sales: pairingLink(publicUrl(), roomId, 'sales', tokens.sales),
      // The after-show report page, opened with the host token (issue 19).
      report: reportLink(publicUrl(), roomId, tokens.host),
    };
  }

  /** `token`: the one an <img> sends in its URL (it cannot send a header); else the Authorization header's. */
  async function authorize(req: FastifyRequest, roomId: string, token = bearer(req)): Promise<{ actor: RoomActor; role: Role; by: Sender }> {
    if (!token) throw new HttpError(errorBody('unauthorized', 'send a room token as "Authorization: Bearer <token>"'));
    // fresh: another relay process may have changed the room or rotated a token.
    const actor = await hub.fresh(roomId).catch(storageFailed);
    if (!actor) throw new HttpError(errorBody('not_found', `no room "${roomId}" on this relay`));
    const who = await hub.identify(roomId, token, actor.tokenHashes).catch(storageFailed);
    if (!who) throw new HttpError(errorBody('unauthorized', 'this token is not valid for this room (it may have been rotated)'));
    const { role, personId, name } = who;
    if (personId !== undefined) hub.seen(roomId, personId);
    // Who the audit log names for a write: the person, or the shared role token.
    const by: Sender = personId === undefined ? { role } : { role, personId, ...(name !== undefined && { name }) };
    return { actor, role, by };
  }

  /** The store is unreachable (Redis down): a clear 503, nothing was changed. */
  function storageFailed(err: unknown): never {
    logger.error({ err }, 'storage failed');
    throw new HttpError(errorBody('unavailable', 'the relay cannot reach its storage; nothing was changed, try again shortly'));
  }

  function requireAdmin(req: FastifyRequest, what = 'creating rooms'): void {
    const token = bearer(req);
    if (!token || !sameSecret(token, config.adminToken)) {
      throw new HttpError(errorBody('unauthorized', `${what} needs the admin token as "Authorization: Bearer <token>"`));
    }
  }

  function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
    const r = schema.safeParse(body);
    if (r.success) return r.data;
    const issues = fieldIssues(r.error);
    throw new HttpError(errorBody('invalid', `${issues[0]?.field}: ${issues[0]?.message}`, { field: issues[0]?.field ?? '(body)', issues }));
  }

  function send(reply: FastifyReply, r: CommandReply) {
    return r.ok ? reply.code(200).send(r) : reply.code(r.error.status).send({ ok: false, error: r.error });
  }

  registerPeopleRoutes(app, { io, store, clock, publicUrl, authorize, parseBody, storageFailed });
  // A `feed:<id>` source is named by its feed (the name the host gave it), when it still exists.
  const feedName = async (roomId: string, feedId: string) => {
    const feed = await store.feedById(feedId);
    return feed && feed.roomId === roomId ? feed.name : undefined;
  };
  registerReportRoutes(app, { store, clock, authorize, parseBody, storageFailed, feedName });
  registerSeriesRoutes(app, { hub, store, requireAdmin, reportOf: roomReporter({ store, clock, storageFailed, feedName }), parseBody, storageFailed });
  const bySource = sourceTotals(store, feedName);
  registerAuditRoutes(app, { store, authorize, parseBody, storageFailed });
  // Shop feeds (issue 13): the host's routes, and the signed hook URL the shops deliver to.
  const intake = new FeedIntake(store, hub, clock);
  registerFeedRoutes(app, { store, clock, intake, publicUrl, authorize, parseBody, storageFailed });
  registerHookRoutes(app, { store, clock, logger, intake, storageFailed });

  app.get('/healthz', async () => ({ ok: true, relay: version, protocol: PROTOCOL_VERSION, time: clock.now() }));

  // Writes over HTTP are taken like socket commands: refused once close() began, else answered
  // before the server closes (close() waits for them as for the sockets' commands).
  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST') return;
    if (lifecycle.closing) throw new HttpError(errorBody('unavailable', SHUTTING_DOWN));
    // Until the answer was sent or the connection lost, whichever comes first.
    void lifecycle.take(() => new Promise<void>((resolve) => reply.raw.once('close', () => resolve())));
  });

  app.post('/api/rooms', async (req, reply) => {
    requireAdmin(req);
    const info = parseBody(CreateRoomSchema, req.body ?? {});
    const id = newRoomId();
    const state = emptyRoom(id, { ...info, title: info.title ?? 'LiveShelf room', currency: info.currency ?? 'CNY', locale: info.locale ?? 'zh-CN' }, clock.now());
    const { tokens, hashes } = newRoomTokens();
    await hub.create(state, hashes).catch(storageFailed);
    logger.info({ room: id }, 'room created');
    return reply.code(201).send({ room: { id, ...state.room, version: state.version }, tokens, links: links(id, tokens) });
  });

  const RoomQuerySchema = z.strictObject({ totals: z.literal('bySource', { error: 'the only extra totals are "bySource"' }).optional() });
  app.get<{ Params: { room: string }; Querystring: Record<string, string> }>('/api/rooms/:room', async (req) => {
    const { actor, role } = await authorize(req, req.params.room);
    const q = parseBody(RoomQuerySchema, req.query);
    const state = actor.state;
    if (q.totals === undefined) return state;
    // ?totals=bySource: totals.bySource, the relay's, read from the store (report-routes.ts says
    // why not the reducer's). Asked for, so that the plain answer stays exactly the state the
    // sockets receive (clients and tests compare the two); for the roles that may read sales.
    requireHostOrSales(role, 'read the sales by source');
    return { ...state, totals: { ...state.totals, bySource: await bySource(state).catch(storageFailed) } };
  });

  // The card's traceability QR (issue 17): any role's token, the overlay's in the query.
  app.get<{ Params: { room: string; id: string }; Querystring: { token?: string } }>('/api/rooms/:room/products/:id/trace.svg', async (req, reply) => {
    const { actor } = await authorize(req, req.params.room, bearer(req) ?? req.query.token);
    const product = actor.state.products.find((p) => p.id === req.params.id);
    if (!product?.traceUrl) throw new HttpError(errorBody('not_found', `no product "${req.params.id}" with a trace URL in this room`));
    // private: the URL carries a room token, so no shared cache may keep it.
    return reply.type('image/svg+xml').header('cache-control', 'private, max-age=60').send(traceQrSvg(product.traceUrl));
  });

  app.post<{ Params: { room: string } }>('/api/rooms/:room/commands', async (req, reply) => {
    const { actor, role, by } = await authorize(req, req.params.room);
    if (role === 'overlay') throw new HttpError(errorBody('forbidden', 'the overlay token is read-only'));
    return send(reply, await submit(actor, by, req.body, 'api'));
  });

  app.post<{ Params: { room: string } }>('/api/rooms/:room/sales', async (req, reply) => {
    const { actor, role, by } = await authorize(req, req.params.room);
    requireHostOrSales(role, 'record sales');
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
    return send(reply, await actor.submit(command, by, 'webhook'));
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
    requireHostOrSales(role, 'read the sales');
    const q = parseBody(SalesQuerySchema, req.query);
    const state = actor.state;
    const roomId = state.id;
    const after = q.after === undefined ? undefined : decodeCursor(q.after);
    if (q.format === 'csv') {
      // The whole list, streamed page by page: the relay holds one page (2,000 sales, ~200 KB of
      // CSV) at a time instead of the whole file, and the first bytes leave at once. The first
      // page is read before the answer starts, so a storage failure there is still a proper 503;
      // one later, when the status is already sent, ends the stream early (the client sees a
      // truncated download, not a file that looks complete).
      const first = await store.listSales(roomId, after, CSV_PAGE).catch(storageFailed);
      const products = state.products;
      async function* pages(): AsyncGenerator<string> {
        let page = first;
        for (let header = true; ; header = false) {
          // Issue 19: a rehearsal's practice sales are in no export ([Rh3]); GET …/sales as JSON marks them instead.
          yield salesCsv(saleRecords(page.filter((s) => !s.rehearsal), products), state, { header });
          if (page.length < CSV_PAGE) return;
          page = await store.listSales(roomId, page[page.length - 1]!, CSV_PAGE);
        }
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="liveshelf-sales-${roomId}.csv"`)
        .send(Readable.from(pages(), { objectMode: false }));
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
}
