/**
 * The extension end to end: real Chromium with the built extension (.output/chrome-mv3), a
 * real relay on a real port with SQLite, and a real socket.io client holding the overlay
 * token (what the overlay page in OBS does). Nothing is faked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomState } from '../../shared/domain';
import { api, connectClient, send, startRelay, waitForState, type CreatedRoom, type TestRelay, type TestSocket } from '../support/relay';
import { ARTIFACTS, launchWithExtension, ROOT, type ExtensionBrowser } from './extension-browser';

let relay: TestRelay;
let port: number;
let dataDir: string;
let room: CreatedRoom;
let host: ExtensionBrowser;
let panel: Page;
let overlay: TestSocket;

const POM = '永胜软籽石榴';

async function state(): Promise<RoomState> {
  return (await api(relay.url, `/api/rooms/${room.room.id}`, { token: room.tokens.overlay })).json as RoomState;
}
const product = (s: RoomState, name: string) => s.products.find((p) => p.name === name);

/** Polls the relay's public API until the condition holds (event-driven waits are used where a socket is at hand). */
async function until(cond: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition never held');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-e2e-ext-'));
  relay = await startRelay({ dataDir });
  port = Number(new URL(relay.url).port);
  room = await relay.createRoom({ title: '永胜石榴助农专场', currency: 'CNY', locale: 'zh-CN' });
  overlay = (await connectClient(relay.url, room.room.id, room.tokens.overlay)).socket;
  host = await launchWithExtension();
  panel = await host.openPanel();
});

afterAll(async () => {
  overlay?.close();
  await host?.close();
  await relay?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('host console in the side panel', () => {
  it('shows a clear message for a link that is not a pairing link', async () => {
    await panel.getByLabel('Pairing link').fill(room.links.overlay);
    await panel.getByRole('button', { name: 'Connect' }).click();
    await panel.getByRole('alert').filter({ hasText: 'not a pairing link' }).waitFor();
  });

  it('pairs as host with the pairing link', async () => {
    await panel.getByLabel('Pairing link').fill(room.links.host);
    await panel.getByRole('button', { name: 'Connect' }).click();
    await panel.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor();
    await panel.getByText('永胜石榴助农专场').first().waitFor();
    // The token is in extension storage, not in the page URL.
    expect(panel.url()).not.toContain(room.tokens.host);
  });

  it('adds a product with the form, with field-level errors first', async () => {
    await panel.getByRole('button', { name: 'Add product' }).click();
    const form = panel.getByRole('form', { name: 'Add product' });
    await form.getByLabel('Name').fill('洛川苹果礼盒');
    await form.getByLabel('SKU').fill('LC-GIFT');
    await form.getByLabel('Price', { exact: true }).fill('abc');
    await form.getByLabel('Stock (empty = unlimited)').fill('50');
    await form.getByRole('button', { name: 'Add product' }).click();
    await form.getByText('Type an amount like 59.90').waitFor();
    expect(await form.getByLabel('Price', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Price', { exact: true }).fill('59.90');
    await form.getByRole('button', { name: 'Add product' }).click();
    await panel.getByRole('button', { name: 'Show 洛川苹果礼盒', exact: true }).waitFor();
    expect(product(await state(), '洛川苹果礼盒')).toMatchObject({ sku: 'LC-GIFT', priceMinor: 5990, stock: 50 });
  });

  it('imports the sample CSV with a preview', async () => {
    await panel.getByRole('button', { name: 'Import CSV' }).click();
    await panel.getByLabel('CSV file').setInputFiles(join(ROOT, 'examples/catalog-sample.csv'));
    await panel.getByTestId('csv-summary').filter({ hasText: '9 products ready, 0 rows with errors' }).waitFor();
    await panel.getByRole('button', { name: 'Import 9 products' }).click();
    await panel.getByRole('button', { name: 'Show Miao mountain honey, "wild" 苗家野蜂蜜', exact: true }).waitFor();
    const s = await state();
    expect(s.products).toHaveLength(10);
    expect(product(s, POM)).toMatchObject({ sku: 'YS-POM-5KG', priceMinor: 5990, stock: 1600 });
    expect(product(s, '洛川红富士苹果')?.stock).toBeNull();
  });

  it('Show puts the product on air, and +1 reaches the overlay client', async () => {
    const shown = waitForState(overlay, (s) => s.cardVisible && product(s, POM)?.id === s.currentProductId);
    await panel.getByRole('button', { name: `Show ${POM}`, exact: true }).click();
    await shown;
    await panel.getByTestId('current-name').filter({ hasText: POM }).waitFor();
    const sold = waitForState(overlay, (s) => product(s, POM)?.sold === 1);
    await panel.getByRole('button', { name: `+1 ${POM}`, exact: true }).click();
    const s = await sold;
    expect(product(s, POM)).toMatchObject({ sold: 1, stock: 1599, revenueMinor: 5990 });
    await panel.getByTestId('total-units').filter({ hasText: /^1$/ }).waitFor();
  });

  it('keeps sales clicked while the relay is down and delivers them exactly once', async () => {
    overlay.close();
    await relay.close({ keepData: true });
    await panel.getByTestId('connection').filter({ hasText: 'Relay unreachable' }).waitFor();
    await panel.getByRole('button', { name: `+1 ${POM}`, exact: true }).click();
    await panel.getByRole('button', { name: `+1 ${POM}`, exact: true }).click();
    await panel.getByTestId('waiting').filter({ hasText: '2 waiting' }).waitFor();

    relay = await startRelay({ dataDir, port });
    await panel.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor({ timeout: 20_000 });
    await panel.getByTestId('waiting').waitFor({ state: 'detached', timeout: 20_000 });
    expect(product(await state(), POM)).toMatchObject({ sold: 3, stock: 1597 });
    overlay = (await connectClient(relay.url, room.room.id, room.tokens.overlay)).socket;
    // One more click after the outage is one more sale, not a replay of the queued ones.
    const four = waitForState(overlay, (s) => product(s, POM)?.sold === 4);
    await panel.getByRole('button', { name: `+1 ${POM}`, exact: true }).click();
    await four;
    expect((await state()).totals.sold).toBe(4);
  });

  it('delivers a sale queued just before Chrome stopped the service worker', async () => {
    overlay.close();
    await relay.close({ keepData: true });
    await panel.getByTestId('connection').filter({ hasText: 'Relay unreachable' }).waitFor();
    // The relay is down: read the count off the panel.
    const row = panel.locator('li.product', { has: panel.getByRole('button', { name: `Show ${POM}`, exact: true }) });
    const soldBefore = Number(await row.getByTestId('sold').textContent());
    await panel.getByRole('button', { name: `+1 ${POM}`, exact: true }).click();
    await panel.getByTestId('waiting').filter({ hasText: '1 waiting' }).waitFor();

    // Stop the worker the way Chrome does when it is idle: its globals (socket, memory) are gone.
    // A marker in the worker's globals tells the old instance from a restarted one.
    const worker = host.context.serviceWorkers()[0]!;
    await worker.evaluate(() => ((globalThis as { __beforeStop?: boolean }).__beforeStop = true));
    const cdp = await host.context.newCDPSession(panel);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await cdp.detach();

    relay = await startRelay({ dataDir, port });
    // Nothing but the extension's own wake-ups (the panel's port reconnecting, the alarm) brings it back.
    await panel.getByTestId('waiting').waitFor({ state: 'detached', timeout: 45_000 });
    await panel.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor({ timeout: 20_000 });
    expect(product(await state(), POM)?.sold).toBe(soldBefore + 1);
    const alive = host.context.serviceWorkers();
    expect(await Promise.all(alive.map((w) => w.evaluate(() => (globalThis as { __beforeStop?: boolean }).__beforeStop ?? false)))).toEqual([false]);
    overlay = (await connectClient(relay.url, room.room.id, room.tokens.overlay)).socket;
  });

  it('undoes the last sale', async () => {
    const four = waitForState(overlay, (s) => product(s, POM)?.sold === 4);
    await panel.getByRole('button', { name: 'Undo last sale' }).click();
    expect(product(await four, POM)?.stock).toBe(1596);
  });

  it('records a custom quantity, restocks, marks sold out and reorders by keyboard', async () => {
    const pear = '砀山酥梨';
    await panel.getByRole('button', { name: `Edit ${pear}`, exact: true }).click();
    await panel.getByLabel(`Quantity for ${pear}`).fill('3');
    await panel.getByRole('button', { name: `Record sale of ${pear}` }).click();
    await panel.getByLabel(`Restock ${pear}`).fill('10');
    await panel.getByRole('button', { name: 'Restock', exact: true }).click();
    await until(async () => product(await state(), pear)?.stock === 10);
    expect(product(await state(), pear)).toMatchObject({ sold: 3, stock: 10 });
    await panel.locator('.product-more').getByRole('button', { name: 'Mark sold out', exact: true }).click();
    await until(async () => product(await state(), pear)?.soldOut === true);
    await panel.locator('.product-more').getByRole('button', { name: 'Back on sale', exact: true }).click();
    await until(async () => product(await state(), pear)?.soldOut === false);
    const before = (await state()).products.findIndex((p) => p.name === pear);
    const row = panel.locator('li.product').filter({ has: panel.getByRole('button', { name: `Show ${pear}`, exact: true }) });
    await row.focus();
    await row.press('Alt+ArrowUp');
    await until(async () => (await state()).products.findIndex((p) => p.name === pear) === before - 1);
  });

  it('takes screenshots of the side panel in English and Chinese', async () => {
    await panel.getByRole('button', { name: 'Next' }).click();
    await panel.getByLabel('Ticker message').fill('下单备注“石榴”送 1 斤');
    await panel.getByRole('button', { name: 'Send' }).click();
    await panel.getByText('“下单备注“石榴”送 1 斤”').waitFor();
    await panel.getByLabel('Overlay link').fill(room.links.overlay);
    await panel.getByRole('button', { name: 'Save' }).click();
    // The live preview is the real overlay page: wait until it shows the current product.
    const now = await state();
    const current = now.products.find((p) => p.id === now.currentProductId)!;
    await panel.frameLocator('iframe').getByText(current.name).first().waitFor();
    await panel.getByRole('button', { name: 'Copy overlay URL' }).waitFor();
    await panel.screenshot({ path: join(ARTIFACTS, 'extension-sidepanel-en.png'), fullPage: true });
    await panel.getByLabel('Language').selectOption('zh-CN');
    await panel.getByRole('button', { name: `展示 ${POM}`, exact: true }).waitFor();
    await panel.screenshot({ path: join(ARTIFACTS, 'extension-sidepanel-zh-CN.png'), fullPage: true });
    await panel.getByLabel('语言').selectOption('en');
    await panel.getByRole('button', { name: `Show ${POM}`, exact: true }).waitFor();
  });

  it('reorders by drag and drop', async () => {
    const before = (await state()).products.map((p) => p.name);
    const rowOf = (name: string) => panel.locator('li.product').filter({ has: panel.getByRole('button', { name: `Show ${name}`, exact: true }) });
    await rowOf(before[2]!).dragTo(rowOf(before[0]!));
    await until(async () => (await state()).products[0]?.name === before[2]);
    await panel.locator('li.product').first().getByRole('button', { name: `Show ${before[2]}`, exact: true }).waitFor();
  });

  it('opens again from the in-page copy, which holds no token and no overlay link', async () => {
    // The panel rewrites the copy at most a second after a change (here: the overlay link saved above).
    await panel.waitForFunction(() => JSON.parse(localStorage.getItem('liveshelf:firstPaint') ?? 'null')?.rooms?.[0]?.hasOverlay === true, null, { timeout: 5000 });
    const copy = (await panel.evaluate(() => localStorage.getItem('liveshelf:firstPaint')))!;
    expect(copy).toContain(POM);
    for (const token of Object.values(room.tokens)) expect(copy).not.toContain(token);
    expect(copy).not.toContain('token=');
    const again = await host.openPanel();
    try {
      await again.waitForFunction(() => performance.getEntriesByName('liveshelf:rendered').length > 0);
      const from = await again.evaluate(() => ((performance.getEntriesByName('liveshelf:rendered')[0] as PerformanceMark).detail as { from: string }).from);
      expect(from).toBe('copy');
      await again.getByRole('button', { name: `+1 ${POM}`, exact: true }).waitFor();
      // Then storage: the overlay link (not in the copy) brings the live preview.
      const now = await state();
      await again.frameLocator('iframe').getByText(now.products.find((p) => p.id === now.currentProductId)!.name).first().waitFor();
    } finally {
      await again.close();
    }
  });
});

describe('co-host console in a second browser profile', () => {
  let cohost: ExtensionBrowser;
  let cpanel: Page;
  beforeAll(async () => {
    cohost = await launchWithExtension();
    cpanel = await cohost.openPanel();
  });
  afterAll(async () => cohost?.close());

  it('says clearly when the relay refuses the token', async () => {
    await cpanel.getByLabel('Pairing link').fill(room.links.cohost.replace(/token=[^&]+/, 'token=lsc_revoked'));
    await cpanel.getByRole('button', { name: 'Connect' }).click();
    await cpanel.locator('.pairing-error').filter({ hasText: 'The relay refused this token' }).waitFor();
  });

  it('pairs as co-host and has no sale, price, stock or edit controls', async () => {
    await cpanel.getByLabel('Pairing link').fill(room.links.cohost);
    await cpanel.getByRole('button', { name: 'Connect' }).click();
    await cpanel.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor();
    await cpanel.getByRole('button', { name: `Show ${POM}`, exact: true }).waitFor();
    expect(await cpanel.getByRole('button', { name: /^\+\d/ }).count()).toBe(0);
    for (const name of ['Add product', 'Import CSV', 'Undo last sale', `Edit ${POM}`, `Remove ${POM}`]) {
      expect(await cpanel.getByRole('button', { name }).count()).toBe(0);
    }
    expect(await cpanel.getByText('Co-host').count()).toBeGreaterThan(0);
    await cpanel.screenshot({ path: join(ARTIFACTS, 'extension-sidepanel-cohost-en.png'), fullPage: true });
  });

  it('shows a card and pushes a ticker line', async () => {
    const shown = waitForState(overlay, (s) => s.cardVisible && product(s, '砀山酥梨')?.id === s.currentProductId);
    await cpanel.getByRole('button', { name: 'Show 砀山酥梨', exact: true }).click();
    await shown;
    const ticker = waitForState(overlay, (s) => s.ticker.some((m) => m.text === '副播：酥梨今晚包邮'));
    await cpanel.getByLabel('Ticker message').fill('副播：酥梨今晚包邮');
    await cpanel.getByRole('button', { name: 'Send' }).click();
    await ticker;
    // The host panel follows what the co-host did.
    await panel.getByTestId('current-name').filter({ hasText: '砀山酥梨' }).waitFor();
  });

  it('is refused by the relay when it tries a sale or a price change anyway', async () => {
    const { socket } = await connectClient(relay.url, room.room.id, room.tokens.cohost);
    const pear = product(await state(), '砀山酥梨')!;
    const sale = await send(socket, { id: 'cohost-sale', type: 'sale.record', productId: pear.id });
    const price = await send(socket, { id: 'cohost-price', type: 'product.update', productId: pear.id, changes: { priceMinor: 1 } });
    socket.close();
    expect(sale).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(price).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // And the extension itself refuses to queue it for a co-host.
    const local = await cpanel.evaluate(
      ([roomKey, productId]) =>
        (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ type: 'command', roomKey, command: { id: 'cohost-ext-sale', type: 'sale.record', productId } }),
      [`${room.room.id}@127.0.0.1:${port}`, pear.id] as const,
    );
    expect(local).toMatchObject({ ok: false, problem: 'forbidden' });
    expect(product(await state(), '砀山酥梨')).toMatchObject({ sold: pear.sold, priceMinor: 3990 });
  });
});
