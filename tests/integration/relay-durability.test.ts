/**
 * Durable before acknowledged: restarts and a SIGKILL during a burst of sales from several
 * concurrent senders lose no acknowledged sale, and a full resend counts each order once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN, api, connectClient, connectSocket, send, startRelay, type TestSocket } from '../support/relay.js';
import { freePort, spawnRelay, type RelayProcess } from '../support/relay-process.js';
import { PROTOCOL_VERSION, type CommandReply } from '../../shared/protocol.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'liveshelf-durable-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('restart on the same data dir', () => {
  it('rebuilds the exact state, and a command id applied before the restart is still a duplicate', async () => {
    const dataDir = tmp();
    const r1 = await startRelay({ dataDir });
    const room = await r1.createRoom({ title: '砀山酥梨', currency: 'CNY', locale: 'zh-CN' });
    const { socket } = await connectClient(r1.url, room.room.id, room.tokens.host);
    const ids: string[] = [];
    for (const [i, sku] of ['A', 'B', 'C'].entries()) {
      const reply = await send(socket, { id: `add-${i}`, type: 'product.add', product: { sku, name: `梨 ${sku}`, priceMinor: 3990 + i, stock: 5 } });
      if (!reply.ok) throw new Error(reply.error.message);
      ids.push(reply.result.productId!);
    }
    await send(socket, { id: 'move', type: 'queue.move', productId: ids[2], toIndex: 0 });
    await send(socket, { id: 'show', type: 'card.show', productId: ids[1] });
    await send(socket, { id: 'sale-1', type: 'sale.record', productId: ids[1], quantity: 5 });
    await send(socket, { id: 'sale-2', type: 'sale.record', productId: ids[0], quantity: 2, orderId: 'ord-2' });
    await send(socket, { id: 'void-2', type: 'sale.void', saleId: 'sale-2' });
    await send(socket, { id: 'ticker', type: 'ticker.push', text: '砀山酥梨已售罄' });
    await send(socket, { id: 'remove', type: 'product.remove', productId: ids[2] });
    socket.close();
    const before = (await api(r1.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host })).json;
    await r1.close({ keepData: true });

    const r2 = await startRelay({ dataDir });
    const after = (await api(r2.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host })).json;
    expect(after).toEqual(before);
    expect(after.products.map((p: { sku: string }) => p.sku)).toEqual(['A', 'B']);
    expect(after.products[1]).toMatchObject({ soldOut: true, stock: 0, sold: 5 });
    const again = await connectClient(r2.url, room.room.id, room.tokens.host);
    expect(await send(again.socket, { id: 'sale-1', type: 'sale.record', productId: ids[1], quantity: 5 })).toMatchObject({ ok: true, duplicate: true });
    // The voided sale is known after the restart: voiding it again is refused, not re-applied.
    expect(await send(again.socket, { id: 'void-2b', type: 'sale.void', saleId: 'sale-2' })).toMatchObject({ ok: false, error: { reason: 'already_voided' } });
    expect(await send(again.socket, { id: 'sale-3', type: 'sale.record', productId: ids[0], quantity: 2, orderId: 'ord-2' })).toMatchObject({ ok: true, duplicate: true });
    // [R7] The first payload is known after the restart too: the same orderId with another quantity is refused.
    expect(await send(again.socket, { id: 'sale-4', type: 'sale.record', productId: ids[0], quantity: 1, orderId: 'ord-2' })).toMatchObject({ ok: false, error: { reason: 'idempotency_mismatch', field: 'quantity' } });
    again.socket.close();
    await r2.close();
  });

  it('[R9] keeps refunds sent over the socket and HTTP across a restart; a repeated refund command id is a duplicate and changes nothing', async () => {
    const dataDir = tmp();
    const r1 = await startRelay({ dataDir });
    const room = await r1.createRoom({ title: '赣南脐橙', currency: 'CNY', locale: 'zh-CN' });
    const { socket } = await connectClient(r1.url, room.room.id, room.tokens.host);
    const added = await send(socket, { id: 'add', type: 'product.add', product: { sku: 'NAVEL', name: '赣南脐橙 5kg', priceMinor: 4990, stock: 4 } });
    const productId = added.ok ? added.result.productId! : '';
    expect(await send(socket, { id: 'sale-a', type: 'sale.record', productId, quantity: 3 })).toMatchObject({ ok: true });
    expect(await send(socket, { id: 'sale-b', type: 'sale.record', productId, quantity: 1, orderId: 'DY-9' })).toMatchObject({ ok: true });
    // A refund over the socket (host), one over HTTP with the shop's sales token.
    expect(await send(socket, { id: 'refund-a', type: 'sale.refund', saleId: 'sale-a', quantity: 1 })).toMatchObject({ ok: true, duplicate: false, result: { saleId: 'sale-a', productId } });
    const byHttp = await api(r1.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.sales, body: { id: 'refund-b', type: 'sale.refund', saleId: 'sale-b', quantity: 1 } });
    expect(byHttp).toMatchObject({ status: 200, json: { ok: true, duplicate: false } });
    const tooMany = await api(r1.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.sales, body: { id: 'refund-c', type: 'sale.refund', saleId: 'sale-a', quantity: 3 } });
    expect(tooMany).toMatchObject({ status: 409, json: { ok: false, error: { code: 'conflict', reason: 'refund_too_large', field: 'quantity' } } });
    expect(tooMany.json.error.message).toContain('2 of its 3 units left');
    socket.close();
    const before = (await api(r1.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host })).json;
    expect(before.totals).toEqual({ sold: 2, revenueMinor: 2 * 4990, orders: 1, weightGrams: 0 });
    expect(before.products[0]).toMatchObject({ stock: 2, sold: 2, soldOut: false });
    await r1.close({ keepData: true });

    const r2 = await startRelay({ dataDir });
    const after = (await api(r2.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host })).json;
    expect(after).toEqual(before);
    const again = await connectClient(r2.url, room.room.id, room.tokens.host);
    expect(await send(again.socket, { id: 'refund-a', type: 'sale.refund', saleId: 'sale-a', quantity: 1 })).toMatchObject({ ok: true, duplicate: true, version: before.version - 1 });
    const resent = await api(r2.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.sales, body: { id: 'refund-b', type: 'sale.refund', saleId: 'sale-b', quantity: 1 } });
    expect(resent).toMatchObject({ status: 200, json: { ok: true, duplicate: true } });
    expect((await api(r2.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host })).json).toEqual(before);
    const sales = (await api(r2.url, `/api/rooms/${room.room.id}/sales`, { token: room.tokens.host })).json.sales as Record<string, unknown>[];
    expect(sales.map((s) => [s.id, s.quantity, s.refundedQuantity])).toEqual([['sale-a', 3, 1], ['sale-b', 1, 1]]);
    // The refunded sale is known after the restart: the rest of it is refunded from what is left.
    expect(await send(again.socket, { id: 'refund-a2', type: 'sale.refund', saleId: 'sale-a', quantity: 2 })).toMatchObject({ ok: true, duplicate: false });
    expect((await api(r2.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host })).json.totals).toEqual({ sold: 0, revenueMinor: 0, orders: 0, weightGrams: 0 });
    again.socket.close();
    await r2.close();
  });

  it('reads a database from before sales carried their answers (answers in commands, no sales.answer column)', async () => {
    const dataDir = tmp();
    const r1 = await startRelay({ dataDir });
    const room = await r1.createRoom();
    const { socket } = await connectClient(r1.url, room.room.id, room.tokens.host);
    const added = await send(socket, { id: 'add', type: 'product.add', product: { sku: 'PG', name: '永胜软籽石榴', priceMinor: 5990, stock: 10 } });
    const productId = added.ok ? added.result.productId! : '';
    const first = await send(socket, { id: 'old-sale', type: 'sale.record', productId, quantity: 2, orderId: 'DY-1' });
    expect(first).toMatchObject({ ok: true, duplicate: false });
    socket.close();
    await r1.close({ keepData: true });
    // Turn it into the layout of 2026-11 databases: the sale's answer in commands, no column.
    const db = new Database(join(dataDir, 'liveshelf.sqlite'));
    const row = db.prepare("SELECT answer FROM sales WHERE id = 'old-sale'").get() as { answer: string };
    expect(JSON.parse(row.answer)).toEqual(first);
    db.prepare("INSERT INTO commands (room_id, id, version, type, by_role, at, answer) SELECT room_id, id, ?, 'sale.record', by_role, at, answer FROM sales WHERE id = 'old-sale'").run(first.ok ? first.version : 0);
    db.exec('ALTER TABLE sales DROP COLUMN answer');
    db.close();

    const r2 = await startRelay({ dataDir });
    const again = await connectClient(r2.url, room.room.id, room.tokens.host);
    expect(await send(again.socket, { id: 'old-sale', type: 'sale.record', productId, quantity: 2, orderId: 'DY-1' })).toEqual({ ...first, duplicate: true });
    expect(await send(again.socket, { id: 'other-id', type: 'sale.record', productId, quantity: 2, orderId: 'DY-1' })).toEqual({ ...first, duplicate: true });
    const next = await send(again.socket, { id: 'new-sale', type: 'sale.record', productId, quantity: 1 });
    expect(next).toMatchObject({ ok: true, duplicate: false });
    expect(await send(again.socket, { id: 'new-sale', type: 'sale.record', productId, quantity: 1 })).toEqual({ ...next, duplicate: true });
    const state = (await api(r2.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host })).json;
    expect(state.totals).toMatchObject({ sold: 3, orders: 2 });
    again.socket.close();
    await r2.close();
  });
});

describe('SIGKILL during a burst', () => {
  let relay: RelayProcess | undefined;
  afterAll(async () => relay?.kill());

  it('keeps every acknowledged sale; a full resend counts each order exactly once', async () => {
    const dataDir = tmp();
    const port = await freePort();
    relay = await spawnRelay({ port, dataDir, adminToken: ADMIN, env: { LIVESHELF_RATE_PER_SECOND: '100000' } });
    const created = (await api(relay.url, '/api/rooms', { token: ADMIN, body: { title: 'crash', currency: 'CNY', locale: 'zh-CN' } })).json;
    const roomId: string = created.room.id;
    const host: string = created.tokens.host;
    const add = await api(relay.url, `/api/rooms/${roomId}/commands`, { token: host, body: { id: 'add', type: 'product.add', product: { sku: 'POM', name: '石榴', priceMinor: 5990 } } });
    const productId: string = add.json.result.productId;

    const SENDERS = 6;
    const sent: { id: string; orderId: string }[] = [];
    const acked = new Set<string>();
    const sockets: TestSocket[] = [];
    let stop = false;
    const connect = () => connectSocket(relay!.url, roomId, host);
    const senders = Array.from({ length: SENDERS }, async (_, k) => {
      const s = await connect();
      sockets.push(s);
      let i = 0;
      // Each sender keeps up to 8 sales in flight, like an outbox flushing after a reconnect.
      const inflight = new Set<Promise<void>>();
      while (!stop && s.connected) {
        const id = `s${k}-${i++}`;
        const entry = { id, orderId: `order-${id}` };
        sent.push(entry);
        const p = new Promise<void>((resolve) => {
          s.emit('command', { id, type: 'sale.record', productId, orderId: entry.orderId }, (reply: CommandReply) => {
            if (reply.ok) acked.add(id);
            resolve();
          });
          s.once('disconnect', () => resolve());
        }).then(() => void inflight.delete(p));
        inflight.add(p);
        if (inflight.size >= 8) await Promise.race(inflight);
      }
      await Promise.race([Promise.all(inflight), new Promise((r) => setTimeout(r, 200))]);
    });
    // Kill once a good number of sales were acknowledged, mid-burst.
    while (acked.size < 300) await new Promise((r) => setTimeout(r, 5));
    await relay.kill('SIGKILL');
    stop = true;
    await Promise.all(senders);
    for (const s of sockets) s.close();
    expect(acked.size).toBeGreaterThanOrEqual(300);
    expect(sent.length).toBeGreaterThan(acked.size);

    relay = await spawnRelay({ port, dataDir, adminToken: ADMIN, env: { LIVESHELF_RATE_PER_SECOND: '100000' } });
    const counted: number = (await api(relay.url, `/api/rooms/${roomId}`, { token: host })).json.totals.sold;
    expect(counted).toBeGreaterThanOrEqual(acked.size);
    expect(counted).toBeLessThanOrEqual(sent.length);

    // Full resend of every sale ever sent, half with the same command id, half only with the same orderId.
    const resend = await connect();
    const replies = await Promise.all(
      sent.map(
        (e, i) =>
          new Promise<CommandReply>((resolve) =>
            resend.emit('command', { id: i % 2 ? e.id : `retry-${e.id}`, type: 'sale.record', productId, orderId: e.orderId }, resolve),
          ),
      ),
    );
    expect(replies.every((x) => x.ok)).toBe(true);
    // Every acknowledged sale was already there: the resend reports it as a duplicate.
    sent.forEach((e, i) => {
      const reply = replies[i]!;
      if (acked.has(e.id)) expect(reply).toMatchObject({ ok: true, duplicate: true });
    });
    const duplicates = replies.filter((x) => x.ok && x.duplicate).length;
    expect(duplicates).toBe(counted);
    const final = (await api(relay.url, `/api/rooms/${roomId}`, { token: host })).json;
    expect(final.totals.sold).toBe(sent.length);
    expect(final.totals.orders).toBe(sent.length);
    expect(final.totals.revenueMinor).toBe(sent.length * 5990);
    resend.close();
  });
});
