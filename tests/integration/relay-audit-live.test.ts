/**
 * The audit log live (issue 18): each committed command's entry reaches the room's host
 * connections over the socket ('audit.entries'), after the patch that the overlays get, and never
 * a co-host's or the overlay's connection. GET /people says who is connected now, never a token.
 * Revoking a person tells their open connections why ('session.ended') before closing them.
 */
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditBatch } from '../../shared/protocol.js';
import { PROTOCOL_VERSION } from '../../shared/protocol.js';
import { api, connectClient, send, startRelay, type TestRelay, type TestSocket } from '../support/relay.js';

let r: TestRelay;
beforeAll(async () => {
  r = await startRelay();
});
afterAll(async () => r.close());

/** A console's socket as the extension and the web console open it (patches: true), holding its first state. */
async function consoleSocket(room: string, token: string): Promise<TestSocket> {
  const socket: TestSocket = ioClient(r.url, { transports: ['websocket'], auth: { room, token, protocol: PROTOCOL_VERSION, patches: true }, reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('room.state', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

describe('the audit log, live', () => {
  it("sends each commit's entries to the host consoles only, after the patch, with the person's name", async () => {
    const room = await r.createRoom();
    const id = room.room.id;
    const add = await api(r.url, `/api/rooms/${id}/commands`, { token: room.tokens.host, body: { id: 'add-pear', type: 'product.add', product: { sku: 'DS-PEAR', name: '砀山酥梨', priceMinor: 3990, stock: 10 } } });
    const productId = add.json.result.productId as string;
    const invited = await api(r.url, `/api/rooms/${id}/people`, { token: room.tokens.host, body: { name: '王县长', role: 'cohost' } });
    const host = await consoleSocket(id, room.tokens.host);
    const hostPlain = (await connectClient(r.url, id, room.tokens.host)).socket;
    const cohost = await consoleSocket(id, invited.json.token);
    const overlay = await consoleSocket(id, room.tokens.overlay);
    const order: string[] = [];
    const batches: AuditBatch[] = [];
    const plainBatches: AuditBatch[] = [];
    const others: AuditBatch[] = [];
    host.on('room.patch', () => order.push('patch'));
    host.on('audit.entries', (b) => {
      order.push('audit');
      batches.push(b);
    });
    hostPlain.on('audit.entries', (b) => plainBatches.push(b));
    cohost.on('audit.entries', (b) => others.push(b));
    overlay.on('audit.entries', (b) => others.push(b));

    expect(await send(cohost, { id: 'show-1', type: 'card.show', productId })).toMatchObject({ ok: true });
    await new Promise((res) => setTimeout(res, 300));
    expect(order).toEqual(['patch', 'audit']);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.roomId).toBe(id);
    expect(batches[0]!.entries).toEqual([
      expect.objectContaining({ commandId: 'show-1', type: 'card.show', by: { role: 'cohost', personId: invited.json.person.id, name: '王县长' }, summary: { productId, name: '砀山酥梨' } }),
    ]);
    // The reversal record is the relay's own, as in GET /audit.
    expect(batches[0]!.entries[0]).not.toHaveProperty('inverse');
    // The same entry as the log's page.
    const page = await api(r.url, `/api/rooms/${id}/audit?after=${batches[0]!.entries[0]!.seq - 1}`, { token: room.tokens.host });
    expect(page.json.entries).toEqual(batches[0]!.entries);
    // A host connection without patches gets it too; a refusal sends nothing.
    expect(plainBatches).toEqual(batches);
    expect(await send(host, { id: 'undo-bad', type: 'command.undo', commandId: 'nothing' })).toMatchObject({ ok: false });
    expect(await send(host, { id: 'undo-1', type: 'command.undo', commandId: 'show-1' })).toMatchObject({ ok: true });
    await new Promise((res) => setTimeout(res, 300));
    expect(batches.map((b) => b.entries.map((e) => e.commandId))).toEqual([['show-1'], ['undo-1']]);
    expect(batches[1]!.entries[0]!.summary).toEqual({ undone: 'show-1' });
    expect(others).toEqual([]);
    for (const s of [host, hostPlain, cohost, overlay]) s.close();
  });

  it('lists who is connected now, and no token', async () => {
    const room = await r.createRoom();
    const id = room.room.id;
    const a = await api(r.url, `/api/rooms/${id}/people`, { token: room.tokens.host, body: { name: '王县长', role: 'cohost' } });
    const b = await api(r.url, `/api/rooms/${id}/people`, { token: room.tokens.host, body: { name: 'Léa', role: 'sales' } });
    const socket = await consoleSocket(id, a.json.token);
    const list = await api(r.url, `/api/rooms/${id}/people`, { token: room.tokens.host });
    expect(list.status).toBe(200);
    const byName = Object.fromEntries((list.json.people as { name: string; connected: boolean }[]).map((p) => [p.name, p.connected]));
    expect(byName).toEqual({ 王县长: true, Léa: false });
    expect(list.text).not.toContain(a.json.token);
    expect(list.text).not.toContain(b.json.token);
    socket.close();
    await new Promise((res) => setTimeout(res, 200));
    const after = await api(r.url, `/api/rooms/${id}/people`, { token: room.tokens.host });
    expect((after.json.people as { name: string; connected: boolean; lastSeenAt: number | null }[]).find((p) => p.name === '王县长')).toMatchObject({ connected: false, lastSeenAt: expect.any(Number) });
  });

  it("tells a revoked person's open connection why, then closes it", async () => {
    const room = await r.createRoom();
    const id = room.room.id;
    const a = await api(r.url, `/api/rooms/${id}/people`, { token: room.tokens.host, body: { name: '王县长', role: 'cohost' } });
    const socket = await consoleSocket(id, a.json.token);
    const events: string[] = [];
    socket.on('session.ended', (why) => events.push(`ended ${why.code}`));
    const closed = new Promise<void>((resolve) => socket.once('disconnect', (reason) => (events.push(`disconnect ${reason}`), resolve())));
    expect((await api(r.url, `/api/rooms/${id}/people/${a.json.person.id}`, { method: 'DELETE', token: room.tokens.host })).status).toBe(200);
    await closed;
    expect(events).toEqual(['ended unauthorized', 'disconnect io server disconnect']);
  });
});
