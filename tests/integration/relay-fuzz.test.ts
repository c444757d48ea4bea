/**
 * Issue 14, "no 5xx for bad input": a real relay on port 0 gets well over 10,000 generated
 * malformed requests (fast-check, seeded: FUZZ_SEED=<n> replays a run) over every HTTP route,
 * raw HTTP the parser refuses, socket handshakes and socket events with odd payloads and
 * missing acks. Every answer is below 500 and, when a refusal, the documented error body with
 * its own status; nothing is logged at `error`; the relay stays alive; and the target room's
 * state (version and content, in memory and in the store) is exactly as it was after every
 * refused request. The named cases first: the requests that answered 500 or fastify's own
 * body before the error mapping (overlay/relay/http-errors.ts).
 */
import fc from 'fast-check';
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, PROTOCOL_VERSION, STATUS_OF } from '../../shared/protocol.js';
import { ADMIN, api, connectSocket, startRelay, type CreatedRoom, type TestRelay, type TestSocket } from '../support/relay.js';
import { hugeCommand, oddCommand, oddRequest, oddString, oddValue, rawHttpHead, refusedCommand, type FuzzRequest } from '../support/malformed.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const HTTP_RUNS = 320; // × HTTP_BATCH requests
const HTTP_BATCH = 25;
const SOCKET_RUNS = 100; // × SOCKET_BATCH events
const SOCKET_BATCH = 40;
const HANDSHAKES = 300;
const RAW_HEADS = 300;

/** Levels of everything the relay logged (pino numbers: 50 = error). */
const logged: number[] = [];
const logStream = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString().split('\n')) if (line) logged.push((JSON.parse(line) as { level: number }).level);
    done();
  },
});

let r: TestRelay;
let target: CreatedRoom;
let other: CreatedRoom;
const statuses = new Map<string, number>();
const count = (key: string) => statuses.set(key, (statuses.get(key) ?? 0) + 1);
let sent = 0;
let accepted = 0;
/** Generated events the relay applied (odd but valid): printed, so a reviewer sees what got through. */
const acceptedEvents: string[] = [];

/** fc.assert with a short report: the seed, the path to replay and the first error, not the whole batch. */
async function property<T>(arb: fc.Arbitrary<T>, runs: number, run: (value: T) => Promise<void>) {
  const out = await fc.check(fc.asyncProperty(arb, run), { seed: SEED, numRuns: runs, endOnFailure: true });
  if (out.failed) throw new Error(`FUZZ_SEED=${SEED} (path ${out.counterexamplePath}): ${String(out.errorInstance instanceof Error ? out.errorInstance.message : out.errorInstance).slice(0, 2000)}`);
}

async function roomNow(): Promise<string> {
  const actor = await r.relay.hub.get(target.room.id);
  return JSON.stringify(actor?.state);
}
let snapshot = '';
let productId = '';

beforeAll(async () => {
  r = await startRelay({ logger: pino({ level: 'debug' }, logStream), config: { rateLimit: { perSecond: 1e6, burst: 1e6 } } });
  target = await r.createRoom({ title: '石榴专场' });
  other = await r.createRoom();
  const cmd = (body: object) => api(r.url, `/api/rooms/${target.room.id}/commands`, { token: target.tokens.host, body });
  const add = await cmd({ id: 'seed-1', type: 'product.add', product: { sku: 'POM', name: '永胜软籽石榴', priceMinor: 5990, stock: 50 } });
  expect(add.status).toBe(200);
  productId = add.json.result.productId;
  for (const body of [
    { id: 'seed-2', type: 'card.show', productId: add.json.result.productId },
    { id: 'seed-3', type: 'sale.record', productId: add.json.result.productId, quantity: 2 },
    { id: 'seed-4', type: 'ticker.push', text: '今晚包邮' },
  ]) expect((await cmd(body)).status).toBe(200);
  snapshot = await roomNow();
});

afterAll(async () => {
  await r.close();
  const histogram = [...statuses.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}: ${v}`).join(', ');
  console.log(`relay fuzz (seed ${SEED}): ${sent} malformed requests and events, ${accepted} batches with an accepted one; ${histogram}`);
  for (const e of acceptedEvents) console.log(`  accepted: ${e}`);
});

function send(req: FuzzRequest): Promise<{ status: number; text: string; headers: IncomingHttpHeaders }> {
  const u = new URL(r.url);
  return new Promise((resolve, reject) => {
    const q = request({ host: u.hostname, port: u.port, method: req.method, path: req.path, headers: req.headers, agent: false, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    q.on('timeout', () => q.destroy(new Error(`no answer in 10 s to ${req.method} ${req.path.slice(0, 80)}`)));
    q.on('error', reject);
    q.end(req.body);
  });
}

/** A refusal's body as README "The HTTP API" documents it, with its own status. */
function expectErrorBody(status: number, text: string, what: string) {
  let body: { ok?: unknown; error?: { code?: unknown; status?: unknown; message?: unknown } };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${what}: ${status} without a JSON body: ${text.slice(0, 200)}`);
  }
  expect(body.ok, what).toBe(false);
  expect(Object.keys(STATUS_OF), what).toContain(body.error?.code);
  expect(body.error?.status, what).toBe(status);
  expect(typeof body.error?.message, what).toBe('string');
}

/** After requests that were all refused the room is as it was; after an accepted one, the new state is the reference. */
async function checkRoom(anyAccepted: boolean) {
  const now = await roomNow();
  if (anyAccepted) snapshot = now;
  else expect(now).toBe(snapshot);
}

describe('framework and plugin errors answer the documented body with their own status', () => {
  it.each([
    ['GET', '/overlay/%E0%A4%A', 400, 'invalid'],
    ['GET', '/overlay/%', 400, 'invalid'],
    ['GET', '/api/rooms/%', 400, 'invalid'],
    ['GET', '/overlay/%00', 403, 'forbidden'],
    ['GET', '/overlay/' + 'a'.repeat(5000), 403, 'forbidden'],
    ['GET', '/overlay/a/..%2f..%2fpackage.json', 404, 'not_found'],
    ['GET', '/api/rooms/' + 'r'.repeat(101), 414, 'too_large'],
    ['GET', '/api/rooms/' + 'r'.repeat(20_000), 431, 'too_large'],
    ['OPTIONS', '/api/rooms', 405, 'invalid'],
    ['PROPFIND', '/api/rooms', 405, 'invalid'],
    ['DELETE', '/api/rooms/r1/sales', 405, 'invalid'],
    ['OPTIONS', '/api/no-such-route', 404, 'not_found'],
    ['GET', '/overlay/no-such-file.js', 404, 'not_found'],
  ].map(([method, path, status, code]) => ({ method, path, status, code, name: `${method} ${(path as string).length > 60 ? (path as string).slice(0, 40) + `… (${(path as string).length} characters)` : path}` })))('$name → $status $code', async ({ method, path, status, code }) => {
    const res = await send({ method: method as string, path: path as string, headers: {} });
    expect(res.status).toBe(status);
    expectErrorBody(status as number, res.text, `${method} ${(path as string).slice(0, 40)}`);
    expect(JSON.parse(res.text).error.code).toBe(code);
  });

  it('a method the path has no route for answers 405 with the methods it has in Allow', async () => {
    const res = await send({ method: 'OPTIONS', path: `/api/rooms/${target.room.id}/sales`, headers: {} });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
    expect(JSON.parse(res.text).error).toMatchObject({ reason: 'method_not_allowed', message: expect.stringContaining('use GET or HEAD or POST') });
  });

  it('an unknown method, refused by the HTTP parser, gets the same body', async () => {
    const res = await rawHttp('FOO /api/rooms HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(res).toMatch(/^HTTP\/1\.1 400 /);
    expectErrorBody(400, res.slice(res.indexOf('\r\n\r\n') + 4), 'FOO');
  });

  it('a body in the wrong content type or not JSON keeps the messages it had', async () => {
    const url = `/api/rooms/${target.room.id}/commands`;
    const headers = { authorization: `Bearer ${target.tokens.host}` };
    const plain = await send({ method: 'POST', path: url, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expect([plain.status, JSON.parse(plain.text).error.message]).toEqual([400, 'send JSON with "Content-Type: application/json"']);
    const broken = await send({ method: 'POST', path: url, headers: { ...headers, 'content-type': 'application/json' }, body: '{"id":' });
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.text).error).toMatchObject({ code: 'invalid', field: '(body)', message: expect.stringMatching(/^the body is not valid JSON/) });
  });

  it('logged nothing at error level for any of them', () => {
    expect(logged.filter((l) => l >= 50)).toEqual([]);
  });
});

/** Raw bytes on a fresh connection; the answer as text, or '' when the relay just closed it. */
function rawHttp(head: string): Promise<string> {
  const u = new URL(r.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(u.port), u.hostname, () => socket.end(head));
    let text = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer in 10 s to ${JSON.stringify(head.slice(0, 60))}`)));
    socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
    socket.on('close', () => resolve(text));
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? resolve(text) : reject(err)));
  });
}

describe('fuzz: malformed input never answers 5xx and changes nothing it refused', () => {
  it(`${HTTP_RUNS * HTTP_BATCH} HTTP requests over every route`, async () => {
    const tokens = (c: CreatedRoom) => ({ roomId: c.room.id, tokens: c.tokens });
    await property(fc.array(oddRequest(tokens(target), tokens(other), ADMIN, refusedCommand(productId)), { minLength: HTTP_BATCH, maxLength: HTTP_BATCH }), HTTP_RUNS, async (batch) => {
        let anyAccepted = false;
        await Promise.all(
          batch.map(async (req) => {
            const what = `${req.method} ${req.path.slice(0, 120)} ${JSON.stringify(req.headers)} ${req.body?.slice(0, 200) ?? ''}`;
            const res = await send(req).catch((err: Error) => {
              throw new Error(`${err.message}: ${what}`);
            });
            sent++;
            count(String(res.status));
            expect(res.status, what).toBeLessThan(500);
            if (res.status < 400) {
              if (req.method !== 'GET' && req.method !== 'HEAD') anyAccepted = true;
            } else if (req.method !== 'HEAD' && !req.path.startsWith('/socket.io')) expectErrorBody(res.status, res.text, what);
          }),
        );
        if (anyAccepted) accepted++;
        await checkRoom(anyAccepted);
    });
  });

  it(`${RAW_HEADS} raw requests the HTTP parser refuses`, async () => {
    await property(rawHttpHead, RAW_HEADS, async (head) => {
        const res = await rawHttp(head);
        sent++;
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(res)?.[1] ?? 'closed';
        count(`raw ${status}`);
        expect(Number(status) || 0, JSON.stringify(head.slice(0, 80))).toBeLessThan(500);
    });
    await checkRoom(false);
  });

  it(`${HANDSHAKES} socket handshakes with odd auth`, async () => {
    const auth = fc.record({
      room: fc.oneof(fc.constantFrom(target.room.id, other.room.id), oddValue),
      token: fc.oneof(fc.constantFrom(...Object.values(target.tokens), ...Object.values(other.tokens), ADMIN), oddValue),
      protocol: fc.oneof({ weight: 3, arbitrary: fc.constant(PROTOCOL_VERSION) }, oddValue),
      patches: oddValue,
    });
    await property(auth, HANDSHAKES, async (a) => {
        sent++;
        const outcome = await new Promise<string>((resolve) => {
          const s = ioClient(r.url, { transports: ['websocket'], auth: a as Record<string, unknown>, reconnection: false, forceNew: true, timeout: 10_000 });
          s.once('connect', () => (resolve('connected'), s.close()));
          s.once('connect_error', (err: Error & { data?: { code?: string } }) => (resolve(err.data?.code ?? `transport: ${err.message}`), s.close()));
          s.once('disconnect', (reason) => resolve(`disconnect: ${reason}`));
          setTimeout(() => (s.close(), resolve('no answer')), 5000);
        });
        count(`handshake ${outcome}`);
        // A handshake over MAX_MESSAGE_BYTES is cut by socket.io itself (maxHttpBufferSize), before the relay reads it.
        const allowed = ['connected', 'protocol_mismatch', 'unauthorized', 'not_found', ...(Buffer.byteLength(JSON.stringify(a)) > MAX_MESSAGE_BYTES ? ['disconnect: transport close'] : [])];
        expect(allowed, JSON.stringify(a).slice(0, 200)).toContain(outcome);
    });
    await checkRoom(false);
  });

  it(`${SOCKET_RUNS * SOCKET_BATCH} socket events with odd payloads, missing acks, every role`, async () => {
    const roles = ['host', 'cohost', 'sales', 'overlay'] as const;
    const sockets = new Map<string, TestSocket>();
    const socketOf = async (role: (typeof roles)[number]) => {
      let s = sockets.get(role);
      if (!s?.connected) sockets.set(role, (s = await connectSocket(r.url, target.room.id, target.tokens[role])));
      return s;
    };
    type Event = { role: (typeof roles)[number]; kind: 'command' | 'command-no-ack' | 'ack-only' | 'sync-with-payload' | 'sync' | 'unknown' | 'binary' | 'many-args'; payload: unknown };
    const event: fc.Arbitrary<Event> = fc.record({
      role: fc.constantFrom(...roles),
      kind: fc.oneof({ weight: 8, arbitrary: fc.constant('command' as const) }, fc.constantFrom('command-no-ack', 'ack-only', 'sync-with-payload', 'sync', 'unknown', 'binary', 'many-args') as fc.Arbitrary<Event['kind']>),
      payload: fc.oneof(
        { weight: 30, arbitrary: oddCommand },
        { weight: 10, arbitrary: refusedCommand(productId) },
        { weight: 10, arbitrary: oddValue },
        { weight: 10, arbitrary: oddString },
        { weight: 1, arbitrary: hugeCommand },
      ),
    });
    const ACK_MS = 10_000;
    try {
      await property(fc.array(event, { minLength: SOCKET_BATCH, maxLength: SOCKET_BATCH }), SOCKET_RUNS, async (batch) => {
          let anyAccepted = false;
          await Promise.all(
            batch.map(async (e) => {
              const s = await socketOf(e.role);
              const what = `${e.role} ${e.kind} ${JSON.stringify(e.payload)?.slice(0, 200)}`;
              sent++;
              // A message over MAX_MESSAGE_BYTES closes the connection (socket.io's maxHttpBufferSize): no ack then.
              const acked = (emit: (ack: (reply: unknown) => void) => void) =>
                new Promise<unknown>((resolve, reject) => {
                  const done = (reply: unknown) => (clearTimeout(timer), s.off('disconnect', cut), resolve(reply));
                  const cut = () => done({ ok: false, error: { status: 0, code: 'disconnected' } });
                  const timer = setTimeout(() => reject(new Error(`no ack in ${ACK_MS} ms: ${what.slice(0, 300)}`)), ACK_MS);
                  s.once('disconnect', cut);
                  emit(done);
                });
              const emit = s.emit.bind(s) as (event: string, ...args: unknown[]) => void;
              switch (e.kind) {
                case 'command': {
                  const reply = (await acked((ack) => emit('command', e.payload, ack))) as { ok: boolean; error?: { code: string; status: number } };
                  count(reply.ok ? 'ack ok' : `ack ${reply.error?.status} ${reply.error?.code}`);
                  if (reply.ok) (anyAccepted = true), acceptedEvents.push(what.slice(0, 300));
                  else expect(reply.error?.status, what).toBeLessThan(500);
                  return;
                }
                case 'sync': {
                  const reply = (await acked((ack) => emit('room.sync', ack))) as { ok: boolean; error?: { code: string } };
                  count(reply.ok ? 'sync ok' : `sync ${reply.error?.code}`);
                  if (reply.error?.code !== 'disconnected') expect(reply.ok, what).toBe(true);
                  return;
                }
                case 'binary':
                  emit('command', Buffer.from(JSON.stringify(e.payload) ?? ''), () => count('ack binary'));
                  break;
                case 'command-no-ack':
                  emit('command', e.payload);
                  break;
                case 'ack-only':
                  emit('command', () => count('ack for no payload'));
                  break;
                case 'sync-with-payload':
                  emit('room.sync', e.payload, () => count('ack sync with payload'));
                  break;
                case 'unknown':
                  emit(typeof e.payload === 'string' && e.payload && !['connect', 'disconnect', 'connect_error', 'disconnecting', 'newListener', 'removeListener'].includes(e.payload) ? e.payload : 'card.dance', e.payload);
                  break;
                case 'many-args':
                  emit('command', e.payload, e.payload, 1, null, () => count('ack many args'));
                  break;
              }
              count(`event ${e.kind}`);
            }),
          );
          // Events without an answer: a round trip on each socket after them shows it was read and the socket is alive.
          for (const role of roles) {
            const s = await socketOf(role);
            const synced = await new Promise<{ ok: boolean }>((resolve) => s.emit('room.sync', resolve));
            expect(synced.ok).toBe(true);
          }
          if (anyAccepted) accepted++;
          await checkRoom(anyAccepted);
      });
    } finally {
      for (const s of sockets.values()) s.close();
    }
  });

  it('leaves the relay alive, its log free of errors, and the stored room as the one in memory', async () => {
    expect((await api(r.url, '/healthz')).status).toBe(200);
    expect(logged.filter((l) => l >= 50)).toEqual([]);
    const stored = await r.store.loadRoom(target.room.id);
    expect(JSON.stringify(stored?.state)).toBe(snapshot);
    expect(sent).toBeGreaterThanOrEqual(10_000);
  });
});
