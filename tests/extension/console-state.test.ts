import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { emptyRoom, type Product, type RoomState } from '../../shared/domain';
import { createConsoleState, shareUnchanged, type ConsoleEnv } from '../../extension/ui/console-state';
import { parsePush, type ConsolePush, type StatePush } from '../../extension/common/console-port';
import { diffRoom } from '../../shared/room-patch';
import { activeRoomItem, roomsItem, setCachedState } from '../../extension/common/storage-items';

const product = (id: string, sold = 0): Product => ({
  id, sku: id, name: id, priceMinor: 100, originalPriceMinor: null, unit: '', stock: null, imageUrl: null,
  origin: '', tagline: '', obsScene: null, netWeightGrams: null, grade: '', harvestDate: null, producer: '', traceUrl: null, sold, revenueMinor: sold * 100, soldOutManual: false, soldOut: false, presale: null,
});
const room = (products: Product[], version: number): RoomState => ({ ...emptyRoom('r', { title: 't', currency: 'CNY', locale: 'zh-CN' }, 0), products, version });

describe('console state', () => {
  it('keeps the objects of unchanged products so only the changed row renders', () => {
    const prev = room([product('a'), product('b'), product('c')], 1);
    // A state from the worker is a fresh copy (structured clone): equal values, new objects.
    const next = room(JSON.parse(JSON.stringify([product('a'), product('b', 1), product('c')])), 2);
    const shared = shareUnchanged(prev, next);
    expect(shared.products[0]).toBe(prev.products[0]);
    expect(shared.products[1]).not.toBe(prev.products[1]);
    expect(shared.products[1]).toMatchObject({ sold: 1 });
    expect(shared.products[2]).toBe(prev.products[2]);
    expect(shared.version).toBe(2);
  });

  it('keeps the very same list when nothing in the queue changed', () => {
    const prev = room([product('a'), product('b')], 1);
    const next = room(JSON.parse(JSON.stringify(prev.products)), 2);
    expect(shareUnchanged(prev, next).products).toBe(prev.products);
  });

  it('follows a reorder', () => {
    const prev = room([product('a'), product('b')], 1);
    const next = room(JSON.parse(JSON.stringify([product('b'), product('a')])), 2);
    const shared = shareUnchanged(prev, next);
    expect(shared.products.map((p) => p.id)).toEqual(['b', 'a']);
    expect(shared.products[0]).toBe(prev.products[1]);
  });

  it('renders the cached state, and a push of the version it shows changes nothing (no re-render of the queue)', async () => {
    fakeBrowser.reset();
    const key = 'r@127.0.0.1:4600';
    await roomsItem.setValue([{ key, relayUrl: 'http://127.0.0.1:4600', room: 'r', role: 'host', token: 'lsh_x', overlayUrl: null, title: 't', pairedAt: 0 }]);
    await activeRoomItem.setValue(key);
    await setCachedState(key, room([product('a'), product('b')], 5));
    // The worker's side of the port, driven by the test (fakeBrowser has no runtime ports).
    let push: ((p: StatePush) => void) | undefined;
    const env: ConsoleEnv = {
      send: async () => ({ ok: true }),
      preferredLanguages: ['en'],
      follow: (onPush) => {
        push = onPush as (p: StatePush) => void;
        return () => {};
      },
    };
    const s = createConsoleState(env);
    const stop = await s.load();
    const shown = s.room.value;
    expect(shown?.version).toBe(5);
    push?.({ type: 'room.state', roomKey: key, state: JSON.parse(JSON.stringify(shown)) as RoomState });
    expect(s.room.value).toBe(shown);
    push?.({ type: 'room.state', roomKey: key, state: room([product('a', 1), product('b')], 6) });
    expect(s.room.value?.version).toBe(6);
    expect(s.room.value?.products[1]).toBe(shown?.products[1]);
    stop();
  });

  it('applies the worker patches to the state it shows; one computed from another state makes it ask for the whole state', async () => {
    fakeBrowser.reset();
    const key = 'r@127.0.0.1:4600';
    await roomsItem.setValue([{ key, relayUrl: 'http://127.0.0.1:4600', room: 'r', role: 'host', token: 'lsh_x', overlayUrl: null, title: 't', pairedAt: 0 }]);
    await activeRoomItem.setValue(key);
    const v5 = room([product('a'), product('b')], 5);
    await setCachedState(key, v5);
    let push: ((p: ConsolePush, resync: () => void) => void) | undefined;
    let resyncs = 0;
    const env: ConsoleEnv = {
      send: async () => ({ ok: true }),
      preferredLanguages: ['en'],
      follow: (onPush) => {
        push = onPush;
        return () => {};
      },
    };
    const s = createConsoleState(env);
    const stop = await s.load();
    const shown = s.room.value!;
    // What the worker sends goes through JSON on the port: parse it like the page does.
    const send = (p: ConsolePush) => push?.(parsePush(JSON.parse(JSON.stringify(p)))!, () => resyncs++);
    const v6 = { ...v5, version: 6, products: [v5.products[0]!, product('b', 1)] };
    send({ type: 'room.patch', roomKey: key, patch: diffRoom(v5, v6) });
    expect(s.room.value?.version).toBe(6);
    expect(s.room.value?.products[1]?.sold).toBe(1);
    expect(s.room.value?.products[0]).toBe(shown.products[0]); // the unchanged row keeps its object
    // The same patch again (a version shown already) is dropped.
    send({ type: 'room.patch', roomKey: key, patch: diffRoom(v5, v6) });
    expect(s.room.value?.version).toBe(6);
    expect(resyncs).toBe(0);
    // A patch from version 7 (this page missed it): nothing applied, the whole state is asked for.
    const v7 = { ...v6, version: 7 };
    const v8 = { ...v7, version: 8, products: [product('a', 2), v7.products[1]!] };
    send({ type: 'room.patch', roomKey: key, patch: diffRoom(v7, v8) });
    expect(s.room.value?.version).toBe(6);
    expect(resyncs).toBe(1);
    send({ type: 'room.state', roomKey: key, state: v8 } satisfies StatePush);
    expect(s.room.value?.version).toBe(8);
    expect(s.room.value?.products[0]?.sold).toBe(2);
    stop();
  });

  it('refuses a malformed patch push', () => {
    expect(parsePush({ type: 'room.patch', roomKey: 'k', patch: { id: 'r', baseVersion: 1 } })).toBeNull();
    expect(parsePush({ type: 'room.patch', roomKey: 'k', patch: { id: 'r', baseVersion: 1, version: 2, products: { upsert: [{ name: 'x' }] } } })).toBeNull();
    expect(parsePush({ type: 'room.patch', roomKey: 'k', patch: { id: 'r', baseVersion: 1, version: 2, products: { upsert: [], order: [1] } } })).toBeNull();
    expect(parsePush({ type: 'room.patch', roomKey: 'k', patch: { id: 'r', baseVersion: 1, version: 2, totals: null } })).toBeNull();
    expect(parsePush({ type: 'room.patch', roomKey: 'k', patch: { id: 'r', baseVersion: 1, version: 2, cardVisible: true } })).not.toBeNull();
  });
});
