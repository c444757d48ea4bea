/**
 * The audit log (issue 18) end to end: a real relay on port 0, real socket.io clients and HTTP.
 * Every applied command is logged with who sent it (a named person by name, a shared role token
 * by its role); a refusal or a duplicate is not; GET /api/rooms/:room/audit pages it and gives
 * a CSV; it is the host's; bad query parameters are 400s naming the field; the log survives a
 * restart of the relay on the same database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { api, connectClient, send, startRelay, type TestRelay } from '../support/relay.js';

let r: TestRelay;
beforeAll(async () => {
  r = await startRelay();
});
afterAll(async () => r.close());

async function roomWithPear() {
  const room = await r.createRoom();
  const id = room.room.id;
  const add = await api(r.url, `/api/rooms/${id}/commands`, { token: room.tokens.host, body: { id: 'add-pear', type: 'product.add', product: { sku: 'DS-PEAR', name: '砀山酥梨', priceMinor: 3990, stock: 10 } } });
  expect(add.status).toBe(200);
  return { room, id, productId: add.json.result.productId as string };
}

describe('audit log', () => {
  it("names the person who sent a command, the role of a shared token, and logs neither refusals nor duplicates", async () => {
    const { room, id, productId } = await roomWithPear();
    const invited = await api(r.url, `/api/rooms/${id}/people`, { token: room.tokens.host, body: { name: '王县长', role: 'cohost' } });
    expect(invited.status).toBe(201);
    const { socket: wang } = await connectClient(r.url, id, invited.json.token);
    const { socket: cohost } = await connectClient(r.url, id, room.tokens.cohost);
    expect(await send(wang, { id: 'show-1', type: 'card.show', productId })).toMatchObject({ ok: true, duplicate: false });
    expect(await send(wang, { id: 'show-1', type: 'card.show', productId })).toMatchObject({ ok: true, duplicate: true });
    // Refused (co-hosts set no stock): no entry.
    expect(await send(wang, { id: 'stock-1', type: 'stock.set', productId, stock: 3 })).toMatchObject({ ok: false, error: { reason: 'role' } });
    expect(await send(cohost, { id: 'tick-1', type: 'ticker.push', text: '产地直发' })).toMatchObject({ ok: true });
    const sale = await api(r.url, `/api/rooms/${id}/sales`, { token: room.tokens.sales, body: { orderId: 'DY-1', sku: 'DS-PEAR', quantity: 2 } });
    expect(sale.status).toBe(200);

    const log = await api(r.url, `/api/rooms/${id}/audit`, { token: room.tokens.host });
    expect(log.status).toBe(200);
    expect(log.json.next).toBeNull();
    const entries = log.json.entries as { seq: number; commandId: string; type: string; by: Record<string, string>; summary: Record<string, unknown>; at: number }[];
    expect(entries.map((e) => [e.seq, e.type, e.by])).toEqual([
      [1, 'product.add', { role: 'host' }],
      [2, 'card.show', { role: 'cohost', personId: invited.json.person.id, name: '王县长' }],
      [3, 'ticker.push', { role: 'cohost' }],
      [4, 'sale.record', { role: 'sales' }],
    ]);
    expect(entries[1]).toMatchObject({ commandId: 'show-1', summary: { productId, name: '砀山酥梨' }, at: expect.any(Number) });
    expect(entries[2]!.summary).toEqual({ text: '产地直发' });
    expect(entries[3]!.summary).toMatchObject({ productId, name: '砀山酥梨', quantity: 2 });

    // The person was seen: lastSeenAt is set (on connect or on the command).
    const people = await api(r.url, `/api/rooms/${id}/people`, { token: room.tokens.host });
    expect(people.json.people[0].lastSeenAt).toEqual(expect.any(Number));
    wang.close();
    cohost.close();
  });

  it('pages with after/limit and exports the whole log as a CSV with a BOM', async () => {
    const { room, id } = await roomWithPear();
    for (let i = 0; i < 4; i++) {
      expect((await api(r.url, `/api/rooms/${id}/commands`, { token: room.tokens.host, body: { id: `t${i}`, type: 'ticker.push', text: `=line ${i}` } })).status).toBe(200);
    }
    const first = await api(r.url, `/api/rooms/${id}/audit?limit=2`, { token: room.tokens.host });
    expect(first.json.entries.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
    expect(first.json.next).toBe('2');
    const second = await api(r.url, `/api/rooms/${id}/audit?limit=2&after=${first.json.next}`, { token: room.tokens.host });
    expect(second.json.entries.map((e: { commandId: string }) => e.commandId)).toEqual(['t1', 't2']);
    const last = await api(r.url, `/api/rooms/${id}/audit?limit=2&after=4`, { token: room.tokens.host });
    expect(last.json).toMatchObject({ next: null });
    expect(last.json.entries).toHaveLength(1);

    const res = await fetch(`${r.url}/api/rooms/${id}/audit?format=csv`, { headers: { authorization: `Bearer ${room.tokens.host}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await res.arrayBuffer());
    // fetch's text() would drop the BOM: read the bytes.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) };
    expect(csv.text.startsWith('\uFEFFseq,at,command_id,type,role,person_id,name,summary\r\n')).toBe(true);
    const rows = Papa.parse<string[]>(csv.text.slice(1).trim(), { newline: '\r\n' }).data;
    expect(rows).toHaveLength(6);
    expect(rows[1]!.slice(0, 5)).toEqual(['1', expect.stringMatching(/^\d{4}-\d\d-\d\dT/), 'add-pear', 'product.add', 'host']);
    // A ticker text that looks like a formula is escaped for the spreadsheet.
    expect(JSON.parse(rows[2]![7]!)).toEqual({ text: '=line 0' });
    expect(csv.text).toContain(`"{""text"":""=line 0""}"`);
  });

  it('is the host\'s only, and answers bad query parameters with a 400 naming the field', async () => {
    const { room, id } = await roomWithPear();
    for (const role of ['cohost', 'sales', 'overlay'] as const) {
      const res = await api(r.url, `/api/rooms/${id}/audit`, { token: room.tokens[role] });
      expect(res.status, role).toBe(403);
    }
    expect((await api(r.url, `/api/rooms/${id}/audit`)).status).toBe(401);
    expect((await api(r.url, `/api/rooms/nope/audit`, { token: room.tokens.host })).status).toBe(404);
    for (const [query, field] of [['after=abc', 'after'], ['after=-1', 'after'], ['limit=0', 'limit'], ['limit=20000', 'limit'], ['format=xml', 'format'], ['page=2', 'page']] as const) {
      const res = await api(r.url, `/api/rooms/${id}/audit?${query}`, { token: room.tokens.host });
      expect(res.status, query).toBe(400);
      expect(res.json.error.field, query).toBe(field);
    }
  });

  it("undoes a named co-host's card over the socket, refuses a superseded undo and a co-host's undo, and logs the undo", async () => {
    const { room, id, productId } = await roomWithPear();
    const other = (await api(r.url, `/api/rooms/${id}/commands`, { token: room.tokens.host, body: { id: 'add-rice', type: 'product.add', product: { sku: 'RICE', name: '五常大米', priceMinor: 12800 } } })).json.result.productId as string;
    const invited = await api(r.url, `/api/rooms/${id}/people`, { token: room.tokens.host, body: { name: '王县长', role: 'cohost' } });
    const { socket: wang } = await connectClient(r.url, id, invited.json.token);
    const { socket: host } = await connectClient(r.url, id, room.tokens.host);
    expect(await send(wang, { id: 'show-pear', type: 'card.show', productId })).toMatchObject({ ok: true });
    // A co-host may not undo, not even their own command.
    expect(await send(wang, { id: 'u0', type: 'command.undo', commandId: 'show-pear' })).toMatchObject({ ok: false, error: { status: 403, reason: 'role' } });
    expect(await send(host, { id: 'u1', type: 'command.undo', commandId: 'show-pear' })).toMatchObject({ ok: true, duplicate: false });
    const state = (await api(r.url, `/api/rooms/${id}`, { token: room.tokens.host })).json;
    expect([state.currentProductId, state.cardVisible]).toEqual([null, false]);
    expect(await send(host, { id: 'u1', type: 'command.undo', commandId: 'show-pear' })).toMatchObject({ ok: true, duplicate: true });
    expect(await send(host, { id: 'u2', type: 'command.undo', commandId: 'show-pear' })).toMatchObject({ ok: false, error: { status: 409, reason: 'already_undone', field: 'commandId' } });

    // Superseded: the card changed again since.
    expect(await send(wang, { id: 'show-pear-2', type: 'card.show', productId })).toMatchObject({ ok: true });
    expect(await send(wang, { id: 'show-rice', type: 'card.show', productId: other })).toMatchObject({ ok: true });
    expect(await send(host, { id: 'u3', type: 'command.undo', commandId: 'show-pear-2' })).toMatchObject({ ok: false, error: { status: 409, reason: 'superseded', field: 'commandId' } });
    expect(await send(host, { id: 'u4', type: 'command.undo', commandId: 'add-rice' })).toMatchObject({ ok: false, error: { status: 400, reason: 'not_undoable' } });
    expect(await send(host, { id: 'u5', type: 'command.undo', commandId: 'never-sent' })).toMatchObject({ ok: false, error: { status: 404, reason: 'unknown_command' } });

    // A sale undone over HTTP is voided: the totals go back.
    const sale = await api(r.url, `/api/rooms/${id}/commands`, { token: room.tokens.host, body: { id: 'sale-9', type: 'sale.record', productId, quantity: 3 } });
    expect(sale.status).toBe(200);
    expect((await api(r.url, `/api/rooms/${id}/commands`, { token: room.tokens.host, body: { id: 'u6', type: 'command.undo', commandId: 'sale-9' } })).status).toBe(200);
    const after = (await api(r.url, `/api/rooms/${id}`, { token: room.tokens.host })).json;
    expect(after.totals).toEqual({ sold: 0, revenueMinor: 0, orders: 0, weightGrams: 0 });

    const log = (await api(r.url, `/api/rooms/${id}/audit`, { token: room.tokens.host })).json.entries as { commandId: string; type: string; by: { name?: string }; summary: Record<string, unknown>; undoneBy?: string; inverse?: unknown }[];
    const show = log.find((e) => e.commandId === 'show-pear')!;
    expect(show).toMatchObject({ by: { name: '王县长' }, summary: { name: '砀山酥梨' }, undoneBy: 'u1' });
    expect(log.find((e) => e.commandId === 'u1')).toMatchObject({ type: 'command.undo', by: { role: 'host' }, summary: { undone: 'show-pear' } });
    expect(log.find((e) => e.commandId === 'sale-9')?.undoneBy).toBe('u6');
    // The reversal record stays in the relay.
    expect(log.some((e) => 'inverse' in e)).toBe(false);
    wang.close();
    host.close();
  });

  it('survives a restart of the relay on the same database, and undoes after it', async () => {
    const dataDir = r.dataDir;
    const { room, id } = await roomWithPear();
    expect((await api(r.url, `/api/rooms/${id}/commands`, { token: room.tokens.host, body: { id: 'hide', type: 'card.hide' } })).status).toBe(200);
    const before = (await api(r.url, `/api/rooms/${id}/audit`, { token: room.tokens.host })).json.entries;
    await r.close({ keepData: true });
    r = await startRelay({ dataDir });
    const after = await api(r.url, `/api/rooms/${id}/audit`, { token: room.tokens.host });
    expect(after.json.entries).toEqual(before);
    expect(before.map((e: { type: string }) => e.type)).toEqual(['product.add', 'card.hide']);
    // What the undo reverses was read from the database, not from memory.
    expect((await api(r.url, `/api/rooms/${id}/commands`, { token: room.tokens.host, body: { id: 'undo-hide', type: 'command.undo', commandId: 'hide' } })).json).toMatchObject({ ok: true, duplicate: false });
    const entries = (await api(r.url, `/api/rooms/${id}/audit`, { token: room.tokens.host })).json.entries;
    expect(entries.map((e: { commandId: string; undoneBy?: string }) => [e.commandId, e.undoneBy ?? null])).toEqual([['add-pear', null], ['hide', 'undo-hide'], ['undo-hide', null]]);
  });
});
