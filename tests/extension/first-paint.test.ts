/**
 * The side panel's first-paint copy (extension/ui/first-paint.ts): it paints the first frame
 * synchronously, storage replaces it as soon as it is read (whatever the copy's room or
 * version), a click on the copy waits for storage, and the copy never holds a secret.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { emptyRoom, type Product, type RoomState } from '../../shared/domain';
import { createConsoleState, type ConsoleEnv } from '../../extension/ui/console-state';
import { copyHeader, FIRST_PAINT_HEADER_KEY, FIRST_PAINT_KEY, makeCopy, readCopy, writeCopy, type SyncStore } from '../../extension/ui/first-paint';
import type { Request } from '../../extension/common/messages';
import { activeRoomItem, obsSettingsItem, roomsItem, setCachedState, settingsItem, type SavedRoom } from '../../extension/common/storage-items';

const product = (id: string, sold = 0): Product => ({
  id, sku: id, name: `name-${id}`, priceMinor: 100, originalPriceMinor: null, unit: '', stock: null, imageUrl: null,
  origin: '', tagline: '', obsScene: null, netWeightGrams: null, grade: '', harvestDate: null, producer: '', traceUrl: null, sold, revenueMinor: sold * 100, soldOutManual: false, soldOut: false, presale: null,
});
const stateOf = (id: string, products: Product[], version: number): RoomState => ({ ...emptyRoom(id, { title: `title-${id}`, currency: 'CNY', locale: 'zh-CN' }, 0), products, version });

const K1 = 'r1@127.0.0.1:4600';
const K2 = 'r2@127.0.0.1:4600';
const saved = (key: string, room: string, extra: Partial<SavedRoom> = {}): SavedRoom => ({
  key, relayUrl: 'http://127.0.0.1:4600', room, role: 'host', token: `lsh_SECRET_${room}`,
  overlayUrl: `http://127.0.0.1:4600/overlay/?room=${room}&token=lso_SECRET_${room}`, title: `title-${room}`, pairedAt: 1, ...extra,
});

function mapStore(): SyncStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

function env(store: SyncStore, sent: Request[] = []): ConsoleEnv {
  return { send: async (r) => (sent.push(r), { ok: true }), preferredLanguages: ['en'], follow: () => () => {}, firstPaint: store };
}

beforeEach(() => fakeBrowser.reset());

describe('first-paint copy', () => {
  it('paints from the copy before the first await, then shows what storage holds', async () => {
    const store = mapStore();
    await roomsItem.setValue([saved(K1, 'r1')]);
    await activeRoomItem.setValue(K1);
    await setCachedState(K1, stateOf('r1', [product('a', 3), product('b')], 7));
    writeCopy(store, makeCopy(K1, [saved(K1, 'r1')], 'en', stateOf('r1', [product('a', 1), product('b')], 5)));

    const s = createConsoleState(env(store));
    const loading = s.load();
    // Synchronously: the copy's state, and storage not read yet.
    expect(s.loaded.value).toBe(true);
    expect(s.synced.value).toBe(false);
    expect(s.room.value?.version).toBe(5);
    expect(s.isHost.value).toBe(true);
    expect(s.hasOverlay.value).toBe(true);
    expect(s.activeRoom.value?.overlayUrl).toBeNull(); // the link (overlay token) is not in the copy
    const fromCopyB = s.room.value?.products[1];
    const stop = await loading;
    // The copy is older than storage: storage's version replaces it; the unchanged product keeps its object.
    expect(s.synced.value).toBe(true);
    expect(s.room.value?.version).toBe(7);
    expect(s.room.value?.products[0]?.sold).toBe(3);
    expect(s.room.value?.products[1]).toBe(fromCopyB);
    expect(s.activeRoom.value?.overlayUrl).toContain('lso_SECRET_r1');
    stop();
    // The page rewrote the copy from storage's state.
    expect(readCopy(store)?.state.version).toBe(7);
  });

  it('a copy of the same version is the same state: nothing is replaced (no re-render)', async () => {
    const store = mapStore();
    await roomsItem.setValue([saved(K1, 'r1')]);
    await activeRoomItem.setValue(K1);
    await setCachedState(K1, stateOf('r1', [product('a')], 4));
    writeCopy(store, makeCopy(K1, [saved(K1, 'r1')], 'en', stateOf('r1', [product('a')], 4)));
    const s = createConsoleState(env(store));
    const loading = s.load();
    const shown = s.room.value;
    (await loading)();
    expect(s.room.value).toBe(shown);
  });

  it('a copy newer than storage still gives way to storage (storage is the source of truth)', async () => {
    const store = mapStore();
    await roomsItem.setValue([saved(K1, 'r1')]);
    await activeRoomItem.setValue(K1);
    await setCachedState(K1, stateOf('r1', [product('a')], 3));
    writeCopy(store, makeCopy(K1, [saved(K1, 'r1')], 'en', stateOf('r1', [product('a', 9)], 9)));
    const s = createConsoleState(env(store));
    (await s.load())();
    expect(s.room.value?.version).toBe(3);
    expect(s.room.value?.products[0]?.sold).toBe(0);
  });

  it('a copy of another room is dropped once storage names the active room, and a click on it is refused', async () => {
    const store = mapStore();
    const sent: Request[] = [];
    await roomsItem.setValue([saved(K1, 'r1'), saved(K2, 'r2')]);
    await activeRoomItem.setValue(K2);
    await setCachedState(K1, stateOf('r1', [product('a')], 8));
    await setCachedState(K2, stateOf('r2', [product('x')], 2));
    writeCopy(store, makeCopy(K1, [saved(K1, 'r1'), saved(K2, 'r2')], 'en', stateOf('r1', [product('a')], 8)));

    const s = createConsoleState(env(store, sent));
    const loading = s.load();
    expect(s.activeKey.value).toBe(K1);
    // The host clicks +1 on the copy's room before storage answered.
    const click = s.command({ type: 'sale.record', productId: 'a', quantity: 1 });
    const stop = await loading;
    expect(await click).toMatchObject({ ok: false, problem: 'no_room' });
    expect(sent.filter((r) => r.type === 'command')).toEqual([]);
    expect(s.activeKey.value).toBe(K2);
    expect(s.room.value?.id).toBe('r2');
    expect(s.room.value?.products.map((p) => p.id)).toEqual(['x']);
    // The other room's copy is gone at once; the page writes the active room's.
    expect(readCopy(store)?.roomKey ?? null).not.toBe(K1);
    stop();
    expect(readCopy(store)).toMatchObject({ roomKey: K2, state: { id: 'r2', version: 2 } });
  });

  it('a click on the copy of the active room waits for storage, then goes out with its click-time id', async () => {
    const store = mapStore();
    const sent: Request[] = [];
    await roomsItem.setValue([saved(K1, 'r1')]);
    await activeRoomItem.setValue(K1);
    await setCachedState(K1, stateOf('r1', [product('a')], 1));
    writeCopy(store, makeCopy(K1, [saved(K1, 'r1')], 'en', stateOf('r1', [product('a')], 1)));
    const s = createConsoleState(env(store, sent));
    const loading = s.load();
    const click = s.command({ type: 'sale.record', productId: 'a', quantity: 1 });
    expect(sent.filter((r) => r.type === 'command')).toEqual([]); // not before storage confirmed the room
    const stop = await loading;
    await click;
    expect(sent.filter((r) => r.type === 'command')).toMatchObject([{ type: 'command', roomKey: K1, command: { type: 'sale.record', productId: 'a' } }]);
    stop();
  });

  it('holds no token, no overlay link, no OBS password, no user info of the relay address', async () => {
    const store = mapStore();
    await roomsItem.setValue([saved(K1, 'r1', { relayUrl: 'http://user:pw-SECRET@127.0.0.1:4600' }), saved(K2, 'r2')]);
    await activeRoomItem.setValue(K1);
    await obsSettingsItem.setValue({ url: 'ws://127.0.0.1:4455', password: 'obs-SECRET' });
    await settingsItem.setValue({ locale: 'fr' });
    await setCachedState(K1, stateOf('r1', [product('a'), product('b')], 3));
    const s = createConsoleState(env(store));
    (await s.load())(); // stop() writes the copy now (as on pagehide)
    const text = store.map.get(FIRST_PAINT_KEY) ?? '';
    expect(text).toContain('name-a');
    expect(text).not.toMatch(/SECRET|lsh_|lso_|token|password|pw/i);
    expect(readCopy(store)).toMatchObject({ roomKey: K1, locale: 'fr', rooms: [{ key: K1, relayUrl: 'http://127.0.0.1:4600', hasOverlay: true }, { key: K2 }] });
    // The page's own view of the rooms does not hold the tokens either.
    expect(JSON.stringify(s.rooms.value)).not.toContain('lsh_');
  });

  it('is removed when the active room changes or none is left', async () => {
    const store = mapStore();
    await roomsItem.setValue([saved(K1, 'r1'), saved(K2, 'r2')]);
    await activeRoomItem.setValue(K1);
    await setCachedState(K1, stateOf('r1', [product('a')], 1));
    const s = createConsoleState(env(store));
    const stop = await s.load();
    await activeRoomItem.setValue(K2);
    await new Promise((r) => setTimeout(r, 0));
    expect(readCopy(store)?.roomKey).not.toBe(K1);
    await activeRoomItem.setValue(null);
    await new Promise((r) => setTimeout(r, 0));
    stop();
    expect(store.map.has(FIRST_PAINT_KEY)).toBe(false);
  });

  it('tells the page when the copy was written (its header, for the HTML snapshot) and when it was removed', async () => {
    const store = mapStore();
    const saves: (string | null)[] = [];
    await roomsItem.setValue([saved(K1, 'r1'), saved(K2, 'r2')]);
    await activeRoomItem.setValue(K1);
    await setCachedState(K1, stateOf('r1', [product('a')], 1));
    const s = createConsoleState({ ...env(store), onCopySaved: (h) => saves.push(h) });
    const stop = await s.load();
    await activeRoomItem.setValue(null);
    await new Promise((r) => setTimeout(r, 0));
    stop();
    // Removed with the copy, so no snapshot outlives the room it was taken in.
    expect(saves.at(-1)).toBeNull();
    expect(store.map.has(FIRST_PAINT_HEADER_KEY)).toBe(false);
    await activeRoomItem.setValue(K1);
    const s2 = createConsoleState({ ...env(store), onCopySaved: (h) => saves.push(h) });
    (await s2.load())();
    expect(saves.at(-1)).toBe(copyHeader({ roomKey: K1, locale: 'auto' }));
    expect(store.map.get(FIRST_PAINT_HEADER_KEY)).toBe(saves.at(-1));
  });

  it('ignores a copy of another format, a malformed one, or one whose room is not among its rooms', () => {
    const store = mapStore();
    const good = makeCopy(K1, [saved(K1, 'r1')], 'en', stateOf('r1', [product('a')], 1));
    for (const bad of [{ ...good, format: 2 }, { ...good, state: { ...good.state, products: null } }, { ...good, roomKey: K2 }, { ...good, rooms: [{ key: K1 }] }]) {
      store.setItem(FIRST_PAINT_KEY, JSON.stringify(bad));
      expect(readCopy(store)).toBeNull();
    }
    store.setItem(FIRST_PAINT_KEY, '{not json');
    expect(readCopy(store)).toBeNull();
    store.setItem(FIRST_PAINT_KEY, JSON.stringify(good));
    expect(readCopy(store)?.roomKey).toBe(K1);
  });
});
