/**
 * Screenshots for people to look at (tests/artifacts/, gitignored): both layouts with a Chinese
 * product from examples/catalog-sample.csv, mid-sale, sold out, a long name and another theme.
 * Each also checks what a designer's eye cannot miss: the card fits the frame and the price
 * text is the room's formatted price.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, ROOT, send, startRelay, type TestRelay, type TestSocket } from '../support/relay.js';
import { decodePng, ensureOverlayBuilt, launchChromium, overlayUrl, partText, settle, waitForText } from './overlay-harness.js';

const OUT = join(ROOT, 'tests/artifacts');
let relay: TestRelay;
let browser: Browser;
let host: TestSocket;
let roomId = '';
let overlayToken = '';
const ids: Record<string, string> = {};
let cdn: Server | undefined;
let seq = 0;
const cid = () => `shot${++seq}`;

async function ok(command: Record<string, unknown>): Promise<unknown> {
  const r = await send(host, { id: cid(), ...command });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.result;
}

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  await ensureOverlayBuilt();
  relay = await startRelay();
  browser = await launchChromium();
  const room = await relay.createRoom({ title: '永胜石榴专场' });
  roomId = room.room.id;
  overlayToken = room.tokens.overlay;
  host = (await connectClient(relay.url, roomId, room.tokens.host)).socket;
  // A plain HTTP server on port 0 stands in for the shop's image CDN (a drawn pomegranate).
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400">' +
    '<defs><radialGradient id="g" cx="40%" cy="35%" r="70%"><stop offset="0" stop-color="#ff7a6b"/><stop offset="1" stop-color="#8e0f1c"/></radialGradient></defs>' +
    '<rect width="400" height="400" fill="#f4efe6"/><circle cx="200" cy="215" r="140" fill="url(#g)"/>' +
    '<path d="M170 80 l10 -30 l20 25 l20 -25 l10 30 z" fill="#7a0d18"/></svg>';
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(svg));
  cdn = server;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const imageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pomegranate.svg`;
  // Rows of examples/catalog-sample.csv.
  const rows = [
    { sku: 'YS-POM-5KG', name: '永胜软籽石榴', origin: '云南丽江永胜县', unit: '5 kg box', priceMinor: 5990, originalPriceMinor: 7990, stock: 1600, tagline: '软籽可嚼，甜度18+' },
    { sku: 'YS-POM-2KG', name: '永胜软籽石榴（尝鲜装）', origin: '云南丽江永胜县', unit: '2 kg box', priceMinor: 2990, stock: 800, tagline: '尝鲜装 · 顺丰包邮', imageUrl },
    { sku: 'TG-EGG-30', name: '铜鼓土鸡蛋', origin: '江西宜春铜鼓县', unit: '30 eggs', priceMinor: 3500, stock: 0, tagline: '已售罄 — 下午开启预售' },
    { sku: 'LONG', name: '云南丽江永胜县高山软籽石榴（特级大果 · 单果 400 g 以上 · 顺丰冷链包邮到家）', origin: '云南丽江永胜县', unit: '5 kg box', priceMinor: 12900, originalPriceMinor: 15900, stock: 300, tagline: '限量 300 箱' },
    // Issue 17's farm card: net weight, grade, harvest date, producer.
    { sku: 'HL-POM-5KG', name: '会理软籽石榴', origin: '四川凉山会理', unit: '5 kg/箱', priceMinor: 6990, originalPriceMinor: 8990, stock: 8000, tagline: '产地直发 · 坏果包赔',
      netWeightGrams: 5000, grade: '特级 · 果径 80 mm+', harvestDate: '2026-09-12', producer: '会理县石榴种植专业合作社联合社' },
    { sku: 'MX-HONEY-500G', name: 'Miao mountain honey, "wild" 苗家野蜂蜜', origin: '湖南邵阳城步苗族自治县', unit: '500 g jar', priceMinor: 6800, originalPriceMinor: 8800, stock: 120, tagline: 'Bilingual card test' },
  ];
  for (const p of rows) ids[p.sku] = ((await ok({ type: 'product.add', product: p })) as { productId: string }).productId;
  await ok({ type: 'sale.record', productId: ids['YS-POM-5KG'], quantity: 1234 });
  await ok({ type: 'ticker.push', text: '全场顺丰包邮 · 坏果包赔' });
});

afterAll(async () => {
  cdn?.close();
  host?.close();
  await browser?.close();
  await relay?.close();
});

async function shoot(name: string, params: Record<string, string>, viewport: { width: number; height: number }, expectName: string, read?: (page: Page) => Promise<void>) {
  const context = await browser.newContext({ viewport });
  try {
    const page = await context.newPage();
    await page.goto(overlayUrl(relay.url, roomId, overlayToken, params));
    await waitForText(page, '[data-part="product-name"]', expectName);
    // Let the entry animation and odometer finish so the picture is the resting state.
    await settle(page);
    const png = await page.screenshot({ path: join(OUT, `${name}.png`), omitBackground: true });
    expect(await partText(page, 'price')).toMatch(/^¥\d/);
    const box = (await page.locator('[data-part="card"]').boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
    expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
    expect(decodePng(png).width).toBe(viewport.width);
    await read?.(page);
    return page;
  } finally {
    await context.close();
  }
}

/** shoot, and the farm parts' texts read before the page closes. */
async function shootOpen(name: string, params: Record<string, string>, viewport: { width: number; height: number }, expectName: string): Promise<Record<string, string>> {
  const parts: Record<string, string> = {};
  await shoot(name, params, viewport, expectName, async (page) => {
    for (const part of ['weight-sold', 'room-weight', 'grade', 'harvest-date', 'producer']) parts[part] = (await partText(page, part)) ?? '';
  });
  return parts;
}

describe('overlay screenshots (tests/artifacts)', () => {
  it('landscape and portrait with the pomegranate mid-sale', async () => {
    await ok({ type: 'card.show', productId: ids['YS-POM-5KG'] });
    await ok({ type: 'countdown.start', seconds: 300, label: '限时秒杀' });
    await shoot('overlay-landscape', { layout: 'landscape' }, { width: 1920, height: 1080 }, '永胜软籽石榴');
    await shoot('overlay-portrait', { layout: 'portrait' }, { width: 1080, height: 1920 }, '永胜软籽石榴');
    await shoot('overlay-landscape-light-en', { layout: 'landscape', theme: 'light', lang: 'en', stats: 'revenue,weight' }, { width: 1920, height: 1080 }, '永胜软籽石榴');
    await ok({ type: 'countdown.stop' });
  });

  it('with a product image, in both layouts', async () => {
    await ok({ type: 'card.show', productId: ids['YS-POM-2KG'] });
    await ok({ type: 'sale.record', productId: ids['YS-POM-2KG'], quantity: 56 });
    for (const [layout, viewport] of [['landscape', { width: 1920, height: 1080 }], ['portrait', { width: 1080, height: 1920 }]] as const) {
      const context = await browser.newContext({ viewport });
      try {
        const page = await context.newPage();
        await page.goto(overlayUrl(relay.url, roomId, overlayToken, { layout }));
        await page.waitForSelector('[data-part="image"][data-status="loaded"]');
        await settle(page);
        await page.screenshot({ path: join(OUT, `overlay-image-${layout}.png`), omitBackground: true });
        expect(await partText(page, 'sold-count')).toContain('56');
      } finally {
        await context.close();
      }
    }
  });

  it('a farm card with grade, harvest date, producer and tonnes sold, in both layouts', async () => {
    await ok({ type: 'card.show', productId: ids['HL-POM-5KG'] });
    await ok({ type: 'sale.record', productId: ids['HL-POM-5KG'], quantity: 2500 });
    const zh = { stats: 'weight' };
    const l = await shootOpen('overlay-farm-landscape', { layout: 'landscape', ...zh }, { width: 1920, height: 1080 }, '会理软籽石榴');
    expect(l).toMatchObject({ 'weight-sold': '共售出 12.5 吨', grade: '特级 · 果径 80 mm+', 'harvest-date': '9月12日采摘' });
    await shootOpen('overlay-farm-portrait', { layout: 'portrait', ...zh }, { width: 1080, height: 1920 }, '会理软籽石榴');
    const e = await shootOpen('overlay-farm-landscape-en', { layout: 'landscape', lang: 'en', theme: 'light', stats: 'revenue,weight' }, { width: 1920, height: 1080 }, '会理软籽石榴');
    expect(e).toMatchObject({ 'weight-sold': 'total 12.5 t', 'harvest-date': 'picked 12 Sep' });
  });

  it('a presale when the boxes run out: the pill with the ship date instead of the stamp, the bar on the quota, 预售中 in the ticker, in both layouts', async () => {
    const id = ids['HL-POM-5KG']!;
    await ok({ type: 'card.show', productId: id });
    await ok({ type: 'stock.set', productId: id, stock: 0 });
    await ok({ type: 'presale.set', productId: id, shipBy: '2026-09-20', quota: 1000 });
    await ok({ type: 'sale.record', productId: id, quantity: 400 });
    const read = async (page: Page, into: Record<string, unknown>) => {
      into.presale = await partText(page, 'presale');
      into.weight = await partText(page, 'weight-sold');
      into.stamp = await page.locator('[data-part="sold-out"]').count();
      into.remaining = await page.locator('[data-part="stock-bar"]').getAttribute('data-remaining');
      // The pomegranate's own ticker item (the eggs are sold out too, with their own).
      into.ticker = await page.evaluate(() => [...document.querySelectorAll('[data-part="ticker"] .tick')].map((t) => t.textContent ?? '').find((t) => t.includes('会理软籽石榴')) ?? null);
    };
    const zh: Record<string, unknown> = {};
    await shoot('overlay-presale-landscape', { layout: 'landscape', stats: 'weight' }, { width: 1920, height: 1080 }, '会理软籽石榴', (page) => read(page, zh));
    // 2,500 sold from stock + 400 on presale, 5 kg each.
    expect(zh).toMatchObject({ presale: '预售 · 9月20日发货', weight: '共售出 14.5 吨', stamp: 0, remaining: '600' });
    expect(zh.ticker).toBe('预售中会理软籽石榴');
    const portrait: Record<string, unknown> = {};
    await shoot('overlay-presale-portrait', { layout: 'portrait', stats: 'weight' }, { width: 1080, height: 1920 }, '会理软籽石榴', (page) => read(page, portrait));
    expect(portrait).toMatchObject({ presale: '预售 · 9月20日发货', stamp: 0 });
    const en: Record<string, unknown> = {};
    await shoot('overlay-presale-landscape-en', { layout: 'landscape', lang: 'en', theme: 'light' }, { width: 1920, height: 1080 }, '会理软籽石榴', (page) => read(page, en));
    expect(en).toMatchObject({ presale: 'Presale · ships 20 Sep', stamp: 0 });
    expect(en.ticker).toBe('PRESALE会理软籽石榴');
    // French, portrait, with the weight: the date and the tonnes as a French viewer reads them.
    const fr: Record<string, unknown> = {};
    await shoot('overlay-presale-portrait-fr', { layout: 'portrait', lang: 'fr', stats: 'weight' }, { width: 1080, height: 1920 }, '会理软籽石榴', (page) => read(page, fr));
    expect(fr).toMatchObject({ presale: 'Prévente · expédié le 20 sept.', stamp: 0, remaining: '600' });
    expect(String(fr.weight).replace(/\s/g, ' ')).toBe('total 14,5 t');
    expect(fr.ticker).toBe('PRÉVENTE会理软籽石榴');
    // The quota used up: sold out, the stamp is back and the ticker says so.
    await ok({ type: 'sale.record', productId: id, quantity: 600 });
    const out: Record<string, unknown> = {};
    await shoot('overlay-presale-sold-out', { layout: 'landscape' }, { width: 1920, height: 1080 }, '会理软籽石榴', (page) => read(page, out));
    expect(out).toMatchObject({ presale: null, stamp: 1 });
    expect(out.ticker).toBe('已售罄会理软籽石榴');
  });

  it('sold out, a long name and a bilingual name', async () => {
    await ok({ type: 'card.show', productId: ids['TG-EGG-30'] });
    await shoot('overlay-sold-out', {}, { width: 1920, height: 1080 }, '铜鼓土鸡蛋');
    await ok({ type: 'card.show', productId: ids['LONG'] });
    await shoot('overlay-long-name-portrait', { layout: 'portrait', theme: 'festive' }, { width: 1080, height: 1920 }, '高山软籽石榴');
    await ok({ type: 'card.show', productId: ids['MX-HONEY-500G'] });
    await shoot('overlay-bilingual-fr', { lang: 'fr' }, { width: 1920, height: 1080 }, 'Miao mountain honey');
  });
});
