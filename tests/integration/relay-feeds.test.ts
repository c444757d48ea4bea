/**
 * Shop feeds (issue 13) against a real relay process: deliveries signed as each platform
 * documents (Shopify and WooCommerce: base64 HMAC-SHA256 of the body; Standard Webhooks: signed
 * with the reference `standardwebhooks` package), on payloads shaped like the platforms' own
 * samples (tests/fixtures/webhooks/).
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, ROOT } from '../support/relay.js';
import { freePort, spawnRelay, type RelayProcess } from '../support/relay-process.js';

const ADMIN = 'admin-feeds-test-token';
const fixture = (name: string) => JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/webhooks', name), 'utf8'));
const hmac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64');

let relay: RelayProcess;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-feeds-'));
  relay = await spawnRelay({ port: await freePort(), dataDir, adminToken: ADMIN, env: { LIVESHELF_RATE_PER_SECOND: '100000' } });
}, 60_000);
afterAll(async () => {
  await relay?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

async function room(products: { sku: string; stock?: number | null; priceMinor?: number }[]) {
  const created = (await api(relay.url, '/api/rooms', { token: ADMIN, body: { title: 'feeds', currency: 'USD', locale: 'en' } })).json;
  const id: string = created.room.id;
  const host: string = created.tokens.host;
  const ids: Record<string, string> = {};
  for (const [i, p] of products.entries()) {
    const add = await api(relay.url, `/api/rooms/${id}/commands`, { token: host, body: { id: `add-${i}`, type: 'product.add', product: { sku: p.sku, name: `P ${p.sku}`, priceMinor: p.priceMinor ?? 1000, stock: p.stock ?? null } } });
    expect(add.status).toBe(200);
    ids[p.sku] = add.json.result.productId;
  }
  const state = async () => (await api(relay.url, `/api/rooms/${id}`, { token: host })).json;
  const feed = async (platform: string, secret?: string) => {
    const made = await api(relay.url, `/api/rooms/${id}/feeds`, { token: host, body: { platform, name: `${platform} shop`, ...(secret && { secret }) } });
    expect(made.status).toBe(201);
    return { id: made.json.feed.id as string, url: made.json.feed.url as string, secret: made.json.secret as string };
  };
  const health = async (feedId: string) => (await api(relay.url, `/api/rooms/${id}/feeds`, { token: host })).json.feeds.find((f: { id: string }) => f.id === feedId);
  return { id, host, ids, state, feed, health };
}

function deliver(feedId: string, body: string, headers: Record<string, string>) {
  return api(relay.url, `/hooks/${feedId}`, { raw: body, headers });
}
function shopify(feed: { id: string; secret: string }, topic: string, payload: unknown, opts: { secret?: string; eventId?: string } = {}) {
  const body = JSON.stringify(payload);
  return deliver(feed.id, body, { 'x-shopify-topic': topic, 'x-shopify-hmac-sha256': hmac(opts.secret ?? feed.secret, body), 'x-shopify-webhook-id': opts.eventId ?? `w-${Math.random()}` });
}
function woo(feed: { id: string; secret: string }, topic: string, payload: unknown) {
  const body = JSON.stringify(payload);
  return deliver(feed.id, body, { 'x-wc-webhook-topic': topic, 'x-wc-webhook-signature': hmac(feed.secret, body) });
}
function standard(feed: { id: string; secret: string }, payload: unknown, opts: { msgId?: string; at?: Date } = {}) {
  const body = JSON.stringify(payload);
  const msgId = opts.msgId ?? `msg_${Math.random().toString(36).slice(2)}`;
  const at = opts.at ?? new Date();
  const signature = new Webhook(feed.secret).sign(msgId, at, body);
  return deliver(feed.id, body, { 'webhook-id': msgId, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature });
}

describe('feeds', () => {
  it('makes a feed with its secret shown once, lists its health without it, and a deleted feed answers 404', async () => {
    const r = await room([{ sku: 'A' }]);
    const f = await r.feed('standard');
    expect(f.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(f.url).toBe(`${relay.url}/hooks/${f.id}`);
    const list = await api(relay.url, `/api/rooms/${r.id}/feeds`, { token: r.host });
    expect(list.json.feeds[0]).toMatchObject({ id: f.id, platform: 'standard', received: 0, counted: 0, rejected: 0, unmatched: [], lastAt: null, lastError: null });
    expect(list.text).not.toContain(f.secret);
    const bad = await api(relay.url, `/api/rooms/${r.id}/feeds`, { token: r.host, body: { platform: 'tiktok' } });
    expect(bad).toMatchObject({ status: 400, json: { error: { field: 'platform' } } });
    const created = (await api(relay.url, '/api/rooms', { token: ADMIN, body: { title: 'x', currency: 'USD', locale: 'en' } })).json;
    expect((await api(relay.url, `/api/rooms/${r.id}/feeds`, { token: created.tokens.host })).status).toBe(401);
    expect((await standard(f, { type: 'order.paid', data: { orderId: 'o1', lines: [{ sku: 'A', quantity: 1 }] } })).status).toBe(200);
    expect((await api(relay.url, `/api/rooms/${r.id}/feeds/${f.id}`, { method: 'DELETE', token: r.host })).status).toBe(200);
    expect((await standard(f, { type: 'order.paid', data: { orderId: 'o2', lines: [{ sku: 'A', quantity: 1 }] } })).status).toBe(404);
    expect((await deliver('fd_nosuchfeed', '{}', {})).status).toBe(404);
    expect((await r.state()).totals).toMatchObject({ sold: 1, orders: 1 });
  });

  it('Shopify: orders/paid counts each line once, also when redelivered or paid again through orders/updated; refunds/create refunds one unit; cancellation voids', async () => {
    const r = await room([{ sku: 'SKU2006-001', stock: 1, priceMinor: 8999 }, { sku: 'SKU2006-020', stock: 5, priceMinor: 15999 }]);
    const f = await r.feed('shopify', 'shpss_0123456789abcdef');
    const order = fixture('shopify-orders-paid.json');
    const first = await shopify(f, 'orders/paid', order, { eventId: 'e1' });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ ok: true, duplicate: false, unmatched: 0 });
    expect(first.json.sales).toHaveLength(2);
    // Replay, and the same payment through another topic: counted once, answered as the first time.
    const again = await shopify(f, 'orders/paid', order, { eventId: 'e1' });
    expect(again.json).toMatchObject({ ok: true, duplicate: true, sales: first.json.sales });
    expect((await shopify(f, 'orders/updated', order)).json).toMatchObject({ duplicate: true, sales: first.json.sales });
    expect((await shopify(f, 'orders/create', { ...order, financial_status: 'pending' })).json.ignored).toContain('not paid');
    let s = await r.state();
    expect(s.totals).toMatchObject({ sold: 2, orders: 2, revenueMinor: 8999 + 15999 });
    expect(s.products[0]).toMatchObject({ stock: 0, soldOut: true });
    // A second paid order of the product at stock 0 is a fact: counted, stock stays 0.
    const over = { ...order, id: 1001, line_items: [order.line_items[0]] };
    expect((await shopify(f, 'orders/paid', over)).json).toMatchObject({ duplicate: false });
    s = await r.state();
    expect(s.products[0]).toMatchObject({ stock: 0, sold: 2, soldOut: true });
    // Partial refund: one unit of the first line of the first order.
    const refund = fixture('shopify-refunds-create.json');
    const refunded = await shopify(f, 'refunds/create', refund);
    expect(refunded.json).toMatchObject({ duplicate: false });
    expect((await shopify(f, 'refunds/create', refund)).json).toMatchObject({ duplicate: true });
    s = await r.state();
    expect(s.totals).toMatchObject({ sold: 2, revenueMinor: 8999 + 15999 });
    // Cancellation of the 1001 order voids its sale.
    expect((await shopify(f, 'orders/cancelled', { ...over, cancelled_at: '2021-12-31T19:00:00-05:00' })).status).toBe(200);
    s = await r.state();
    expect(s.totals).toMatchObject({ sold: 1, revenueMinor: 15999 });
    const sales = (await api(relay.url, `/api/rooms/${r.id}/sales`, { token: r.host })).json.sales;
    expect(sales.every((x: { source: string }) => x.source === `feed:${f.id}`)).toBe(true);
    expect(await r.health(f.id)).toMatchObject({ counted: 5, rejected: 0 });
    // The report and the sources total name the feed as the host named it, not by its id.
    const report = (await api(relay.url, `/api/rooms/${r.id}/report`, { token: r.host })).json;
    expect(report.sources).toEqual([{ source: `feed:${f.id}`, name: 'shopify shop', orders: 1, units: 1, revenueMinor: 15999 }]);
    const bySource = (await api(relay.url, `/api/rooms/${r.id}?totals=bySource`, { token: r.host })).json.totals.bySource;
    expect(bySource).toEqual(report.sources);
  });

  it('a flood of forged deliveries is answered 401 each and counted whole in rejected, in one write a second', async () => {
    const r = await room([{ sku: 'A' }]);
    const f = await r.feed('standard');
    const paid = { type: 'order.paid', data: { orderId: 'forged', lines: [{ sku: 'A', quantity: 1 }] } };
    const forged = { ...f, secret: 'whsec_' + Buffer.from('not the feed key, 24 b!!').toString('base64') };
    const answers = await Promise.all(Array.from({ length: 120 }, () => standard(forged, paid)));
    expect(answers.map((a) => a.status)).toEqual(Array(120).fill(401));
    await expect.poll(async () => (await r.health(f.id)).rejected, { timeout: 5000 }).toBe(120);
    expect(await r.health(f.id)).toMatchObject({ received: 120, counted: 0, lastError: 'wrong webhook-signature' });
    expect((await r.state()).totals).toMatchObject({ sold: 0, orders: 0 });
  });

  it('refuses a tampered body, a wrong secret, a missing signature and a stale timestamp with 401, counted in rejected; not JSON is 400; over 256 KB is 413 (all five counted)', async () => {
    const r = await room([{ sku: 'A' }]);
    const shop = await r.feed('shopify', 'shpss_right_secret');
    const order = { ...fixture('shopify-orders-paid.json'), line_items: [{ id: 1, sku: 'A', quantity: 1 }] };
    const body = JSON.stringify(order);
    const tampered = await deliver(shop.id, body.replace('"quantity":1', '"quantity":9'), { 'x-shopify-topic': 'orders/paid', 'x-shopify-hmac-sha256': hmac(shop.secret, body) });
    expect(tampered).toMatchObject({ status: 401, json: { error: { field: 'x-shopify-hmac-sha256' } } });
    expect((await shopify(shop, 'orders/paid', order, { secret: 'shpss_wrong_secret' })).status).toBe(401);
    expect((await deliver(shop.id, body, { 'x-shopify-topic': 'orders/paid' })).status).toBe(401);
    const notJson = 'not json at all';
    expect(await deliver(shop.id, notJson, { 'x-shopify-topic': 'orders/paid', 'x-shopify-hmac-sha256': hmac(shop.secret, notJson), 'content-type': 'text/plain' })).toMatchObject({ status: 400, json: { error: { field: '(body)' } } });
    const big = JSON.stringify({ ...order, note: 'x'.repeat(300 * 1024) });
    expect(await deliver(shop.id, big, { 'x-shopify-topic': 'orders/paid', 'x-shopify-hmac-sha256': hmac(shop.secret, big) })).toMatchObject({ status: 413, json: { error: { code: 'too_large' } } });
    const std = await r.feed('standard');
    const paid = { type: 'order.paid', data: { orderId: 's1', lines: [{ sku: 'A', quantity: 1 }] } };
    expect(await standard(std, paid, { at: new Date(Date.now() - 6 * 60_000) })).toMatchObject({ status: 401, json: { error: { field: 'webhook-timestamp' } } });
    expect((await standard({ ...std, secret: 'whsec_' + Buffer.from('another key of 24 bytes!').toString('base64') }, paid)).status).toBe(401);
    expect((await r.state()).totals).toMatchObject({ sold: 0, orders: 0 });
    // Refusals are answered at once and written to the feed's record once a second (a forged flood costs no write each).
    // The 413 counts too: the body was refused before it was read, on a feed that exists.
    await expect.poll(async () => (await r.health(shop.id)).rejected, { timeout: 5000 }).toBe(5);
    expect(await r.health(shop.id)).toMatchObject({ rejected: 5, counted: 0, lastError: '(body): larger than 256 KB' });
    await expect.poll(async () => (await r.health(std.id)).rejected, { timeout: 5000 }).toBe(2);
    expect(await r.health(std.id)).toMatchObject({ rejected: 2, counted: 0 });
    expect(relay.output()).not.toContain(shop.secret);
    expect(relay.output()).not.toContain('"quantity":9');
  });

  it('Standard: an unknown SKU is answered 200 and waits in unmatched; mapping it counts the waiting lines once; a cancel before the payment means the payment is not counted; order.refunded lowers a line', async () => {
    const r = await room([{ sku: 'A', stock: 3, priceMinor: 500 }]);
    const f = await r.feed('standard');
    const unknown = await standard(f, { type: 'order.paid', data: { orderId: 'o1', lines: [{ sku: 'NOPE', quantity: 2 }, { lineId: 'L2', sku: 'A', quantity: 1 }] } }, { msgId: 'm1' });
    expect(unknown).toMatchObject({ status: 200, json: { unmatched: 1 } });
    expect((await r.health(f.id)).unmatched).toEqual([{ sku: 'NOPE', quantity: 2, orderId: 'standard:o1:NOPE' }]);
    const map = await api(relay.url, `/api/rooms/${r.id}/feeds/${f.id}/map`, { token: r.host, body: { sku: 'NOPE', productId: r.ids.A } });
    expect(map).toMatchObject({ status: 200, json: { counted: [expect.any(String)], unmatched: 0 } });
    expect((await api(relay.url, `/api/rooms/${r.id}/feeds/${f.id}/map`, { token: r.host, body: { sku: 'NOPE', productId: r.ids.A } })).json.counted).toEqual([]);
    // The same delivery again: nothing new, the mapped line is the same sale.
    expect((await standard(f, { type: 'order.paid', data: { orderId: 'o1', lines: [{ sku: 'NOPE', quantity: 2 }, { lineId: 'L2', sku: 'A', quantity: 1 }] } }, { msgId: 'm1' })).json).toMatchObject({ duplicate: true });
    expect((await r.state()).totals).toMatchObject({ sold: 3, orders: 2 });
    // Cancelled first, paid after: the payment is not counted.
    expect((await standard(f, { type: 'order.cancelled', data: { orderId: 'o2', lines: [{ sku: 'A', quantity: 1 }] } })).status).toBe(200);
    expect((await standard(f, { type: 'order.paid', data: { orderId: 'o2', lines: [{ sku: 'A', quantity: 1 }] } })).json.ignored).toContain('cancelled');
    // A partial refund of the mapped line.
    expect((await standard(f, { type: 'order.refunded', data: { orderId: 'o1', lines: [{ sku: 'NOPE', quantity: 1 }] } }, { msgId: 'r1' })).json).toMatchObject({ duplicate: false });
    expect((await r.state()).totals).toMatchObject({ sold: 2, orders: 2, revenueMinor: 1000 });
    expect((await standard(f, { type: 'order.shipped', data: { orderId: 'o3', lines: [] } })).json.error.field).toBe('type');
  });

  it('WooCommerce: the unsigned save ping is 200 and counts nothing; processing counts, a redelivery of order.updated does not, cancelled voids', async () => {
    const r = await room([{ sku: 'WOO-1', priceMinor: 300 }, { sku: 'WOO-2', priceMinor: 1200 }]);
    const f = await r.feed('woocommerce', 'my-woo-secret-123');
    const ping = await deliver(f.id, 'webhook_id=42', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(ping).toMatchObject({ status: 200, json: { ok: true, ping: true } });
    const order = fixture('woocommerce-order.json');
    order.line_items[0].sku = 'WOO-1';
    order.line_items[1].sku = 'WOO-2';
    expect((await woo(f, 'order.created', { ...order, status: 'pending' })).json.ignored).toContain('not paid');
    expect((await woo(f, 'order.updated', order)).json).toMatchObject({ duplicate: false, sales: [expect.any(String), expect.any(String)] });
    expect((await woo(f, 'order.updated', { ...order, status: 'completed' })).json).toMatchObject({ duplicate: true });
    expect((await r.state()).totals).toMatchObject({ sold: 3, revenueMinor: 1800 });
    expect((await woo(f, 'order.updated', { ...order, status: 'cancelled' })).status).toBe(200);
    expect((await r.state()).totals).toMatchObject({ sold: 0, orders: 0, revenueMinor: 0 });
    expect(await r.health(f.id)).toMatchObject({ counted: 4, rejected: 0 });
  });
});

describe('a burst of signed deliveries', () => {
  let burstRelay: RelayProcess | undefined;
  const burstDir = mkdtempSync(join(tmpdir(), 'liveshelf-feeds-burst-'));
  afterAll(async () => {
    await burstRelay?.kill();
    rmSync(burstDir, { recursive: true, force: true });
  });

  it('2,000 deliveries from 50 connections, 10 % duplicates, cancellations out of order, a SIGKILL midway and a resend of everything: the count is exact', async () => {
    const port = await freePort();
    burstRelay = await spawnRelay({ port, dataDir: burstDir, adminToken: ADMIN, env: { LIVESHELF_RATE_PER_SECOND: '100000' } });
    const base = burstRelay.url;
    const created = (await api(base, '/api/rooms', { token: ADMIN, body: { title: 'burst', currency: 'USD', locale: 'en' } })).json;
    const roomId: string = created.room.id;
    const host: string = created.tokens.host;
    expect((await api(base, `/api/rooms/${roomId}/commands`, { token: host, body: { id: 'add', type: 'product.add', product: { sku: 'B', name: 'burst', priceMinor: 100 } } })).status).toBe(200);
    const made = (await api(base, `/api/rooms/${roomId}/feeds`, { token: host, body: { platform: 'standard' } })).json;
    const feed = { id: made.feed.id as string, secret: made.secret as string };

    // 1,700 orders; 100 of them cancelled (half the cancellations sent before their payment);
    // 200 redeliveries of a payment: 2,000 deliveries, expected count 1,600 units.
    const ORDERS = 1700;
    const deliveries: { msgId: string; payload: unknown }[] = [];
    for (let i = 0; i < ORDERS; i++) deliveries.push({ msgId: `pay-${i}`, payload: { type: 'order.paid', data: { orderId: `o${i}`, lines: [{ sku: 'B', quantity: 1 }] } } });
    const cancels: typeof deliveries = [];
    for (let i = 0; i < 100; i++) cancels.push({ msgId: `cancel-${i}`, payload: { type: 'order.cancelled', data: { orderId: `o${i * 17}`, lines: [{ sku: 'B', quantity: 1 }] } } });
    const dups = Array.from({ length: 200 }, (_, i) => deliveries[(i * 7) % ORDERS]!);
    // Deterministic shuffle; the first 50 cancellations go before every payment.
    let seed = 13;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const rest = [...deliveries, ...dups, ...cancels.slice(50)].sort(() => rand() - 0.5);
    const all = [...cancels.slice(0, 50), ...rest];
    expect(all).toHaveLength(2000);

    const send = async (url: string, d: { msgId: string; payload: unknown }) => {
      const body = JSON.stringify(d.payload);
      const at = new Date();
      const res = await fetch(`${url}/hooks/${feed.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-id': d.msgId, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(feed.secret).sign(d.msgId, at, body) },
        body,
      });
      await res.text();
      return res.status;
    };
    async function pool(url: string, list: typeof all, onAnswer: (n: number) => void) {
      let next = 0;
      let answered = 0;
      const statuses: number[] = [];
      await Promise.all(
        Array.from({ length: 50 }, async () => {
          while (next < list.length) {
            const d = list[next++]!;
            try {
              statuses.push(await send(url, d));
              onAnswer(++answered);
            } catch {
              return; // the relay was killed: this connection stops
            }
          }
        }),
      );
      return statuses;
    }
    // The first 50 cancellations are answered before any payment is sent.
    for (const c of cancels.slice(0, 50)) expect(await send(base, c)).toBe(200);
    let killed: Promise<void> | undefined;
    const firstRun = await pool(base, rest, (n) => {
      if (n === 900 && !killed) killed = burstRelay!.kill('SIGKILL');
    });
    await killed;
    expect(firstRun.every((s) => s === 200)).toBe(true);
    expect(firstRun.length).toBeGreaterThanOrEqual(900);
    expect(firstRun.length).toBeLessThan(rest.length);

    burstRelay = await spawnRelay({ port: await freePort(), dataDir: burstDir, adminToken: ADMIN, env: { LIVESHELF_RATE_PER_SECOND: '100000' } });
    const started = performance.now();
    const resend = await pool(burstRelay.url, [...all].reverse(), () => undefined);
    const seconds = (performance.now() - started) / 1000;
    expect(resend).toHaveLength(2000);
    expect(resend.every((s) => s === 200)).toBe(true);
    const state = (await api(burstRelay.url, `/api/rooms/${roomId}`, { token: host })).json;
    expect(state.totals).toMatchObject({ sold: 1600, orders: 1600, revenueMinor: 160_000 });
    console.log(`[feeds burst] resend of 2000 deliveries from 50 connections: ${(2000 / seconds).toFixed(0)} deliveries/s`);
  }, 240_000);
});
