/**
 * Never blank on stream: the overlay in real Chromium while its real relay goes away. The relay
 * is closed and started again on the same port and SQLite data dir, as a restart or a crash
 * with a process manager would do.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, connectClient, send, startRelay, type TestRelay } from '../support/relay.js';
import { freePort, spawnRelay, type RelayProcess } from '../support/relay-process.js';
import { ensureOverlayBuilt, launchChromium, overlayUrl, partText, waitForText } from './overlay-harness.js';

let browser: Browser;
const relays = new Set<TestRelay>();
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  await ensureOverlayBuilt();
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  for (const r of relays) await r.close().catch(() => {});
});

async function start(opts: { dataDir?: string; port?: number } = {}): Promise<TestRelay> {
  const r = await startRelay(opts);
  relays.add(r);
  return r;
}
async function stop(r: TestRelay): Promise<void> {
  relays.delete(r);
  await r.close({ keepData: true });
}
const portOf = (r: TestRelay) => Number(new URL(r.url).port);

async function hostCommands(r: TestRelay, room: string, token: string, commands: Record<string, unknown>[]): Promise<string[]> {
  const { socket } = await connectClient(r.url, room, token);
  const ids: string[] = [];
  for (const c of commands) {
    const reply = await send(socket, c);
    if (!reply.ok) throw new Error(JSON.stringify(reply.error));
    const pid = (reply.result as { productId?: string } | undefined)?.productId;
    if (pid) ids.push(pid);
  }
  socket.close();
  return ids;
}

async function setup() {
  const r1 = await start();
  const room = await r1.createRoom();
  const [id] = await hostCommands(r1, room.room.id, room.tokens.host, [
    { id: 'a1', type: 'product.add', product: { sku: 'YS', name: '永胜软籽石榴', priceMinor: 5990, originalPriceMinor: 7990, stock: 100 } },
  ]);
  await hostCommands(r1, room.room.id, room.tokens.host, [
    { id: 'a2', type: 'card.show', productId: id },
    { id: 'a3', type: 'sale.record', productId: id, quantity: 7 },
  ]);
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(overlayUrl(r1.url, room.room.id, room.tokens.overlay));
  await waitForText(page, '[data-part="sold-count"]', '7');
  return { r1, room, id: id!, page };
}

/** The page has stored this state and the service worker controls it (what a reload while offline relies on). */
async function offlineReady(page: Page, sold: number): Promise<void> {
  await page.waitForFunction(
    (want) => {
      const raw = Object.keys(localStorage).filter((k) => k.startsWith('liveshelf.overlay.')).map((k) => localStorage.getItem(k) ?? '')[0];
      return raw !== undefined && raw.includes(`"sold":${want}`) && navigator.serviceWorker.controller !== null;
    },
    sold,
  );
}

describe('overlay through relay outages', () => {
  it('serves the service worker script from /overlay/ as JavaScript', async () => {
    const r = await start();
    const res = await fetch(`${r.url}/overlay/sw.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(await res.text()).toContain('liveshelf-overlay');
    await stop(r);
  });

  it('keeps the card while the relay is down and resyncs to the exact state it missed when the relay is back', async () => {
    const { r1, room, id, page } = await setup();
    const port = portOf(r1);
    await stop(r1);
    await page.waitForSelector('main.stage[data-link="offline"]');
    // Viewers still see the last state, and no error.
    expect(await partText(page, 'sold-count')).toContain('7');
    expect(await partText(page, 'product-name')).toBe('永胜软籽石榴');
    expect(await page.$('[data-part="setup"]')).toBeNull();

    // While the page cannot hear it, the room changes (a relay on another port, same data).
    const side = await start({ dataDir: r1.dataDir });
    await hostCommands(side, room.room.id, room.tokens.host, [
      { id: 'b1', type: 'sale.record', productId: id, quantity: 93 },
      { id: 'b2', type: 'ticker.push', text: '感谢大家，石榴已抢光' },
    ]);
    await stop(side);

    const r2 = await start({ dataDir: r1.dataDir, port });
    await page.waitForSelector('[data-part="sold-out"]');
    await waitForText(page, '[data-part="sold-count"]', '100');
    await waitForText(page, '[data-part="ticker"]', '感谢大家，石榴已抢光');
    const truth = await api(r2.url, `/api/rooms/${room.room.id}`, { token: room.tokens.overlay });
    expect(await page.$eval('[data-part="sold-count"]', (e) => e.getAttribute('data-value'))).toBe(String(truth.json.products[0].sold));
    expect(await page.$eval('[data-part="stock-bar"]', (e) => e.getAttribute('data-remaining'))).toBe(String(truth.json.products[0].stock));

    // And it is live again.
    await hostCommands(r2, room.room.id, room.tokens.host, [{ id: 'b3', type: 'card.hide' }]);
    await waitForText(page, '[data-part="card"]', null);
    await stop(r2);
  });

  it('shows the last state when OBS reloads the page while the relay is down, then catches up', async () => {
    const { r1, room, id, page } = await setup();
    const port = portOf(r1);
    await offlineReady(page, 7);
    await stop(r1);

    await page.reload();
    await waitForText(page, '[data-part="product-name"]', '永胜软籽石榴');
    expect(await partText(page, 'sold-count')).toContain('7');
    expect(await partText(page, 'price')).toBe('¥59.90');
    expect(await page.$('[data-part="setup"]')).toBeNull();

    const r2 = await start({ dataDir: r1.dataDir, port });
    await hostCommands(r2, room.room.id, room.tokens.host, [{ id: 'c1', type: 'sale.record', productId: id, quantity: 5 }]);
    await waitForText(page, '[data-part="sold-count"]', '12');
    await page.waitForSelector('main.stage[data-link="live"]');
    await stop(r2);
  });

  it('comes back by itself after the relay process is SIGKILLed and started again', async () => {
    // The relay as `npm start` runs it, in its own process, killed without any goodbye to clients.
    const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-overlay-kill-'));
    const port = await freePort();
    const admin = 'overlay-kill-admin';
    let proc: RelayProcess | undefined = await spawnRelay({ port, dataDir, adminToken: admin });
    try {
      const url = proc.url;
      const created = await api(url, '/api/rooms', { token: admin, body: { title: 'kill', currency: 'CNY', locale: 'zh-CN' } });
      const roomId: string = created.json.room.id;
      const tokens = created.json.tokens as Record<string, string>;
      const add = await api(url, `/api/rooms/${roomId}/commands`, {
        token: tokens.host,
        body: { id: 'k1', type: 'product.add', product: { sku: 'K', name: '砀山酥梨', priceMinor: 3990, stock: 50 } },
      });
      const pid: string = add.json.result.productId;
      await api(url, `/api/rooms/${roomId}/commands`, { token: tokens.host, body: { id: 'k2', type: 'card.show', productId: pid } });
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(overlayUrl(url, roomId, tokens.overlay!));
      await waitForText(page, '[data-part="product-name"]', '砀山酥梨');

      await proc.kill('SIGKILL');
      await page.waitForSelector('main.stage[data-link="offline"]');
      expect(await partText(page, 'product-name')).toBe('砀山酥梨');
      expect(await page.$('[data-part="setup"]')).toBeNull();

      proc = await spawnRelay({ port, dataDir, adminToken: admin });
      await api(url, `/api/rooms/${roomId}/commands`, { token: tokens.host, body: { id: 'k3', type: 'sale.record', productId: pid, quantity: 4 } });
      await waitForText(page, '[data-part="sold-count"]', '4');
      await page.waitForSelector('[data-part="stock-bar"][data-remaining="46"]');
      await page.waitForSelector('main.stage[data-link="live"]');
    } finally {
      await proc?.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('shows the setup line when the overlay token is rotated while the page is open', async () => {
    const { r1, room, page } = await setup();
    const rotated = await api(r1.url, `/api/rooms/${room.room.id}/tokens/rotate`, { token: room.tokens.host, body: { role: 'overlay' } });
    expect(rotated.status).toBe(200);
    await waitForText(page, '[data-part="setup"]', '令牌被拒绝');
    await stop(r1);
  });
});
