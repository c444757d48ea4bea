/**
 * The outbox under WXT's fakeBrowser (in-memory extension storage) against a REAL relay on
 * port 0, through the extension's own socket client (relay-connection.ts). Only the storage
 * is a stand-in: real chrome.storage runs in the e2e test.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Command } from '../../shared/commands';
import type { CommandReply, ErrorBody } from '../../shared/protocol';
import { Outbox, type CommandTransport } from '../../extension/common/outbox';
import { openRelayConnection, type RelayConnection } from '../../extension/common/relay-connection';
import { outboxItem, type OutboxEntry } from '../../extension/common/storage-items';
import { api, connectClient, send, startRelay, type CreatedRoom, type TestRelay } from '../support/relay';

let relay: TestRelay;
let room: CreatedRoom;
let productId: string;
const open: RelayConnection[] = [];

beforeAll(async () => {
  relay = await startRelay();
});
afterAll(async () => relay.close());

beforeEach(async () => {
  fakeBrowser.reset();
  room = await relay.createRoom();
  const { socket } = await connectClient(relay.url, room.room.id, room.tokens.host);
  const r = await send(socket, { id: 'seed', type: 'product.add', product: { sku: 'POM', name: '永胜软籽石榴', priceMinor: 5990, stock: 100 } });
  socket.close();
  if (!r.ok || !r.result.productId) throw new Error('seed failed');
  productId = r.result.productId;
});
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

/** Opens the extension's real connection and resolves once the relay welcomed it. */
function connect(): Promise<RelayConnection> {
  return new Promise((resolve, reject) => {
    const c = openRelayConnection({ relayUrl: relay.url, room: room.room.id, token: room.tokens.host }, {
      event: (e) => {
        if (e.type === 'online') resolve(c);
        if (e.type === 'refused') reject(new Error(e.detail));
      },
      state: () => {},
    });
    open.push(c);
  });
}

const sale = (id: string, quantity = 1): Command => ({ id, type: 'sale.record', productId, quantity });
const sold = async () => (await api(relay.url, `/api/rooms/${room.room.id}`, { token: room.tokens.overlay })).json.products[0].sold as number;

describe('outbox', () => {
  it('[O1] stores a command before anything is sent, and keeps it while offline', async () => {
    const outbox = new Outbox(outboxItem);
    const n = await outbox.enqueue('k', sale('s:1'));
    expect(n).toBe(1);
    const stored = (await fakeBrowser.storage.local.get('outbox')).outbox as OutboxEntry[];
    expect(stored.map((e) => e.id)).toEqual(['s:1']);
    expect(stored[0]?.command).toMatchObject({ type: 'sale.record', productId });
  });

  it('[O1] puts a click on the socket while its write is in flight, and reports it queued only once stored', async () => {
    // Fault injection around the fakeBrowser storage: the write waits until the test lets it land.
    let land!: () => void;
    const gate = new Promise<void>((r) => (land = r));
    const slowStore = {
      getValue: () => outboxItem.getValue(),
      setValue: async (v: OutboxEntry[]) => {
        await gate;
        await outboxItem.setValue(v);
      },
    };
    const outbox = new Outbox(slowStore);
    await outbox.attach('k', (await connect()).transport);
    let queued = false;
    const enqueued = outbox.enqueue('k', sale('s:early')).then(() => (queued = true));
    for (let i = 0; i < 200 && (await sold()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await sold()).toBe(1);
    expect(queued).toBe(false);
    expect(await outboxItem.getValue()).toEqual([]);
    land();
    await enqueued;
    await outbox.flush();
    // The add landed first, the removal after the ack last.
    expect(await outboxItem.getValue()).toEqual([]);
    expect(await sold()).toBe(1);
  });

  it('[O2] resends what was queued before a worker restart, once the relay is reachable', async () => {
    const before = new Outbox(outboxItem);
    await before.enqueue('k', sale('s:a'));
    await before.enqueue('k', sale('s:b', 2));
    // A new worker: a fresh Outbox over the same storage.
    const acked: string[] = [];
    const after = new Outbox(outboxItem, { onAcked: (e) => acked.push(e.id) });
    const conn = await connect();
    await after.attach('k', conn.transport);
    expect(acked.sort()).toEqual(['s:a', 's:b']);
    expect(await outboxItem.getValue()).toEqual([]);
    expect(await sold()).toBe(3);
  });

  it('[O3] counts a sale once when the ack was lost and the command is resent', async () => {
    const conn = await connect();
    let dropNextReply = true;
    // Fault injection around the real socket: the relay applies the sale, the answer is lost.
    const lossy: CommandTransport = {
      get connected() {
        return conn.transport.connected;
      },
      async send(c) {
        const reply = await conn.transport.send(c);
        if (dropNextReply) {
          dropNextReply = false;
          throw new Error('ack lost');
        }
        return reply;
      },
    };
    const replies: CommandReply[] = [];
    const outbox = new Outbox(outboxItem, { onAcked: (_e, r) => replies.push(r) });
    await outbox.attach('k', lossy);
    await outbox.enqueue('k', sale('s:once'));
    await outbox.flush();
    expect((await outbox.pending('k')).map((e) => e.id)).toEqual(['s:once']);
    expect(await sold()).toBe(1);
    await outbox.flush(); // the resend
    expect(await outbox.pending('k')).toEqual([]);
    expect(replies).toEqual([expect.objectContaining({ ok: true, duplicate: true })]);
    expect(await sold()).toBe(1);
  });

  it('drops a command the relay refuses for good and reports why', async () => {
    const refused: ErrorBody[] = [];
    const outbox = new Outbox(outboxItem, { onRefused: (_e, err) => refused.push(err) });
    await outbox.attach('k', (await connect()).transport);
    await outbox.enqueue('k', { id: 's:big', type: 'sale.record', productId, quantity: 1000 });
    await outbox.flush();
    expect(await outbox.pending()).toEqual([]);
    expect(refused).toEqual([expect.objectContaining({ code: 'conflict', reason: 'out_of_stock' })]);
  });

  it('keeps a command the relay could not take yet (rate limited) for a later retry', async () => {
    const limited: CommandTransport = { connected: true, send: async () => ({ ok: false, error: { code: 'rate_limited', status: 429, message: 'slow down' } }) };
    const outbox = new Outbox(outboxItem);
    await outbox.attach('k', limited);
    await outbox.enqueue('k', sale('s:later'));
    await outbox.flush();
    expect((await outbox.pending()).map((e) => e.id)).toEqual(['s:later']);
  });

  it('loses no entry when many clicks arrive at once, and stores a repeated id once', async () => {
    const outbox = new Outbox(outboxItem);
    await Promise.all(Array.from({ length: 25 }, (_, i) => outbox.enqueue('k', sale(`s:${i}`))));
    await outbox.enqueue('k', sale('s:3'));
    const ids = (await outbox.pending('k')).map((e) => e.id);
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
  });

  it('sends only the entries of the room it is attached to', async () => {
    const outbox = new Outbox(outboxItem);
    await outbox.enqueue('other-room', sale('s:other'));
    await outbox.enqueue('k', sale('s:mine'));
    await outbox.attach('k', (await connect()).transport);
    await outbox.flush();
    expect((await outbox.pending()).map((e) => e.id)).toEqual(['s:other']);
    expect(await sold()).toBe(1);
  });
});
