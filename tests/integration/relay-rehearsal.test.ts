/**
 * Issue 19's rehearsal on a real relay (port 0, SQLite on disk, real HTTP and socket.io): the
 * simulated feed sends its orders through the room's actor, so an overlay's counter climbs; a
 * rush brings exactly the orders asked; stop stops it; a queue sold out stops it by itself; end
 * gives every count and stock back; and nothing of it reaches the report, its CSVs, the sales
 * CSV or the sources, while GET …/sales marks it. Also: a relay restarted mid-rehearsal resumes
 * the feed, and close() with a feed running leaves nothing behind.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RoomState } from '../../shared/domain.js';
import { api, connectClient, startRelay, waitForState, type CreatedRoom, type TestRelay, type TestSocket } from '../support/relay.js';

let r: TestRelay | undefined;
const sockets: TestSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await r?.close();
  r = undefined;
});

async function setup(stocks: (number | null)[] = [null, 500]) {
  r = await startRelay();
  const room = await r.createRoom({ title: '彩排', currency: 'CNY', locale: 'zh-CN' });
  const ids: string[] = [];
  for (const [i, stock] of stocks.entries()) {
    const res = await cmd(room, { id: `add-${i}`, type: 'product.add', product: { sku: `SKU${i}`, name: `石榴 ${i}`, priceMinor: 5990, stock, netWeightGrams: 2500 } });
    ids.push(res.json.result.productId as string);
  }
  await cmd(room, { id: 'show', type: 'card.show', productId: ids[0] });
  const overlay = await connectClient(r.url, room.room.id, room.tokens.overlay);
  sockets.push(overlay.socket);
  return { room, ids, overlay };
}

function cmd(room: CreatedRoom, command: Record<string, unknown>) {
  return api(r!.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body: command });
}

const state = async (room: CreatedRoom) => (await api(r!.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host })).json as RoomState;
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

describe('the rehearsal feed on one relay', () => {
  it('a rush of 300 in 3 s reaches the overlay’s counter through the actor; end gives every count back; the report shows only the live sale after it', async () => {
    const { room, ids, overlay } = await setup();
    await cmd(room, { id: 'live-1', type: 'sale.record', productId: ids[1], quantity: 2 });
    const before = await state(room);
    expect((await cmd(room, { id: 'start', type: 'rehearsal.start', ordersPerMinute: 0, rushOrders: 300, rushSeconds: 3 })).json).toMatchObject({ ok: true });
    // The overlay's counter climbs while the rush runs, then stands at exactly the rush's orders.
    const midway = await waitForState(overlay.socket, (s) => s.totals.orders > before.totals.orders + 50, 10_000);
    expect(midway.mode).toBe('rehearsal');
    const done = await waitForState(overlay.socket, (s) => s.totals.orders === before.totals.orders + 300, 15_000);
    expect(done.rehearsal?.counted.orders).toBe(300);
    // Weighted towards the product on air (ids[0]): about 60 % of the orders.
    const onAir = done.products.find((p) => p.id === ids[0])!.sold;
    expect(onAir).toBeGreaterThan(300 * 0.45);
    expect(onAir).toBeLessThan(300 * 0.75);

    const listed = (await api(r!.url, `/api/rooms/${room.room.id}/sales?limit=1000`, { token: room.tokens.host })).json;
    const practice = listed.sales.filter((s: { rehearsal?: boolean }) => s.rehearsal);
    expect(practice).toHaveLength(300);
    expect(practice.every((s: { source: string; by: string }) => s.source === 'rehearsal' && s.by === 'sales')).toBe(true);

    expect((await cmd(room, { id: 'end', type: 'rehearsal.end' })).json).toMatchObject({ ok: true });
    const after = await state(room);
    expect(after).toMatchObject({ mode: 'live', rehearsal: null, totals: before.totals });
    expect(after.products.map((p) => [p.stock, p.sold, p.revenueMinor])).toEqual(before.products.map((p) => [p.stock, p.sold, p.revenueMinor]));
    // Nothing in flight counts after the end.
    await sleep(300);
    expect((await state(room)).totals).toEqual(before.totals);

    await cmd(room, { id: 'live-2', type: 'sale.record', productId: ids[0], quantity: 1 });
    const report = (await api(r!.url, `/api/rooms/${room.room.id}/report`, { token: room.tokens.host })).json;
    expect(report.totals).toEqual({ orders: 2, units: 3, revenueMinor: 3 * 5990, refundedMinor: 0, weightGrams: 3 * 2500 });
    expect(report.sources).toEqual([{ source: 'api', name: 'api', orders: 2, units: 3, revenueMinor: 3 * 5990 }]);
    expect(report.timeline.reduce((n: number, m: { orders: number }) => n + m.orders, 0)).toBe(2);
    const csv = (await api(r!.url, `/api/rooms/${room.room.id}/report?format=csv`, { token: room.tokens.host })).text;
    expect(csv).toContain('SKU0');
    const timeline = (await api(r!.url, `/api/rooms/${room.room.id}/report?format=timeline.csv`, { token: room.tokens.host })).text;
    const orderColumn = timeline.trim().split('\r\n').slice(1).map((line) => Number(line.split(',')[1]));
    expect(orderColumn.reduce((a, b) => a + b, 0)).toBe(2);
    const salesCsv = (await api(r!.url, `/api/rooms/${room.room.id}/sales?format=csv`, { token: room.tokens.host })).text;
    expect(salesCsv.trim().split('\r\n')).toHaveLength(1 + 2);
    expect(salesCsv).not.toContain('rehearsal');
    const bySource = (await api(r!.url, `/api/rooms/${room.room.id}?totals=bySource`, { token: room.tokens.host })).json;
    expect(bySource.totals.bySource).toEqual(report.sources);
  });

  it('answers bad input with a 4xx naming the field, a co-host with 403, an end without start with 409; nothing changes', async () => {
    const { room } = await setup();
    const before = await state(room);
    const bad = await cmd(room, { id: 'bad', type: 'rehearsal.start', ordersPerMinute: 601 });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'invalid', field: 'ordersPerMinute' });
    expect(bad.json.error.message).toContain('at most 600');
    const cohost = await api(r!.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.cohost, body: { id: 'co', type: 'rehearsal.start' } });
    expect(cohost.status).toBe(403);
    const end = await cmd(room, { id: 'end', type: 'rehearsal.end' });
    expect(end.status).toBe(409);
    expect(end.json.error).toMatchObject({ reason: 'not_rehearsing' });
    expect(await state(room)).toEqual(before);
  });

  it('stop stops the simulated orders: none counts after it', async () => {
    const { room } = await setup();
    await cmd(room, { id: 'start', type: 'rehearsal.start', ordersPerMinute: 600 });
    await sleep(1500);
    expect((await cmd(room, { id: 'stop', type: 'rehearsal.stop' })).json).toMatchObject({ ok: true });
    const stopped = await state(room);
    expect(stopped.rehearsal).toMatchObject({ running: false });
    expect(stopped.totals.orders).toBeGreaterThan(3);
    await sleep(1000);
    expect((await state(room)).totals.orders).toBe(stopped.totals.orders);
  });

  it('stops by itself when nothing in the queue can sell, and says so in the room', async () => {
    const { room, overlay } = await setup([5, 3]);
    await cmd(room, { id: 'start', type: 'rehearsal.start', ordersPerMinute: 0, rushOrders: 100, rushSeconds: 2 });
    const stopped = await waitForState(overlay.socket, (s) => s.rehearsal?.running === false, 10_000);
    expect(stopped.products.map((p) => [p.stock, p.soldOut])).toEqual([[0, true], [0, true]]);
    expect(stopped.rehearsal?.counted.orders).toBe(8);
    await cmd(room, { id: 'end', type: 'rehearsal.end' });
    expect((await state(room)).products.map((p) => [p.stock, p.soldOut])).toEqual([[5, false], [3, false]]);
  });

  it('a relay restarted mid-rehearsal resumes the feed when the room is used again', async () => {
    const { room } = await setup();
    await cmd(room, { id: 'start', type: 'rehearsal.start', ordersPerMinute: 600 });
    await sleep(800);
    const dataDir = r!.dataDir;
    const port = Number(new URL(r!.url).port);
    await r!.close({ keepData: true });
    r = await startRelay({ dataDir, port });
    const atRestart = (await state(room)).totals.orders; // this read loads the room: the feed resumes
    await sleep(2000);
    expect((await state(room)).totals.orders).toBeGreaterThan(atRestart + 5);
    await cmd(room, { id: 'end', type: 'rehearsal.end' });
    expect((await state(room)).totals.orders).toBe(0);
    await r.close();
    r = undefined;
  });

  it('close() with a feed running stops it and closes cleanly', async () => {
    const { room } = await setup();
    await cmd(room, { id: 'start', type: 'rehearsal.start', ordersPerMinute: 600, rushOrders: 1000, rushSeconds: 5 });
    await sleep(500);
    const feed = r!.relay.feeds.feed(room.room.id);
    expect(feed?.running).toBe(true);
    await r!.close();
    r = undefined;
    expect(feed?.running).toBe(false);
    const sent = feed!.stats.sent;
    await sleep(300);
    expect(feed!.stats.sent).toBe(sent);
  });
});
