/**
 * The OBS overlay page in real Chromium against a real relay (SQLite, port 0): what viewers see
 * follows the room, in both layouts, on a transparent background, with room text as text.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, ROOT, send, startRelay, type CreatedRoom, type TestRelay, type TestSocket } from '../support/relay.js';
import { alphaAt, decodePng, ensureOverlayBuilt, launchChromium, overlayUrl, partText, settle, waitForText } from './overlay-harness.js';

let relay: TestRelay;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  await ensureOverlayBuilt();
  relay = await startRelay();
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await relay?.close();
});

async function openOverlay(room: string, token: string, extra: Record<string, string> = {}, viewport = { width: 1920, height: 1080 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(overlayUrl(relay.url, room, token, extra));
  return page;
}

let seq = 0;
const cid = () => `c${++seq}`;

async function roomWithHost(): Promise<{ room: CreatedRoom; host: TestSocket }> {
  const room = await relay.createRoom();
  const { socket } = await connectClient(relay.url, room.room.id, room.tokens.host);
  return { room, host: socket };
}

async function addProduct(host: TestSocket, product: Record<string, unknown>): Promise<string> {
  const r = await send(host, { id: cid(), type: 'product.add', product });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return (r.result as { productId: string }).productId;
}

const POMEGRANATE = { sku: 'YS-POM-5KG', name: '永胜软籽石榴', origin: '云南丽江永胜县', unit: '5 kg box', priceMinor: 5990, originalPriceMinor: 7990, stock: 5, tagline: '软籽可嚼，甜度18+' };

describe('overlay follows the room', () => {
  it('shows the card, live count, stock bar, sold-out stamp, ticker and countdown as the state changes', async () => {
    const { room, host } = await roomWithHost();
    const id = await addProduct(host, POMEGRANATE);
    const page = await openOverlay(room.room.id, room.tokens.overlay);

    // Nothing to show yet: a transparent page, no card, no error line.
    await page.waitForSelector('main.stage[data-link="live"]');
    expect(await page.$('[data-part="card"]')).toBeNull();
    expect(await page.$('[data-part="setup"]')).toBeNull();

    await send(host, { id: cid(), type: 'card.show', productId: id });
    await waitForText(page, '[data-part="product-name"]', '永胜软籽石榴');
    expect(await partText(page, 'price')).toBe('¥59.90');
    expect(await partText(page, 'original-price')).toBe('¥79.90');
    expect(await page.$eval('[data-part="original-price"]', (e) => e.tagName)).toBe('S');
    expect(await partText(page, 'sold-count')).toContain('0');
    expect(await page.$eval('[data-part="stock-bar"]', (e) => e.getAttribute('data-remaining'))).toBe('5');
    expect(await page.$('[data-part="sold-out"]')).toBeNull();
    expect(await page.$eval('[data-part="sold-count"] .sold-digits', (e) => getComputedStyle(e).fontVariantNumeric)).toContain('tabular-nums');

    await send(host, { id: cid(), type: 'sale.record', productId: id, quantity: 2 });
    await waitForText(page, '[data-part="sold-count"]', '2');
    await page.waitForSelector('[data-part="stock-bar"][data-remaining="3"]');
    expect(await page.$eval('[data-part="stock-bar"]', (e) => e.getAttribute('data-ratio'))).toBe('0.6000');
    expect(await page.$('[data-part="sold-out"]')).toBeNull();
    expect(await page.$('[data-part="ticker"]')).toBeNull();

    await send(host, { id: cid(), type: 'sale.record', productId: id, quantity: 3 });
    await page.waitForSelector('[data-part="sold-out"]', { state: 'visible' });
    expect(await partText(page, 'sold-out')).toBe('已售罄');
    await waitForText(page, '[data-part="sold-count"]', '5');
    await waitForText(page, '[data-part="ticker"]', '永胜软籽石榴');

    await send(host, { id: cid(), type: 'ticker.push', text: '下午三点开启预售' });
    await waitForText(page, '[data-part="ticker"]', '下午三点开启预售');
    expect(await partText(page, 'ticker')).toContain('永胜软籽石榴');

    // Restocking takes the stamp away again and the product off the sold-out ticker.
    await send(host, { id: cid(), type: 'stock.set', productId: id, stock: 10 });
    await waitForText(page, '[data-part="sold-out"]', null);
    await page.waitForFunction(() => !(document.querySelector('[data-part="ticker"]')?.textContent ?? '').includes('永胜软籽石榴'));
    expect(await partText(page, 'ticker')).toContain('下午三点开启预售');

    await send(host, { id: cid(), type: 'countdown.start', seconds: 90, label: '限时秒杀' });
    await waitForText(page, '[data-part="countdown"]', '限时秒杀');
    // 90 s shown as 01:30 or just under; the page aligns to the relay clock through /healthz, whose
    // estimate is off by up to half a round trip, so on a loaded machine 01:31 can show for a moment.
    expect(await partText(page, 'countdown')).toMatch(/01:(2\d|3[01])/);

    await send(host, { id: cid(), type: 'card.hide' });
    await waitForText(page, '[data-part="card"]', null);
    host.close();
  });

  it('shows a product name containing markup as text, and a broken image leaves a clean card', async () => {
    const { room, host } = await roomWithHost();
    const name = '<img src=x onerror="window.__pwned=1">石榴<b>bold</b>';
    const id = await addProduct(host, { sku: 'X1', name, priceMinor: 100, imageUrl: `${relay.url}/overlay/no-such-image.png` });
    await send(host, { id: cid(), type: 'ticker.push', text: '<script>window.__pwned=2</script>' });
    await send(host, { id: cid(), type: 'card.show', productId: id });
    const page = await openOverlay(room.room.id, room.tokens.overlay);
    await waitForText(page, '[data-part="product-name"]', '石榴');
    expect(await partText(page, 'product-name')).toBe(name);
    expect(await page.$$('[data-part="product-name"] *')).toHaveLength(0);
    expect(await partText(page, 'ticker')).toContain('<script>window.__pwned=2</script>');
    // The image 404s: its box goes away instead of showing a broken-image icon.
    await page.waitForSelector('[data-part="image"]', { state: 'detached' });
    expect(await page.$$('img')).toHaveLength(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    host.close();
  });

  it('shows the product image once it has loaded', async () => {
    // A plain HTTP server on port 0 stands in for the shop's image CDN.
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><rect width="200" height="200" fill="#c0392b"/></svg>';
    const cdn = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(svg));
    await new Promise<void>((r) => cdn.listen(0, '127.0.0.1', r));
    const port = (cdn.address() as AddressInfo).port;
    try {
      const { room, host } = await roomWithHost();
      const id = await addProduct(host, { sku: 'IMG', name: '带图商品', priceMinor: 100, imageUrl: `http://127.0.0.1:${port}/pomegranate.svg` });
      await send(host, { id: cid(), type: 'card.show', productId: id });
      const page = await openOverlay(room.room.id, room.tokens.overlay);
      await page.waitForSelector('[data-part="image"][data-status="loaded"]');
      await page.waitForFunction(() => getComputedStyle(document.querySelector('[data-part="image"] img')!).opacity === '1');
      host.close();
    } finally {
      cdn.close();
    }
  });
});

describe('optional stats', () => {
  it('shows revenue and total weight sold with stats=revenue,weight, and neither by default', async () => {
    const { room, host } = await roomWithHost();
    const id = await addProduct(host, { ...POMEGRANATE, sku: 'ST', stock: 100 });
    await send(host, { id: cid(), type: 'card.show', productId: id });
    await send(host, { id: cid(), type: 'sale.record', productId: id, quantity: 3 });
    const plain = await openOverlay(room.room.id, room.tokens.overlay);
    await waitForText(plain, '[data-part="sold-count"]', '3');
    expect(await plain.$('[data-part="revenue"]')).toBeNull();
    expect(await plain.$('[data-part="weight-sold"]')).toBeNull();
    const page = await openOverlay(room.room.id, room.tokens.overlay, { stats: 'revenue,weight' });
    await waitForText(page, '[data-part="revenue"]', '¥179.70');
    expect(await partText(page, 'weight-sold')).toContain('15 kg');
    await send(host, { id: cid(), type: 'sale.record', productId: id, quantity: 1 });
    await waitForText(page, '[data-part="weight-sold"]', '20 kg');
    expect(await partText(page, 'revenue')).toContain('¥239.60');
    host.close();
  });
});

describe('farm goods on the card (issue 17)', () => {
  const FARM = {
    ...POMEGRANATE, sku: 'HL-POM-5KG', name: '会理石榴', stock: 10_000, unit: '5 kg box', netWeightGrams: 5000,
    grade: '特级 · 果径 80 mm+', harvestDate: '2026-09-12', producer: '会理县石榴专业合作社',
  };

  it('shows grade, harvest date and producer in the viewer’s language, and 5,000 g × 2,500 sold as 12.5 吨', async () => {
    const { room, host } = await roomWithHost();
    const id = await addProduct(host, FARM);
    await send(host, { id: cid(), type: 'card.show', productId: id });
    await send(host, { id: cid(), type: 'sale.record', productId: id, quantity: 2500 });
    const zh = await openOverlay(room.room.id, room.tokens.overlay, { stats: 'weight' });
    await waitForText(zh, '[data-part="weight-sold"]', '12.5 吨');
    expect(await partText(zh, 'grade')).toBe('特级 · 果径 80 mm+');
    expect(await partText(zh, 'harvest-date')).toBe('9月12日采摘');
    expect(await partText(zh, 'producer')).toBe('会理县石榴专业合作社');
    expect(await partText(zh, 'weight-sold')).toBe('共售出 12.5 吨');
    // The room's line shows only when other products add to it (the same figure twice reads as a mistake).
    expect(await zh.$('[data-part="room-weight"]')).toBeNull();
    const en = await openOverlay(room.room.id, room.tokens.overlay, { stats: 'weight', lang: 'en' });
    await waitForText(en, '[data-part="weight-sold"]', '12.5 t');
    expect(await partText(en, 'harvest-date')).toBe('picked 12 Sep');
    // The unit text says 5 kg too, but the declared net weight wins: make it 400 g and the weight follows (2,500 × 400 g = 1 t).
    await send(host, { id: cid(), type: 'product.update', productId: id, changes: { netWeightGrams: 400 } });
    await waitForText(zh, '[data-part="weight-sold"]', '共售出 1 吨');
    const small = await addProduct(host, { sku: 'HL-POM-S', name: '会理石榴 尝鲜装', priceMinor: 1990, unit: '一箱', netWeightGrams: 2500 });
    await send(host, { id: cid(), type: 'sale.record', productId: small, quantity: 3 });
    // The room's line is the relay's kept total (totals.weightGrams): each sale weighed when it was
    // recorded, so the correction to 400 g re-weighs the card's line but not the 2,500 sold at 5 kg
    // (12.5 t + 3 × 2.5 kg = 12,507.5 kg).
    await waitForText(zh, '[data-part="room-weight"]', '全场 12.5 吨');
    await send(host, { id: cid(), type: 'card.show', productId: small });
    await waitForText(zh, '[data-part="weight-sold"]', '共售出 7.5 kg');
    // No farm fields: no farm line, and without stats=weight no weight at all.
    const plain = await openOverlay(room.room.id, room.tokens.overlay);
    await waitForText(plain, '[data-part="product-name"]', '会理石榴 尝鲜装');
    expect(await plain.$('[data-part="grade"]')).toBeNull();
    expect(await plain.$('[data-part="harvest-date"]')).toBeNull();
    expect(await plain.$('[data-part="weight-sold"]')).toBeNull();
    expect(await plain.$('[data-part="room-weight"]')).toBeNull();
    host.close();
  });
});

describe('layouts, languages and transparency', () => {
  for (const [layout, viewport] of [
    ['landscape', { width: 1920, height: 1080 }],
    ['portrait', { width: 1080, height: 1920 }],
  ] as const) {
    it(`lays the card, ticker and countdown out inside the ${layout} frame on a transparent background`, async () => {
      const { room, host } = await roomWithHost();
      const id = await addProduct(host, { ...POMEGRANATE, sku: `P-${layout}` });
      await send(host, { id: cid(), type: 'card.show', productId: id });
      await send(host, { id: cid(), type: 'ticker.push', text: '全场顺丰包邮' });
      await send(host, { id: cid(), type: 'countdown.start', seconds: 300 });
      const page = await openOverlay(room.room.id, room.tokens.overlay, { layout }, viewport);
      await waitForText(page, '[data-part="product-name"]', '永胜软籽石榴');
      await page.waitForSelector('[data-part="countdown"]');
      await page.waitForSelector('[data-part="ticker"]');
      await settle(page);
      expect(await page.$eval('main.stage', (e) => e.getAttribute('data-layout'))).toBe(layout);
      for (const part of ['card', 'ticker', 'countdown']) {
        const box = await page.locator(`[data-part="${part}"]`).boundingBox();
        expect(box, part).not.toBeNull();
        // Inside the frame with a margin (title-safe), never clipped by the browser source.
        expect(box!.x, part).toBeGreaterThanOrEqual(40);
        expect(box!.y, part).toBeGreaterThanOrEqual(40);
        expect(box!.x + box!.width, part).toBeLessThanOrEqual(viewport.width - 40);
        expect(box!.y + box!.height, part).toBeLessThanOrEqual(viewport.height - 40);
      }
      const png = decodePng(await page.screenshot({ omitBackground: true }));
      expect(png.width).toBe(viewport.width);
      for (const [x, y] of [[0, 0], [png.width - 1, 0], [0, png.height - 1], [png.width - 1, png.height - 1], [png.width >> 1, 10]] as const) {
        expect(alphaAt(png, x, y), `alpha at ${x},${y}`).toBe(0);
      }
      // The card itself is opaque enough to read over any video.
      const card = (await page.locator('[data-part="card"]').boundingBox())!;
      expect(alphaAt(png, Math.round(card.x + card.width / 2), Math.round(card.y + card.height - 10))).toBeGreaterThan(200);
      host.close();
    });
  }

  it('uses the words of lang=fr and falls back to defaults for unknown values', async () => {
    const { room, host } = await roomWithHost();
    const id = await addProduct(host, { sku: 'FR', name: 'Miel de montagne', priceMinor: 6800, stock: 0 });
    await send(host, { id: cid(), type: 'card.show', productId: id });
    const fr = await openOverlay(room.room.id, room.tokens.overlay, { lang: 'fr' });
    await waitForText(fr, '[data-part="sold-out"]', 'ÉPUISÉ');
    const odd = await openOverlay(room.room.id, room.tokens.overlay, { lang: 'klingon', layout: 'diagonal', theme: 'nope', scale: '40' });
    await waitForText(odd, '[data-part="sold-out"]', '已售罄');
    expect(await odd.$eval('main.stage', (e) => [e.getAttribute('data-layout'), e.getAttribute('data-theme'), getComputedStyle(e).getPropertyValue('--scale')])).toEqual([
      'landscape',
      'dark',
      '1',
    ]);
    host.close();
  });
});

describe('custom CSS', () => {
  it('applies the README example the way OBS injects custom CSS (a style sheet after the page\'s)', async () => {
    const readme = readFileSync(join(ROOT, 'overlay/page/README.md'), 'utf8');
    const css = /```css\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(css).toBeTruthy();
    const { room, host } = await roomWithHost();
    const id = await addProduct(host, { ...POMEGRANATE, sku: 'CSS', stock: 0 });
    await send(host, { id: cid(), type: 'card.show', productId: id });
    await send(host, { id: cid(), type: 'ticker.push', text: 'hidden by custom CSS' });
    const page = await openOverlay(room.room.id, room.tokens.overlay);
    await page.waitForSelector('[data-part="sold-out"]');
    await page.addStyleTag({ content: css! });
    await settle(page);
    const box = (await page.locator('[data-part="card"]').boundingBox())!;
    expect(box.x + box.width).toBeCloseTo(1920 - 96, 0);
    expect(box.width).toBeCloseTo(860, 0);
    expect(await page.locator('[data-part="ticker"]').isVisible()).toBe(false);
    expect(await page.$eval('[data-part="sold-out"]', (e) => getComputedStyle(e).fontSize)).toBe('80px');
    expect(await page.$eval('[data-part="price"]', (e) => getComputedStyle(e).color)).toBe('rgb(255, 225, 77)');
    host.close();
  });
});

describe('motion', () => {
  it('honours prefers-reduced-motion: no scrolling ticker, no rolling digits, the card just appears', async () => {
    const { room, host } = await roomWithHost();
    const id = await addProduct(host, { ...POMEGRANATE, sku: 'RM' });
    await send(host, { id: cid(), type: 'card.show', productId: id });
    await send(host, { id: cid(), type: 'ticker.push', text: '静态字幕' });
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(overlayUrl(relay.url, room.room.id, room.tokens.overlay));
    await waitForText(page, '[data-part="ticker"]', '静态字幕');
    expect(await page.$eval('.ticker-track', (e) => getComputedStyle(e).animationName)).toBe('none');
    expect(await page.$eval('.odo-d', (e) => getComputedStyle(e, '::before').transitionProperty)).toBe('none');
    await send(host, { id: cid(), type: 'sale.record', productId: id, quantity: 3 });
    await waitForText(page, '[data-part="sold-count"]', '3');
    host.close();
  });

  it('animates only transform and opacity', async () => {
    const { room, host } = await roomWithHost();
    const id = await addProduct(host, { ...POMEGRANATE, sku: 'MO', stock: 1 });
    await send(host, { id: cid(), type: 'card.show', productId: id });
    await send(host, { id: cid(), type: 'sale.record', productId: id, quantity: 1 });
    const page = await openOverlay(room.room.id, room.tokens.overlay);
    await page.waitForSelector('[data-part="sold-out"]');
    const animated = await page.evaluate(() =>
      document.getAnimations().flatMap((a) => (a.effect as KeyframeEffect).getKeyframes().flatMap((k) => Object.keys(k))),
    );
    const props = new Set(animated.filter((k) => !['offset', 'easing', 'composite', 'computedOffset'].includes(k)));
    expect(props.size).toBeGreaterThan(0);
    for (const p of props) expect(['transform', 'opacity']).toContain(p);
    host.close();
  });
});

describe('setup mistakes get one clear line', () => {
  it('says the token was refused, in the chosen language', async () => {
    const { room, host } = await roomWithHost();
    const page = await openOverlay(room.room.id, 'lso_wrong-token', { lang: 'en' });
    await waitForText(page, '[data-part="setup"]', "this overlay link's token was refused");
    expect(await partText(page, 'setup')).toContain('copy the overlay URL again from the host console');
    expect(await page.$('[data-part="card"]')).toBeNull();
    host.close();
  });

  it('says the room is unknown', async () => {
    const page = await openOverlay('r_no_such_room', 'lso_whatever');
    await waitForText(page, '[data-part="setup"]', '中继服务器上没有这个直播间');
  });

  it('says the link is incomplete when the token is missing', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${relay.url}/overlay/?room=r_x&lang=en`);
    await waitForText(page, '[data-part="setup"]', 'this overlay link is incomplete');
  });
});
