import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectClient, send, startRelay, type TestRelay } from '../support/relay.js';

let r: TestRelay;
beforeAll(async () => {
  r = await startRelay();
});
afterAll(async () => r.close());

describe('relay smoke', () => {
  it('creates a room, adds a product, records a sale and broadcasts it', async () => {
    const room = await r.createRoom();
    const { socket } = await connectClient(r.url, room.room.id, room.tokens.host);
    const add = await send(socket, { id: 'c1', type: 'product.add', product: { sku: 'A', name: '石榴', priceMinor: 5990, stock: 3 } });
    expect(add).toMatchObject({ ok: true, version: 1, duplicate: false });
    const productId = add.ok ? add.result.productId : '';
    const sale = await send(socket, { id: 's1', type: 'sale.record', productId, quantity: 2 });
    expect(sale).toMatchObject({ ok: true, version: 2 });
    const got = await api(r.url, `/api/rooms/${room.room.id}`, { token: room.tokens.overlay });
    expect(got.json.products[0]).toMatchObject({ sold: 2, stock: 1, revenueMinor: 11980 });
    socket.close();
  });
});
