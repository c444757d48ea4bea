/**
 * The overlay's ticker in real Chromium against a real relay (issue 15): `flip` by default (one
 * item at a time, idle between flips, each held 6 s, news first, long items crawl once to their
 * end), `ticker=crawl` for the continuous marquee, and no motion at all under
 * prefers-reduced-motion. Real time throughout: the waits are the ticker's own 6 s holds.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, send, startRelay, type TestRelay, type TestSocket } from '../support/relay.js';
import { ensureOverlayBuilt, launchChromium, overlayUrl, partText, waitForText } from './overlay-harness.js';

let relay: TestRelay;
let browser: Browser;
const contexts: BrowserContext[] = [];
const sockets: TestSocket[] = [];

beforeAll(async () => {
  await ensureOverlayBuilt();
  relay = await startRelay();
  browser = await launchChromium();
});

afterAll(async () => {
  for (const s of sockets) s.close();
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await relay?.close();
});

let seq = 0;
const cid = () => `t${++seq}`;

/** A room with the pomegranate on the card, a sold-out product and `messages` in the ticker. */
async function room(messages: string[]) {
  const created = await relay.createRoom();
  const { socket: host } = await connectClient(relay.url, created.room.id, created.tokens.host);
  sockets.push(host);
  const ok = async (c: Record<string, unknown>) => {
    const r = await send(host, { id: cid(), ...c });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.result as { productId: string };
  };
  const { productId } = await ok({ type: 'product.add', product: { sku: 'YS', name: '永胜软籽石榴', priceMinor: 5990, stock: 100 } });
  await ok({ type: 'card.show', productId });
  await ok({ type: 'product.add', product: { sku: 'EGG', name: '铜鼓土鸡蛋', priceMinor: 3500, stock: 0 } });
  for (const text of messages) await ok({ type: 'ticker.push', text });
  return { created, ok };
}

/** Opens the overlay and logs, in the page, each item that comes on: [performance.now(), its text]. */
async function open(roomId: string, token: string, extra: Record<string, string> = {}, reducedMotion: 'reduce' | 'no-preference' = 'no-preference'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, reducedMotion });
  contexts.push(context);
  const page = await context.newPage();
  await page.addInitScript(() => {
    const w = window as unknown as { __on: [number, string][] };
    w.__on = [];
    new MutationObserver(() => {
      const text = document.querySelector('[data-part="ticker"] [data-at="on"]')?.textContent ?? '';
      if (text && text !== w.__on[w.__on.length - 1]?.[1]) w.__on.push([performance.now(), text]);
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-at'] });
  });
  await page.goto(overlayUrl(relay.url, roomId, token, extra));
  await page.waitForSelector('[data-part="ticker"]');
  return page;
}

const onLog = (page: Page) => page.evaluate(() => (window as unknown as { __on: [number, string][] }).__on);
async function waitForTurns(page: Page, n: number): Promise<[number, string][]> {
  await page.waitForFunction((k) => (window as unknown as { __on: unknown[] }).__on.length >= k, n, { timeout: 30_000 });
  return onLog(page);
}

describe('flip ticker (the default)', () => {
  it('shows one item at a time in the ticker order, sold out first, each for at least 4 s, then loops, idle between flips', async () => {
    const { created } = await room(['全场顺丰包邮 · 坏果包赔', '下午三点开启预售']);
    const page = await open(created.room.id, created.tokens.overlay);
    expect(await page.$eval('[data-part="ticker"]', (e) => e.getAttribute('data-mode'))).toBe('flip');
    // Every item is always in the ticker's text, whichever is on screen.
    for (const text of ['铜鼓土鸡蛋', '全场顺丰包邮 · 坏果包赔', '下午三点开启预售']) expect(await partText(page, 'ticker')).toContain(text);
    const log = await waitForTurns(page, 4);
    expect(log.slice(0, 4).map(([, text]) => text)).toEqual(['已售罄铜鼓土鸡蛋', '全场顺丰包邮 · 坏果包赔', '下午三点开启预售', '已售罄铜鼓土鸡蛋']);
    for (let i = 1; i < 4; i++) expect(log[i]![0] - log[i - 1]![0]).toBeGreaterThanOrEqual(4000);
    // Between flips nothing is animated: the compositor has no frame to draw.
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    expect(await page.evaluate(() => document.getAnimations().some((a) => a.effect?.getTiming().iterations === Infinity))).toBe(false);
    // One item visible at a time.
    expect(await page.$$eval('[data-part="ticker"] .tick', (els) => els.filter((e) => getComputedStyle(e).visibility === 'visible' && getComputedStyle(e).opacity !== '0').length)).toBe(1);
  });

  it('shows a newly pushed message and a product that just sold out at once, then carries on', async () => {
    const { created, ok } = await room(['全场顺丰包邮']);
    const page = await open(created.room.id, created.tokens.overlay);
    await waitForTurns(page, 1);
    await ok({ type: 'ticker.push', text: '<b>主播</b>抽奖开始' });
    await waitForText(page, '[data-part="ticker"] [data-at="on"]', '<b>主播</b>抽奖开始');
    expect(await page.$$('[data-part="ticker"] b')).toHaveLength(0);
    const { productId } = await ok({ type: 'product.add', product: { sku: 'HONEY', name: '苗家野蜂蜜', priceMinor: 6800, stock: 1 } });
    await ok({ type: 'sale.record', productId, quantity: 1 });
    await waitForText(page, '[data-part="ticker"] [data-at="on"]', '苗家野蜂蜜');
    const log = await onLog(page);
    // The news cut in: neither the item before it nor the message before that had its 6 s.
    const at = (text: string) => log.findIndex(([, t]) => t.includes(text));
    expect(log[at('抽奖开始')]![0] - log[at('抽奖开始') - 1]![0]).toBeLessThan(6000);
    // And the rotation goes on from there.
    const turns = await waitForTurns(page, log.length + 1);
    expect(turns[turns.length - 1]![1]).not.toContain('苗家野蜂蜜');
  });

  it('crawls a message longer than the bar once, to its very end, before the next flip', async () => {
    const long = '云南丽江永胜县高山软籽石榴特级大果，单果 400 g 以上，顺丰冷链包邮到家，坏果包赔，下午三点开启预售，关注主播每小时抽 10 位送尝鲜装';
    const { created } = await room([long]);
    const page = await open(created.room.id, created.tokens.overlay);
    await page.waitForSelector('[data-part="ticker"] [data-at="on"][data-crawl]', { timeout: 30_000 });
    const ended = await page.evaluate(async () => {
      const el = document.querySelector<HTMLElement>('[data-part="ticker"] [data-at="on"][data-crawl]')!;
      const crawl = el.getAnimations().find((a) => (a as CSSAnimation).animationName === 'tick-crawl')!;
      await crawl.finished;
      const bar = el.parentElement!.parentElement!.getBoundingClientRect();
      return { right: el.getBoundingClientRect().right, barRight: bar.right, stillOn: el.getAttribute('data-at') === 'on' };
    });
    // Its last character reached the bar's right end, and it rests there before the flip.
    expect(Math.abs(ended.right - ended.barRight)).toBeLessThanOrEqual(2);
    expect(ended.stillOn).toBe(true);
    const log = await waitForTurns(page, 3);
    expect(log.map(([, t]) => t)).toContain(long);
  });
});

describe('ticker=crawl and reduced motion', () => {
  it('keeps the continuous crawl with ticker=crawl', async () => {
    const { created } = await room(['全场顺丰包邮']);
    const page = await open(created.room.id, created.tokens.overlay, { ticker: 'crawl' });
    expect(await page.$eval('[data-part="ticker"]', (e) => e.getAttribute('data-mode'))).toBe('crawl');
    expect(await page.$eval('.ticker-track', (e) => getComputedStyle(e).animationName)).toBe('marquee');
    expect(await partText(page, 'ticker')).toContain('铜鼓土鸡蛋');
    expect(await partText(page, 'ticker')).toContain('全场顺丰包邮');
  });

  it('under prefers-reduced-motion nothing moves: the items cut from one to the next', async () => {
    const { created } = await room(['全场顺丰包邮']);
    const page = await open(created.room.id, created.tokens.overlay, {}, 'reduce');
    const log = await waitForTurns(page, 2);
    expect(log.map(([, t]) => t)).toEqual(['已售罄铜鼓土鸡蛋', '全场顺丰包邮']);
    expect(await page.evaluate(() => document.getAnimations().filter((a) => a.effect?.getTiming().duration !== 1).length)).toBe(0);
    const crawl = await open(created.room.id, created.tokens.overlay, { ticker: 'crawl' }, 'reduce');
    expect(await crawl.$eval('.ticker-track', (e) => getComputedStyle(e).animationName)).toBe('none');
  });
});
