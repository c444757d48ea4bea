/**
 * Issue 6 as SCALING.md documents it: two relay processes (`npm run relay` with
 * LIVESHELF_REDIS_URL) on one real redis-server, behind a real haproxy, and the real clients,
 * which know one URL only (the balancer's): the overlay page in Chromium and the extension's
 * own socket module. A relay is SIGKILLed while they are connected through the balancer; they
 * must come back through the same URL on the other relay, resync, and never go blank, and the
 * shop's sales sent through the balancer meanwhile must count exactly once.
 *
 * Which relay holds a client's connection is haproxy's choice (leastconn), so the test kills
 * the relays in turn: when the client survived the first kill without losing its connection,
 * it was on the other relay, which is killed next (after the first one is back and UP).
 *
 * haproxy runs in HTTP mode (the relays' LIVESHELF_PUBLIC_URL) and in TCP mode (a second
 * balancer on the same relays: the page's origin is then accepted through the Host header,
 * which TCP mode passes through untouched).
 */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRelayConnection, type ConnectionEvent } from '../../extension/common/relay-connection.js';
import type { RoomState } from '../../shared/domain.js';
import { PROTOCOL_VERSION } from '../../shared/protocol.js';
import { startBalancer, type Balancer } from '../support/balancer.js';
import { ADMIN, api, ROOT } from '../support/relay.js';
import { freePort, spawnRelay, type RelayProcess } from '../support/relay-process.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { ensureOverlayBuilt, launchChromium, overlayUrl, partText, settle, waitForText } from './overlay-harness.js';

const SCREENSHOTS = join(ROOT, 'tests/artifacts');

let redis: TestRedis;
let browser: Browser;
const contexts: BrowserContext[] = [];
const dirs: string[] = [];
const relayPorts: number[] = [];
const relays: (RelayProcess | undefined)[] = [];
let lbPort: number;
const balancers: Record<'http' | 'tcp', Balancer | undefined> = { http: undefined, tcp: undefined };

async function startRelayAt(i: number): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-lb-relay-'));
  dirs.push(dataDir);
  relays[i] = await spawnRelay({
    port: relayPorts[i]!,
    dataDir,
    adminToken: ADMIN,
    env: { LIVESHELF_REDIS_URL: redis.url, LIVESHELF_PUBLIC_URL: `http://127.0.0.1:${lbPort}` },
  });
}

/** Both relays running and UP in every balancer (what each test starts from). */
async function bothUp(): Promise<void> {
  for (let i = 0; i < relayPorts.length; i++) if (!relays[i]) await startRelayAt(i);
  for (const b of Object.values(balancers)) await b?.waitFor('UP');
}

async function killRelay(i: number): Promise<number> {
  const r = relays[i]!;
  relays[i] = undefined;
  const at = Date.now();
  await r.kill('SIGKILL');
  return at;
}

beforeAll(async () => {
  await ensureOverlayBuilt();
  redis = await startRedis({ durable: true });
  lbPort = await freePort();
  relayPorts.push(await freePort(), await freePort());
  await bothUp();
  const urls = relayPorts.map((p) => `http://127.0.0.1:${p}`);
  balancers.http = await startBalancer({ relayUrls: urls, port: lbPort, mode: 'http' });
  balancers.tcp = await startBalancer({ relayUrls: urls, mode: 'tcp' });
  browser = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  for (const b of Object.values(balancers)) await b?.stop();
  for (const r of relays) await r?.kill('SIGKILL');
  await redis?.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Room {
  roomId: string;
  tokens: { host: string; sales: string; overlay: string };
  productId: string;
  links: { overlay: string };
}

async function roomWithCard(lb: Balancer, name: string): Promise<Room> {
  const created = await api(lb.url, '/api/rooms', { token: ADMIN, body: { title: 'balancer', currency: 'CNY', locale: 'zh-CN' } });
  expect(created.status).toBe(201);
  const roomId: string = created.json.room.id;
  const tokens = created.json.tokens as Room['tokens'];
  const add = await api(lb.url, `/api/rooms/${roomId}/commands`, {
    token: tokens.host,
    body: { id: 'add', type: 'product.add', product: { sku: 'POM', name, priceMinor: 5990, stock: null } },
  });
  expect(add.status).toBe(200);
  const productId: string = add.json.result.productId;
  const show = await api(lb.url, `/api/rooms/${roomId}/commands`, { token: tokens.host, body: { id: 'show', type: 'card.show', productId } });
  expect(show.status).toBe(200);
  return { roomId, tokens, productId, links: created.json.links };
}

// ---- the shop's webhook: POST /api/rooms/:room/sales through the balancer ----

interface Ledger {
  sent: string[];
  acked: Set<string>;
  /** Answers that were not a sale recorded: 502/503 from haproxy or the relay, refused connections. */
  errors: Map<string, number>;
  failed: number;
}

const newLedger = (): Ledger => ({ sent: [], acked: new Set(), errors: new Map(), failed: 0 });

/**
 * One order, as a shop's webhook sends it: retried with the same orderId until answered (the
 * relay derives the command id from it), for at most 30 s. Resolves with whether it was acknowledged.
 */
async function postSale(url: string, room: Room, orderId: string, ledger: Ledger): Promise<boolean> {
  if (!ledger.sent.includes(orderId)) ledger.sent.push(orderId);
  const deadline = Date.now() + 30_000;
  for (;;) {
    let why: string;
    try {
      const res = await api(url, `/api/rooms/${room.roomId}/sales`, { token: room.tokens.sales, body: { orderId, productId: room.productId } });
      if (res.status === 200 && res.json?.ok === true) {
        ledger.acked.add(orderId);
        return true;
      }
      why = `http ${res.status}`;
    } catch (err) {
      why = (err as Error & { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    }
    ledger.errors.set(why, (ledger.errors.get(why) ?? 0) + 1);
    if (Date.now() > deadline) {
      ledger.failed++;
      return false;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Sales one after the other (`senders` at once) until `stop()`; `acked()` counts the acknowledged. */
function steadySales(url: string, room: Room, ledger: Ledger, prefix: string, senders = 1) {
  let running = true;
  let n = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  const done = Promise.all(
    Array.from({ length: senders }, async () => {
      while (running) {
        await postSale(url, room, `${prefix}-${++n}`, ledger);
        // About 20 sales/s per sender: a busy live sale, and modest CPU on a shared machine.
        await new Promise((r) => setTimeout(r, 50));
        for (const w of waiters.filter((w) => ledger.acked.size >= w.count)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    }),
  );
  return {
    /** Resolves once `count` sales are acknowledged in all. */
    ackedAtLeast: (count: number) => (ledger.acked.size >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }))),
    async stop() {
      running = false;
      await done;
    },
  };
}

async function roomState(url: string, room: Room): Promise<RoomState> {
  const res = await api(url, `/api/rooms/${room.roomId}`, { token: room.tokens.host });
  expect(res.status).toBe(200);
  return res.json as RoomState;
}

// ---- the overlay page, watched from inside ----

interface PageLog {
  /** Date.now() of each change of the link (live/offline). */
  link: { at: number; value: string | null; cardShown: boolean; name: string | null }[];
  /** Date.now() of each sold count shown. */
  sold: { at: number; value: number }[];
  /** Moments at which no card was on the stage (after the watch began). */
  blank: number[];
}

/** Records in the page, synchronously with each DOM change, what a viewer would see. */
async function watchPage(page: Page): Promise<void> {
  await page.evaluate(() => {
    const log: PageLog = { link: [], sold: [], blank: [] };
    (window as unknown as { __lbLog: PageLog }).__lbLog = log;
    let link: string | null = null;
    let sold: string | null = null;
    const look = () => {
      const stage = document.querySelector('main.stage');
      const card = document.querySelector('[data-part="card"]');
      const l = stage?.getAttribute('data-link') ?? null;
      if (l !== link) {
        link = l;
        log.link.push({ at: Date.now(), value: l, cardShown: card !== null, name: document.querySelector('[data-part="product-name"]')?.textContent ?? null });
      }
      const s = document.querySelector('[data-part="sold-count"]')?.getAttribute('data-value') ?? null;
      if (s !== sold) {
        sold = s;
        if (s !== null) log.sold.push({ at: Date.now(), value: Number(s) });
      }
      if (!card) log.blank.push(Date.now());
    };
    look();
    new MutationObserver(look).observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

const pageLog = (page: Page) => page.evaluate(() => (window as unknown as { __lbLog: PageLog }).__lbLog);
const wentOfflineSince = (log: PageLog, t: number) => log.link.some((e) => e.at >= t && e.value === 'offline');

async function soldShown(page: Page, atLeast: number): Promise<void> {
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-part="sold-count"]')?.getAttribute('data-value') ?? -1) >= n,
    atLeast,
    { timeout: 60_000 },
  );
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

describe.each(['http', 'tcp'] as const)('two relays on Redis behind haproxy (%s mode)', (mode) => {
  const lb = () => balancers[mode]!;

  it('hands out links that point at the balancer, accepts the page origin through it and still refuses a foreign one', async () => {
    await bothUp();
    const room = await roomWithCard(lb(), '永胜软籽石榴');
    expect(room.links.overlay.startsWith(`http://127.0.0.1:${lbPort}/overlay/`)).toBe(true);
    const handshake = (origin: string) =>
      new Promise<string>((resolve) => {
        const s = ioClient(lb().url, {
          transports: ['websocket'],
          auth: { room: room.roomId, token: room.tokens.overlay, protocol: PROTOCOL_VERSION },
          reconnection: false,
          forceNew: true,
          extraHeaders: { origin },
        });
        s.once('connect', () => (s.close(), resolve('connected')));
        s.once('connect_error', (err) => (s.close(), resolve(`refused: ${err.message}`)));
      });
    // The origin of a page served by this balancer (in TCP mode not the public URL: the Host header).
    expect(await handshake(lb().url)).toBe('connected');
    expect(await handshake('http://evil.example')).toMatch(/^refused/);
  });

  it('the overlay page opened through the balancer keeps its card while its relay is SIGKILLed and shows the sales recorded meanwhile, without a reload', async () => {
    await bothUp();
    const room = await roomWithCard(lb(), '永胜软籽石榴');
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(overlayUrl(lb().url, room.roomId, room.tokens.overlay));
    await waitForText(page, '[data-part="product-name"]', '永胜软籽石榴');
    await page.waitForSelector('main.stage[data-link="live"]');
    await watchPage(page);
    let loads = 0;
    page.on('load', () => loads++);

    const ledger = newLedger();
    const sales = steadySales(lb().url, room, ledger, `${mode}-overlay`);
    await sales.ackedAtLeast(3);
    await soldShown(page, 3);

    let outage: { killedAt: number; relay: number } | undefined;
    for (let i = 0; i < relays.length && !outage; i++) {
      const killedAt = await killRelay(i);
      // A few sales acknowledged after the kill (through the surviving relay), then the page
      // must show at least that many: it is back on a relay, whichever it was on.
      const target = ledger.acked.size + 3;
      await sales.ackedAtLeast(target);
      await soldShown(page, target);
      if (wentOfflineSince(await pageLog(page), killedAt)) outage = { killedAt, relay: i };
      else await bothUp(); // the page was on the other relay: bring this one back, kill the other
    }
    expect(outage, 'the page lost its connection to one of the two relays').toBeDefined();
    await sales.stop();

    const log = await pageLog(page);
    const down = log.link.find((e) => e.at >= outage!.killedAt && e.value === 'offline')!;
    // While it was offline the viewer still saw the card, with the product's name.
    expect(down.cardShown).toBe(true);
    expect(down.name).toBe('永胜软籽石榴');
    expect(log.blank).toEqual([]);
    expect(loads).toBe(0);
    // The outage a viewer sees: from the kill to the first sold count that came after the page
    // lost its socket (a state still in flight from the dying relay does not end it).
    const firstNew = log.sold.find((s) => s.at > down.at)!;
    expect(firstNew).toBeDefined();
    const backLive = log.link.find((e) => e.at > down.at && e.value === 'live');
    console.log(
      `[balancer ${mode}] overlay outage: relay ${outage!.relay + 1} SIGKILLed → offline shown after ${down.at - outage!.killedAt} ms, ` +
        `live again after ${backLive ? backLive.at - outage!.killedAt : '?'} ms, first new sold count (${firstNew.value}) after ${firstNew.at - outage!.killedAt} ms; ` +
        `sales ${ledger.sent.length} sent, ${ledger.acked.size} acked, errors ${JSON.stringify([...ledger.errors])}; load average ${load()}`,
    );

    // The page ends on the exact state of the room, live.
    const truth = await roomState(lb().url, room);
    expect(truth.totals.sold).toBe(ledger.acked.size);
    await soldShown(page, truth.totals.sold);
    expect(await page.$eval('[data-part="sold-count"]', (e) => e.getAttribute('data-value'))).toBe(String(truth.totals.sold));
    await page.waitForSelector('main.stage[data-link="live"]');
    expect(await partText(page, 'product-name')).toBe('永胜软籽石榴');
    expect(await page.$('[data-part="setup"]')).toBeNull();
    await settle(page); // the odometer has rolled to the final count
    await page.screenshot({ path: join(SCREENSHOTS, `balancer-failover-${mode}.png`), omitBackground: true });
    await context.close();
  });

  it('the extension’s socket with only the balancer URL survives the loss of its relay and resyncs to the current state', async () => {
    await bothUp();
    const room = await roomWithCard(lb(), '砀山酥梨');
    const events: (ConnectionEvent & { at: number })[] = [];
    const states: RoomState[] = [];
    const stateWaiters: { pred: (s: RoomState) => boolean; resolve: () => void }[] = [];
    const conn = openRelayConnection(
      { relayUrl: lb().url, room: room.roomId, token: room.tokens.host },
      {
        event: (e) => events.push({ ...e, at: Date.now() }),
        state: (s) => {
          states.push(s);
          for (const w of stateWaiters.filter((w) => w.pred(s))) {
            stateWaiters.splice(stateWaiters.indexOf(w), 1);
            w.resolve();
          }
        },
      },
    );
    const stateWhere = (pred: (s: RoomState) => boolean, what: string) =>
      states.length && pred(states.at(-1)!)
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no state with ${what}: events ${JSON.stringify(events)}, last state ${JSON.stringify(states.at(-1))}`)), 60_000);
            stateWaiters.push({ pred, resolve: () => (clearTimeout(timer), resolve()) });
          });
    try {
      await stateWhere((s) => s.currentProductId === room.productId, 'the card shown');
      expect(events.some((e) => e.type === 'online')).toBe(true);

      const ledger = newLedger();
      let lost: { killedAt: number } | undefined;
      for (let i = 0; i < relays.length && !lost; i++) {
        const killedAt = await killRelay(i);
        // A sale made while it may be away: it must have it once back (a full state on connect).
        expect(await postSale(lb().url, room, `${mode}-ext-${i}`, ledger)).toBe(true);
        const sold = ledger.acked.size;
        await stateWhere((s) => s.totals.sold >= sold, `${sold} sold`);
        if (events.some((e) => e.at >= killedAt && e.type === 'offline')) lost = { killedAt };
        else await bothUp();
      }
      expect(lost, 'the socket lost one of the two relays').toBeDefined();
      const after = events.filter((e) => e.at >= lost!.killedAt);
      expect(after.map((e) => e.type)).toContain('online');
      expect(after.some((e) => e.type === 'refused')).toBe(false);
      expect(states.at(-1)).toEqual(await roomState(lb().url, room));
      // And it is live on its new relay: a change made now reaches it.
      const hide = await api(lb().url, `/api/rooms/${room.roomId}/commands`, { token: room.tokens.host, body: { id: 'hide', type: 'card.hide' } });
      expect(hide.status).toBe(200);
      await stateWhere((s) => !s.cardVisible, 'the card hidden');
      expect(conn.transport.connected).toBe(true);
    } finally {
      conn.close();
    }
  });

  it('counts the sales sent through the balancer while a relay is SIGKILLed exactly once, and a full resend counts nothing more', async () => {
    await bothUp();
    const room = await roomWithCard(lb(), '赣南脐橙');
    const ledger = newLedger();
    const sales = steadySales(lb().url, room, ledger, `${mode}-burst`, 4);
    await sales.ackedAtLeast(40);
    await killRelay(0);
    await sales.ackedAtLeast(ledger.acked.size + 40);
    await sales.stop();
    const counted = (await roomState(lb().url, room)).totals.sold;
    console.log(`[balancer ${mode}] burst: ${ledger.sent.length} sent, ${ledger.acked.size} acked, ${counted} counted, errors ${JSON.stringify([...ledger.errors])}`);
    expect(ledger.failed).toBe(0);
    expect(counted).toBeGreaterThanOrEqual(ledger.acked.size);
    expect(counted).toBeLessThanOrEqual(ledger.sent.length);

    await bothUp();
    const resend = newLedger();
    for (const orderId of ledger.sent) expect(await postSale(lb().url, room, orderId, resend)).toBe(true);
    const final = await roomState(lb().url, room);
    expect(final.totals).toEqual({ sold: ledger.sent.length, orders: ledger.sent.length, revenueMinor: ledger.sent.length * 5990, weightGrams: 0 });
  });
});
