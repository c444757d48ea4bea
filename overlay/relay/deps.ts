/**
 * What the relay factory is given (house rule 4): tests pass their own clock, store and logger.
 * Also the type of the HTTP server it builds from them, which its parts register on.
 */
import type { FastifyInstance, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger as PinoLogger } from 'pino';
import type { RoomStore } from './room-store.js';
import type { FeedTimers } from './rehearsal-feed.js';
import type { FeedLock } from './rehearsal-lock.js';

export interface Clock {
  now(): number;
}

export type Logger = Pick<PinoLogger, 'info' | 'warn' | 'error' | 'debug' | 'child'>;

export interface RelayConfig {
  /** The URL people reach this relay at; used in the links it hands out. */
  publicUrl: string;
  adminToken: string;
  /** Extra allowed browser origins for the socket (the relay's own and extension origins are always allowed unless pinned). */
  allowedOrigins?: string[];
  /** Per-connection command rate: sustained per second and burst. */
  rateLimit?: { perSecond: number; burst: number };
  /** Where the built overlay page lives (served at /overlay/). */
  overlayDir?: string;
  /** Where the built web console lives (its page at /pair, its files at /console/). */
  consoleDir?: string;
  /** Where the built report page lives (its page at /report, its files at /report/). */
  reportDir?: string;
  /** At most one state broadcast per room per this many ms (the last one always goes out). */
  broadcastIntervalMs?: number;
  /**
   * A room with no client connected here and no command for this long is dropped from memory
   * (its state stays in the store and loads again on next use). Default 10 minutes.
   */
  roomIdleMs?: number;
  /**
   * Broadcasts go to other relay processes too (the socket.io Redis adapter): a room with no
   * client here may have some elsewhere, so every state is published. Unset: one process.
   */
  sharedBroadcasts?: boolean;
  /**
   * On close, how long the commands already taken may take to be committed, made durable and
   * answered before the sockets are cut anyway (a stuck disk must not hold a shutdown). Default 2,000 ms.
   */
  closeGraceMs?: number;
  /** How often a rehearsal feed's lock is renewed and a dead relay's feed looked for (default 1,000 ms). */
  rehearsalPollMs?: number;
}

export interface RelayDeps {
  store: RoomStore;
  clock: Clock;
  logger: PinoLogger;
  config: RelayConfig;
  /** Which process runs a room's rehearsal feed (issue 19): Redis for several; default this process alone. */
  rehearsalLock?: FeedLock;
  /** The rehearsal feed's random source and timers (tests inject them); Math.random and setTimeout by default. */
  random?: () => number;
  feedTimers?: FeedTimers;
}

/** The Fastify instance createApplication builds (its logger is the pino one given). */
export type RelayHttp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, PinoLogger>;
