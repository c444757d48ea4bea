/**
 * The relay: HTTP API + socket.io on one server, built by a factory so tests start it on
 * port 0 with their own store and clock (house rule 4). It authenticates every request and
 * connection by a per-room role token, validates every command with the shared schemas,
 * applies it through the room's single writer (RoomActor), and broadcasts the new state.
 *
 * This file only wires the parts, one job each: http-routes.ts (the HTTP API), http-errors.ts
 * (one error body for every refused request, the framework's own refusals included), pages.ts (the
 * pairing page, the overlay's files), socket-session.ts (handshake and per-connection
 * handlers), broadcaster.ts (the throttled state/patch broadcast), lifecycle.ts (commands
 * taken, graceful shutdown, idle rooms dropped), origin-policy.ts (which browser pages may connect).
 */
import Fastify, { LogController } from 'fastify';
import { Server } from 'socket.io';
import { ROLES } from '../../shared/domain.js';
import { MAX_MESSAGE_BYTES, type ClientToServerEvents, type ServerToClientEvents } from '../../shared/protocol.js';
import { createBroadcaster } from './broadcaster.js';
import type { RelayDeps } from './deps.js';
import { errorOptions, registerErrorAnswers } from './http-errors.js';
import { registerHttpApi } from './http-routes.js';
import { jsonOnlyParser } from './json-parser.js';
import { createLifecycle } from './lifecycle.js';
import { originPolicy } from './origin-policy.js';
import { registerPages } from './pages.js';
import { createRehearsalFeeds, realTimers } from './rehearsal-feed.js';
import { localFeedLock } from './rehearsal-lock.js';
import { RoomHub } from './room-hub.js';
import { attachSocketSessions, type SocketData } from './socket-session.js';

export const RELAY_VERSION = '0.1.0';

/** The value of every `token=` in a URL's query replaced: the overlay's and the trace QR's links carry the overlay token there. */
export const redactTokens = (url: string): string => url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');

/**
 * A request as the relay logs it (Fastify logs `req` with a failure): Fastify's own fields,
 * with the URL's tokens redacted. pino's redact paths cannot reach inside a string, and the
 * logger's serializers take precedence over Fastify's, so it goes here.
 */
export function loggedRequest(req: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number | undefined } }) {
  return { method: req.method, url: redactTokens(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}

export function createApplication(deps: RelayDeps) {
  const { store, clock, logger, config } = deps;
  // Read on use: a relay listening on port 0 learns its URL only after listen().
  const publicUrl = () => config.publicUrl.replace(/\/+$/, '');
  const rate = config.rateLimit ?? { perSecond: 100, burst: 200 };
  const originAllowed = originPolicy(config, publicUrl);

  const app = Fastify({
    loggerInstance: logger.child({}, { serializers: { req: loggedRequest } }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_MESSAGE_BYTES,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    ...errorOptions(logger),
  });
  // First, so that every route and plugin registered below answers its errors the same way.
  registerErrorAnswers(app, logger);

  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(app.server, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
    parser: jsonOnlyParser,
    allowRequest: (req, cb) => cb(null, originAllowed(req)),
  });

  const broadcaster = createBroadcaster(io, config);
  // The rehearsal's simulated orders (issue 19) go through the hub like any command; one feed per room across processes.
  const feeds = createRehearsalFeeds({
    clock,
    random: deps.random ?? Math.random,
    timers: deps.feedTimers ?? realTimers,
    logger,
    lock: deps.rehearsalLock ?? localFeedLock(),
    ...(config.rehearsalPollMs !== undefined && { pollMs: config.rehearsalPollMs }),
    actor: (roomId) => hub.get(roomId),
    freshActor: (roomId) => hub.fresh(roomId),
    take: (work) => lifecycle.take(work),
  });
  const hub = new RoomHub(
    store,
    clock,
    logger,
    (change) => {
      broadcaster.publish(change);
      feeds.onCommit(change);
    },
    (actor) => feeds.onLoad(actor.state),
  );
  const lifecycle = createLifecycle({ app, io, hub, store, broadcaster, logger, config });

  registerHttpApi(app, { io, hub, store, clock, logger, config, lifecycle, publicUrl, version: RELAY_VERSION });
  registerPages(app, config);
  attachSocketSessions(io, { hub, logger, lifecycle, rate });

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
    async close(): Promise<void> {
      // The simulated feeds first: no order of theirs arrives once the relay stops taking commands.
      await feeds.close();
      return lifecycle.close();
    },
    feeds,
  };
}

export type Relay = ReturnType<typeof createApplication>;
export { ROLES };
