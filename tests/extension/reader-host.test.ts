/**
 * The worker's half of the seller-page reader (extension/worker/reader-host.ts) under WXT's
 * fakeBrowser, against a REAL relay on port 0: a content script's totals become sale.observe
 * commands through the outbox, and what a page may send is limited to its own tab and origin.
 * fakeBrowser stands in for the extension APIs (the real ones, with the content script, run in
 * tests/e2e/extension-reader.test.ts).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { RoomState } from '../../shared/domain';
import { readerBindingsItem, readerPickItem, type ReaderBinding } from '../../extension/common/reader-items';
import { outboxItem, roomKeyOf } from '../../extension/common/storage-items';
import { createBackground } from '../../extension/worker/background-main';
import { api, connectClient, send, startRelay, type CreatedRoom, type TestRelay } from '../support/relay';

const ORIGIN = 'https://buyin.jinritemai.com';
const fromShop = { url: `${ORIGIN}/dashboard/live/control`, tab: { id: 7 } } as never;
const fromElsewhere = { url: 'https://evil.example/page', tab: { id: 9 } } as never;

let relay: TestRelay;
let room: CreatedRoom;
let bg: ReturnType<typeof createBackground>;
let productId: string;

async function state(): Promise<RoomState> {
  return (await api(relay.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host })).json as RoomState;
}
async function until(cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition never held');
}
const drained = () => until(async () => (await outboxItem.getValue()).length === 0);

beforeAll(async () => {
  relay = await startRelay();
});
afterAll(async () => relay.close());
beforeEach(async () => {
  fakeBrowser.reset();
  room = await relay.createRoom({ title: '砀山梨专场' });
  const { socket } = await connectClient(relay.url, room.room.id, room.tokens.host);
  const r = await send(socket, { id: 'seed', type: 'product.add', product: { sku: 'PEAR', name: '砀山酥梨', priceMinor: 3990, stock: 10 } });
  socket.close();
  if (!r.ok || !r.result.productId) throw new Error('seed failed');
  productId = r.result.productId;
  bg = createBackground();
  expect(await bg.handleMessage({ type: 'pair', link: room.links.host })).toMatchObject({ ok: true });
  // A binding as reader.bind leaves it, before its first total went out.
  const binding: ReaderBinding = { id: 'bind:1', roomKey: roomKeyOf(relay.url, room.room.id), origin: ORIGIN, productId, locator: { css: 'html > body > b', row: null }, lastText: '', lastTotal: -1, lastExact: true, lastAt: 0 };
  await readerBindingsItem.setValue([binding]);
});
afterEach(() => bg.stop());

describe('the reader in the worker', () => {
  it('turns the totals a page reads into sale.observe: the first is the baseline, the growth is counted once', async () => {
    expect(await bg.handleMessage({ type: 'reader.total', bindingId: 'bind:1', total: 3210, exact: true, text: '已售 3,210 件' }, fromShop)).toMatchObject({ ok: true });
    await bg.handleMessage({ type: 'reader.total', bindingId: 'bind:1', total: 3214, exact: true, text: '已售 3,214 件' }, fromShop);
    await drained();
    const s = await state();
    expect(s.products[0]).toMatchObject({ sold: 4, stock: 6 });
    expect(s.observed).toEqual([expect.objectContaining({ source: 'page:buyin.jinritemai.com', productId, total: 3214 })]);
    expect(await readerBindingsItem.getValue()).toEqual([expect.objectContaining({ lastTotal: 3214, lastText: '已售 3,214 件' })]);
  });

  it('sends nothing for a total it already sent (a reload reads the same number)', async () => {
    await bg.handleMessage({ type: 'reader.total', bindingId: 'bind:1', total: 3210, exact: true, text: '已售 3,210 件' }, fromShop);
    await drained();
    const version = (await state()).version;
    expect(await bg.handleMessage({ type: 'reader.total', bindingId: 'bind:1', total: 3210, exact: true, text: '已售3210件' }, fromShop)).toEqual({ ok: true });
    expect(await outboxItem.getValue()).toEqual([]);
    expect((await state()).version).toBe(version);
  });

  it('refuses a total for a binding of another site, and any request a page may not send', async () => {
    expect(await bg.handleMessage({ type: 'reader.total', bindingId: 'bind:1', total: 9999, exact: true, text: '9999' }, fromElsewhere)).toMatchObject({ ok: false, problem: 'forbidden' });
    const command = { type: 'command', roomKey: roomKeyOf(relay.url, room.room.id), command: { id: 'evil-1', type: 'sale.record', productId, quantity: 5 } };
    expect(await bg.handleMessage(command, fromShop)).toMatchObject({ ok: false, problem: 'forbidden' });
    expect(await bg.handleMessage({ type: 'reader.bind', productId }, fromShop)).toMatchObject({ ok: false, problem: 'forbidden' });
    expect(await outboxItem.getValue()).toEqual([]);
    expect((await state()).totals.sold).toBe(0);
  });

  it('takes a pick only from the tab the pick was started in', async () => {
    await readerPickItem.setValue({ roomKey: roomKeyOf(relay.url, room.room.id), tabId: 7, origin: ORIGIN, picked: null });
    const picked = { type: 'reader.picked', locator: { css: 'html > body > b', row: null }, text: '1.2万', total: 12_000, exact: false };
    expect(await bg.handleMessage(picked, { url: `${ORIGIN}/other`, tab: { id: 8 } } as never)).toMatchObject({ ok: false, problem: 'forbidden' });
    expect((await readerPickItem.getValue())?.picked).toBeNull();
    expect(await bg.handleMessage(picked, fromShop)).toEqual({ ok: true });
    expect((await readerPickItem.getValue())?.picked).toEqual({ locator: picked.locator, text: '1.2万', total: 12_000, exact: false });
  });

  it('removing a binding makes the room forget it (sale.unobserve) and drops the site\'s registration', async () => {
    // fakeBrowser has no scripting registry: a stand-in that holds the one registration of the site.
    const registered = [{ id: 'liveshelf-reader-buyin.jinritemai.com', matches: ['https://buyin.jinritemai.com/*'], js: ['content-scripts/reader.js'] }];
    vi.spyOn(fakeBrowser.scripting, 'getRegisteredContentScripts').mockImplementation(async () => registered);
    const unregister = vi.spyOn(fakeBrowser.scripting, 'unregisterContentScripts').mockImplementation(async () => undefined);
    await bg.handleMessage({ type: 'reader.total', bindingId: 'bind:1', total: 5, exact: true, text: '5' }, fromShop);
    await drained();
    expect((await state()).observed).toHaveLength(1);
    expect(await bg.handleMessage({ type: 'reader.remove', bindingId: 'bind:1' })).toMatchObject({ ok: true });
    await drained();
    expect((await state()).observed).toEqual([]);
    expect(await readerBindingsItem.getValue()).toEqual([]);
    expect(unregister).toHaveBeenCalledWith({ ids: ['liveshelf-reader-buyin.jinritemai.com'] });
  });
});
