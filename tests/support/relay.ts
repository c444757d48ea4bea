/**
 * Test harness: a real relay (the same factory `npm start` uses) on 127.0.0.1 port 0 with a
 * real SQLite store in a fresh temp dir, plus helpers to create rooms through the public API
 * and to connect real socket.io clients.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import { io as ioClient, type Socket } from 'socket.io-client';
import { createApplication, type Relay } from '../../overlay/relay/app.js';
import type { RelayConfig } from '../../overlay/relay/deps.js';
import { SqliteRoomStore, type SqliteStoreOptions } from '../../overlay/relay/sqlite-store.js';
import type { Role, RoomState } from '../../shared/domain.js';
import { PROTOCOL_VERSION, type ClientToServerEvents, type CommandReply, type ServerToClientEvents } from '../../shared/protocol.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const ADMIN = 'test-admin-token';

export interface CreatedRoom {
  room: { id: string; title: string; currency: string; locale: string };
  tokens: Record<Role, string>;
  links: { overlay: string; host: string; cohost: string; sales: string; report: string };
}

export interface TestRelay {
  url: string;
  relay: Relay;
  store: SqliteRoomStore;
  dataDir: string;
  createRoom(info?: Partial<{ title: string; currency: string; locale: string; timeZone: string; series: string }>): Promise<CreatedRoom>;
  close(opts?: { keepData?: boolean }): Promise<void>;
}

export async function startRelay(
  opts: { dataDir?: string; config?: Partial<RelayConfig>; now?: () => number; port?: number; store?: Omit<SqliteStoreOptions, 'path'>; logger?: Logger } = {},
): Promise<TestRelay> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'liveshelf-test-'));
  const store = new SqliteRoomStore({ path: join(dataDir, 'liveshelf.sqlite'), ...opts.store });
  const logger = opts.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  // publicUrl is fixed up after listen, when the port is known.
  const config: RelayConfig = { publicUrl: 'http://127.0.0.1', adminToken: ADMIN, overlayDir: join(ROOT, 'dist/overlay'), consoleDir: join(ROOT, 'dist/console'), reportDir: join(ROOT, 'dist/report'), ...opts.config };
  const relay = createApplication({ store, logger, clock: { now: opts.now ?? (() => Date.now()) }, config });
  await relay.listen(opts.port ?? 0, '127.0.0.1');
  const addr = relay.app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('relay did not listen on TCP');
  const url = `http://127.0.0.1:${addr.port}`;
  config.publicUrl = opts.config?.publicUrl ?? url;
  return {
    url,
    relay,
    store,
    dataDir,
    async createRoom(info = {}) {
      const res = await fetch(`${url}/api/rooms`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Test room', currency: 'CNY', locale: 'zh-CN', ...info }),
      });
      if (res.status !== 201) throw new Error(`create room: ${res.status} ${await res.text()}`);
      return (await res.json()) as CreatedRoom;
    },
    async close({ keepData = false } = {}) {
      await relay.close();
      if (!keepData && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real socket.io client, connected and holding the first full state. */
export async function connectClient(
  url: string,
  room: string,
  token: string,
  opts: { protocol?: number; extraHeaders?: Record<string, string> } = {},
): Promise<{ socket: TestSocket; state: RoomState; states: RoomState[] }> {
  const socket: TestSocket = ioClient(url, {
    transports: ['websocket'],
    auth: { room, token, protocol: opts.protocol ?? PROTOCOL_VERSION },
    reconnection: false,
    forceNew: true,
    ...(opts.extraHeaders && { extraHeaders: opts.extraHeaders }),
  });
  const states: RoomState[] = [];
  socket.on('room.state', (s) => states.push(s));
  const state = await new Promise<RoomState>((resolve, reject) => {
    socket.once('room.state', resolve);
    socket.once('connect_error', (err) => reject(Object.assign(err, { data: (err as Error & { data?: unknown }).data })));
  });
  return { socket, state, states };
}

/** A real socket.io client as a sender holds one: resolved once connected (before any state), no reconnection. */
export function connectSocket(url: string, room: string, token: string, opts: { timeout?: number } = {}): Promise<TestSocket> {
  return new Promise((resolve, reject) => {
    const s: TestSocket = ioClient(url, { transports: ['websocket'], auth: { room, token, protocol: PROTOCOL_VERSION }, reconnection: false, forceNew: true, ...(opts.timeout && { timeout: opts.timeout }) });
    s.once('connect', () => resolve(s));
    s.once('connect_error', (err) => {
      s.close();
      reject(err);
    });
  });
}

export function send(socket: TestSocket, command: unknown): Promise<CommandReply> {
  return new Promise((resolve) => socket.emit('command', command, resolve));
}

export async function api(url: string, path: string, init: { method?: string; token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined || init.raw !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(url + path, {
    method: init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET'),
    headers,
    body: init.raw ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

/** Waits until a predicate over the states a client received holds (event-driven, with a safety timeout). */
export function waitForState(socket: TestSocket, pred: (s: RoomState) => boolean, timeoutMs = 5000): Promise<RoomState> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('room.state', on);
      reject(new Error('state never matched'));
    }, timeoutMs);
    const on = (s: RoomState) => {
      if (pred(s)) {
        clearTimeout(timer);
        socket.off('room.state', on);
        resolve(s);
      }
    };
    socket.on('room.state', on);
  });
}
