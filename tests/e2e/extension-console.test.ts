/**
 * The extension end to end: real Chromium with the built extension (.output/chrome-mv3), a
 * real relay on a real port with SQLite, and a real socket.io client holding the overlay
 * token (what the overlay page in OBS does). Nothing is faked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomState } from '../../shared/domain';
import { formatMoney } from '../../shared/money';
import { api, connectClient, send, startRelay, waitForState, type CreatedRoom, type TestRelay, type TestSocket } from '../support/relay';
import { ARTIFACTS, askWorker, launchWithExtension, pairAsCohost, pairAsHost, ROOT, roomKey, submitPairingLink, type ExtensionBrowser } from './extension-browser';
import { dayText } from '../../extension/ui/day-text';

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

/**
 * Waits until the extension has the relay's answer to every command it sent: its outbox (in
 * extension storage) is empty. The relay broadcasts a change once it is committed and answers
 * the sender only after the fsync, so the overlay (or the panel's counters) can show a sale
 * whose answer is still on its way; stopping the relay then cuts that answer off, and the sale,
 * counted, stays rightly queued until its resend is recognised as a duplicate.
 */
async function outboxDrained(): Promise<void> {
  await until(() =>
    panel.evaluate(async () => {
      const { chrome } = globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown[] | undefined>> } } } };
      return ((await chrome.storage.local.get('outbox'))['outbox'] ?? []).length === 0;
    }),
  );
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
    await submitPairingLink(panel, room.links.overlay);
    await panel.getByRole('alert').filter({ hasText: 'not a pairing link' }).waitFor();
  });

  it('pairs as host with the pairing link', async () => {
    await pairAsHost(panel, room);
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
    await outboxDrained(); // the +1 of the test before: its answer, not only its broadcast
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
    await outboxDrained(); // the last +1 of the test before
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

  it('sets a presale in the opened row, shows the quota left as presale sales come in, and ends it (#17)', async () => {
    const pear = '砀山酥梨';
    // The ship date in the panel's language (en here), the year only when it is not this one.
    const presaleDay = dayText('2026-09-20', 'en');
    const row = panel.locator('li.product').filter({ has: panel.getByRole('button', { name: `Show ${pear}`, exact: true }) });
    if (!(await panel.getByLabel(`Restock ${pear}`).isVisible())) await panel.getByRole('button', { name: `Edit ${pear}`, exact: true }).click();
    await panel.getByLabel(`Restock ${pear}`).fill('0');
    await panel.getByRole('button', { name: 'Restock', exact: true }).click();
    await until(async () => product(await state(), pear)?.stock === 0);
    await panel.getByLabel(`Presale ship date for ${pear}`).fill('2026-09-20');
    await panel.getByLabel(`Presale quota for ${pear} (empty: no limit)`).fill('5');
    await panel.getByRole('button', { name: 'Set presale', exact: true }).click();
    await until(async () => product(await state(), pear)?.presale?.quota === 5);
    expect(product(await state(), pear)).toMatchObject({ stock: 0, soldOut: false, presale: { shipBy: '2026-09-20', quota: 5, sold: 0 } });
    await expect.poll(() => row.getByTestId('presale').textContent()).toBe(`Presale ${presaleDay} · presale left 5`);
    await panel.getByRole('button', { name: `+1 ${pear}`, exact: true }).click();
    await until(async () => product(await state(), pear)?.presale?.sold === 1);
    await expect.poll(() => row.getByTestId('presale').textContent()).toBe(`Presale ${presaleDay} · presale left 4`);
    await panel.getByRole('button', { name: 'End presale', exact: true }).click();
    await until(async () => product(await state(), pear)?.presale === null);
    expect(product(await state(), pear)).toMatchObject({ stock: 0, soldOut: true });
    await expect.poll(() => row.getByTestId('presale').count()).toBe(0);
    await panel.getByLabel(`Restock ${pear}`).fill('10');
    await panel.getByRole('button', { name: 'Restock', exact: true }).click();
    await until(async () => product(await state(), pear)?.stock === 10);
  });

  it('shows the host a shop feed\'s oversell: a paid order beyond the stock is counted and the row says by how much (#13)', async () => {
    const name = '富硒鸡蛋 30 枚';
    const added = await api(relay.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body: { id: 'add-eggs', type: 'product.add', product: { sku: 'EGG-30', name, priceMinor: 3990, stock: 1 } } });
    expect(added.json.ok).toBe(true);
    const made = await api(relay.url, `/api/rooms/${room.room.id}/feeds`, { token: room.tokens.host, body: { platform: 'standard', name: 'shop' } });
    expect(made.status).toBe(201);
    // Signed with the reference Standard Webhooks signer, as a shop bridge would.
    const body = JSON.stringify({ type: 'order.paid', data: { orderId: 'A-1001', lines: [{ sku: 'EGG-30', quantity: 3 }] } });
    const at = new Date();
    const delivered = await api(relay.url, `/hooks/${made.json.feed.id}`, {
      raw: body,
      headers: { 'content-type': 'application/json', 'webhook-id': 'msg_e2e_1', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(made.json.secret).sign('msg_e2e_1', at, body) },
    });
    expect(delivered.status).toBe(200);
    await until(async () => product(await state(), name)?.sold === 3);
    expect(product(await state(), name)).toMatchObject({ stock: 0, sold: 3, soldOut: true, oversold: 2 });
    const row = panel.locator('li.product').filter({ has: panel.getByRole('button', { name: `Show ${name}`, exact: true }) });
    await expect.poll(() => row.getByTestId('oversold').textContent()).toBe('2 oversold');
  });

  it('takes screenshots of the side panel in English and Chinese', async () => {
    await panel.getByRole('button', { name: 'Next' }).click();
    await panel.getByLabel('Ticker message').fill('下单备注“石榴”送 1 斤');
    await panel.getByRole('button', { name: 'Send' }).click();
    // The line as the panel quotes it (the host's log below says it too).
    await panel.locator('.ticker-line').getByText('“下单备注“石榴”送 1 斤”').waitFor();
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

  it('opens again from the in-page copy and the HTML snapshot, which hold no token and no overlay link', async () => {
    // The panel rewrites the copy at most a second after a change (here: the overlay link saved
    // above), and takes its HTML snapshot then, with the live preview's iframe on screen.
    await panel.waitForFunction(() => JSON.parse(localStorage.getItem('liveshelf:firstPaint') ?? 'null')?.rooms?.[0]?.hasOverlay === true, null, { timeout: 5000 });
    await panel.waitForFunction(() => (localStorage.getItem('liveshelf:snapshot') ?? '').includes('preview-frame'), null, { timeout: 5000 });
    expect(await panel.locator('iframe').count()).toBe(1);
    const [copy, snapshot] = (await panel.evaluate(() => [localStorage.getItem('liveshelf:firstPaint'), localStorage.getItem('liveshelf:snapshot')]))! as [string, string];
    expect(copy).toContain(POM);
    const html = (JSON.parse(snapshot) as { html: string }).html;
    expect(html).toContain(POM);
    expect(html).toContain(`aria-label="+1 ${POM}"`);
    for (const text of [copy, snapshot]) {
      for (const token of Object.values(room.tokens)) expect(text).not.toContain(token);
      expect(text).not.toContain('token=');
    }
    // Nothing that loads or runs: no frame, image, link, script or handler; no typed text (a number input keeps its number).
    expect(html).not.toMatch(/<(iframe|img|a|script|style|textarea)\b|\s(src|href|on\w+)=/i);
    for (const tag of html.match(/<[^>]*\svalue="[^"]*"[^>]*>/g) ?? []) expect(tag).toMatch(/^<input type="number"[^>]* value="\d+"/);
    const again = await host.openPanel();
    try {
      await again.waitForFunction(() => performance.getEntriesByName('liveshelf:live').length > 0);
      const marks = await again.evaluate(() =>
        Object.fromEntries(['liveshelf:rendered', 'liveshelf:live'].map((n) => [n, ((performance.getEntriesByName(n)[0] as PerformanceMark).detail as { from: string }).from])),
      );
      // The snapshot painted the first frame, the app then took over from the copy.
      expect(marks).toEqual({ 'liveshelf:rendered': 'snapshot', 'liveshelf:live': 'copy' });
      expect(await again.locator('#app[data-liveshelf-snapshot]').count()).toBe(0);
      await again.getByRole('button', { name: `+1 ${POM}`, exact: true }).waitFor();
      // Then storage: the overlay link (not in the copy) brings the live preview.
      const now = await state();
      await again.frameLocator('iframe').getByText(now.products.find((p) => p.id === now.currentProductId)!.name).first().waitFor();
    } finally {
      await again.close();
    }
  });

  it('counts a +1 clicked on the snapshot, before the app took over, exactly once', async () => {
    const before = product(await state(), POM)!.sold;
    const early = await host.context.newPage();
    try {
      await early.setViewportSize({ width: 400, height: 1000 });
      // The click lands while the page still shows the snapshot: the app starts only after the
      // first frame, and DOMContentLoaded comes before that (the app's bundle only schedules it).
      await early.addInitScript((name) => {
        document.addEventListener('DOMContentLoaded', () => {
          const g = globalThis as unknown as { __early?: unknown };
          g.__early = { snapshot: document.getElementById('app')!.hasAttribute('data-liveshelf-snapshot') };
          (document.querySelector(`button[aria-label="+1 ${name}"]`) as HTMLButtonElement | null)?.click();
        });
      }, POM);
      await early.goto(`chrome-extension://${host.extensionId}/sidepanel.html`);
      expect(await early.evaluate(() => (globalThis as unknown as { __early?: unknown }).__early)).toEqual({ snapshot: true });
      await until(async () => product(await state(), POM)!.sold === before + 1);
      // Replayed once on the app's button, never twice.
      await new Promise((r) => setTimeout(r, 1500));
      expect(product(await state(), POM)!.sold).toBe(before + 1);
      await early.getByTestId('waiting').waitFor({ state: 'detached' });
    } finally {
      await early.close();
    }
  });
});

describe('editing, reordering and the console in French and Chinese', () => {
  const GIFT = '洛川苹果礼盒';
  const row = (id: string) => panel.locator(`li.product[data-product-id="${id}"]`);
  const noticeText = () => panel.locator('.notice > span').first().textContent();
  /** What Intl makes of an amount in the panel's own browser (its ICU, not Node's). */
  const intlMoney = (locale: string, minor: number) =>
    panel.evaluate(([l, m]) => new Intl.NumberFormat(l, { style: 'currency', currency: 'CNY', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(m / 100), [locale, minor] as const);
  const intlCount = (locale: string, n: number) => panel.evaluate(([l, v]) => new Intl.NumberFormat(l).format(v), [locale, n] as const);
  /** Whether the host sees the notice where they are: on screen and not under the sticky status bar. */
  const noticeOnScreen = () =>
    panel.locator('.notice').evaluate((el) => {
      const r = el.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + 12, r.top + r.height / 2);
      return r.top >= 0 && r.bottom <= innerHeight && hit !== null && el.contains(hit);
    });
  /** A catalog with one good row and four refused ones (a quoted decimal comma in a "," file, an ambiguous price, a word, a bad stock). */
  const importBadCsv = async (button: string, fileLabel: string) => {
    const csv = ['sku,name,price,stock', 'CSV-A,薰衣草蜂蜜,"12,50",10', 'CSV-B,卡马格大米,1.299,', 'CSV-C,核桃,abc,5', 'CSV-D,盖朗德海盐,4.90,x', 'CSV-E,橄榄油,15.00,20'].join('\n');
    await panel.getByRole('button', { name: button, exact: true }).click();
    await panel.getByLabel(fileLabel).setInputFiles({ name: 'catalog.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  };
  /** Full-page screenshots start at the top, or the sticky status bar is drawn half-way down. */
  const fullPage = async (name: string) => {
    await panel.evaluate(() => scrollTo(0, 0));
    await panel.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
  };

  it('edits a product with the form: a bad value is a field error and changes nothing; a new price reaches the queue and the relay', async () => {
    const before = await state();
    const gift = product(before, GIFT)!;
    await panel.getByRole('button', { name: `Edit ${GIFT}`, exact: true }).click();
    await row(gift.id).getByRole('button', { name: 'Edit', exact: true }).click();
    const form = panel.getByRole('form', { name: 'Edit product' });
    const price = form.getByLabel('Price', { exact: true });
    const stock = form.getByLabel('Stock (empty = unlimited)');
    expect(await price.inputValue()).toBe('59.90');
    // In English a comma groups thousands: "69,90" is refused rather than read as 69.90 or 6990 yuan.
    await price.fill('69,90');
    await stock.fill('lots');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await form.getByText('Unclear amount: use a point for decimals and commas for thousands, like 59.90 or 1,299.00').waitFor();
    await form.getByText('Type a whole number, or leave empty for unlimited').waitFor();
    expect(await price.getAttribute('aria-invalid')).toBe('true');
    expect(await stock.getAttribute('aria-invalid')).toBe('true');
    // Nothing was sent: the relay's room is as it was and nothing waits in the outbox.
    expect((await state()).version).toBe(before.version);
    expect(await panel.getByTestId('waiting').count()).toBe(0);

    await stock.fill(String(gift.stock));
    await price.fill('69.90');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await form.waitFor({ state: 'detached' });
    await row(gift.id).locator('.price').filter({ hasText: await intlMoney('en', 6990) }).waitFor();
    await until(async () => product(await state(), GIFT)?.priceMinor === 6990);
    const after = await state();
    expect(product(after, GIFT)).toMatchObject({ sku: 'LC-GIFT', name: GIFT, stock: gift.stock, sold: gift.sold, priceMinor: 6990 });
    // One command (product.update), nothing for the unchanged stock.
    expect(after.version).toBe(before.version + 1);
  });

  it('reorders the queue by dragging a row; the relay has the new order', async () => {
    // Both rows on screen at once: what is tested is the drop, not the browser scrolling the
    // panel mid-drag (with the 14 px console font 10 rows are taller than the 1000 px panel).
    const size = panel.viewportSize()!;
    await panel.setViewportSize({ width: size.width, height: 2400 });
    // From the top: the host's live figures and log below the queue make the panel taller than
    // that, and an earlier test may have left it scrolled down past the first rows.
    await panel.evaluate(() => scrollTo(0, 0));
    const before = (await state()).products.map((p) => p.id);
    const last = before.at(-1)!;
    await row(last).locator('.pos').dragTo(row(before[0]!).locator('.pos'));
    const up = [last, ...before.slice(0, -1)];
    await until(async () => (await state()).products[0]?.id === last);
    expect((await state()).products.map((p) => p.id)).toEqual(up);
    await row(last).locator('.pos').filter({ hasText: /^1$/ }).waitFor();
    // Downwards: the first row dropped on the third takes the third place.
    await row(up[0]!).locator('.pos').dragTo(row(up[2]!).locator('.pos'));
    await until(async () => (await state()).products[2]?.id === up[0]);
    expect((await state()).products.map((p) => p.id)).toEqual([up[1], up[2], up[0], ...up.slice(3)]);
    await row(up[0]!).locator('.pos').filter({ hasText: /^3$/ }).waitFor();
    await panel.setViewportSize(size);
  });

  it('in French by the manual override: French labels, money formatted by Intl fr-FR, a refused sale explained in French', async () => {
    await panel.getByLabel('Language').selectOption('fr');
    await panel.getByRole('heading', { name: /^File des produits/ }).waitFor();
    // <html lang> is set by an effect, which runs after the paint that shows the French heading.
    await expect.poll(() => panel.locator('html').getAttribute('lang')).toBe('fr');
    await panel.getByTestId('connection').filter({ hasText: 'Connecté' }).waitFor();
    for (const name of ['Ajouter un produit', 'Importer un CSV', 'Suivant', 'Annuler la dernière vente', `Afficher ${POM}`, `Modifier ${POM}`]) {
      await panel.getByRole('button', { name, exact: true }).waitFor();
    }
    await panel.getByText('Glissez une ligne, ou sélectionnez-la et tapez Alt+↑ / Alt+↓.').waitFor();
    const totals = panel.getByLabel('Totaux du salon');
    for (const label of ['Unités', 'Recettes', 'Commandes']) await totals.getByText(label, { exact: true }).waitFor();
    const s = await state();
    const pom = product(s, POM)!;
    const pomPrice = await intlMoney('fr-FR', pom.priceMinor);
    expect(pomPrice).toContain('59,90');
    expect(await row(pom.id).locator('.price').textContent()).toBe(pomPrice);
    expect(await panel.getByTestId('total-revenue').textContent()).toBe(await intlMoney('fr-FR', s.totals.revenueMinor));
    await panel.getByRole('button', { name: 'Ajouter un produit', exact: true }).click();
    const form = panel.getByRole('form', { name: 'Ajouter un produit' });
    for (const label of ['Nom', 'Référence (SKU)', 'Prix', 'Prix barré', 'Stock (vide = illimité)', 'Scène OBS']) await form.getByLabel(label, { exact: true }).waitFor();
    // A French host types a decimal comma: "12,50" is ¥12.50, 1250 fen in the relay's state.
    const MIEL = 'Miel de montagne';
    await form.getByLabel('Nom', { exact: true }).fill(MIEL);
    await form.getByLabel('Référence (SKU)', { exact: true }).fill('FR-MIEL');
    const price = form.getByLabel('Prix', { exact: true });
    expect(await price.getAttribute('placeholder')).toBe('59,90');
    // What two conventions read differently is refused, saying how to type it, and nothing is sent.
    const version = (await state()).version;
    await price.fill('1.299,00');
    await form.getByRole('button', { name: 'Ajouter un produit', exact: true }).click();
    const grouped = await panel.evaluate(() => new Intl.NumberFormat('fr', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(1299));
    await form.getByText(`Montant peu clair : virgule pour les décimales, espace pour les milliers, comme 59,90 ou ${grouped}`).waitFor();
    expect(await price.getAttribute('aria-invalid')).toBe('true');
    await form.screenshot({ path: join(ARTIFACTS, 'extension-product-form-fr.png') });
    expect((await state()).version).toBe(version);
    await price.fill('12,50');
    await form.getByRole('button', { name: 'Ajouter un produit', exact: true }).click();
    await form.waitFor({ state: 'detached' });
    await until(async () => product(await state(), MIEL) !== undefined);
    const miel = product(await state(), MIEL)!;
    expect(miel).toMatchObject({ sku: 'FR-MIEL', priceMinor: 1250 });
    expect(formatMoney(miel.priceMinor, 'CNY', 'zh-CN')).toBe('¥12.50');
    await row(miel.id).locator('.price').filter({ hasText: await intlMoney('fr-FR', 1250) }).waitFor();

    // A CSV's prices follow the file (columns by ",": decimal point), and each refused row says why in French.
    await importBadCsv('Importer un CSV', 'Fichier CSV');
    await panel.getByTestId('csv-summary').filter({ hasText: '1 produit prêt, 4 lignes en erreur' }).waitFor();
    const rows = panel.locator('.csv-errors li');
    expect(await rows.allTextContents()).toEqual([
      `Ligne 2 · Prix « 12,50 » — Montant peu clair : point pour les décimales, virgule pour les milliers, comme 59.90 ou 1,299.00`,
      'Ligne 3 · Prix « 1.299 » — Milliers ou décimales ? Tapez 1299, ou le prix avec 2 décimales comme 59.90',
      'Ligne 4 · Prix « abc » — Tapez un montant, comme 59.90',
      'Ligne 5 · Stock « x » — Pas un nombre entier (laissez vide pour illimité)',
    ]);
    await panel.getByTestId('csv-convention').filter({ hasText: 'Les prix de ce fichier sont lus comme 59.90 (ses colonnes sont séparées par « , »).' }).waitFor();
    await panel.locator('.csv-import').screenshot({ path: join(ARTIFACTS, 'extension-csv-errors-fr.png') });
    await panel.locator('.csv-import').getByRole('button', { name: 'Annuler', exact: true }).click();

    // A sale beyond the stock: the relay refuses it (in English), the panel says it in French.
    await panel.getByRole('button', { name: `Modifier ${POM}`, exact: true }).click();
    await panel.getByLabel(`Quantité pour ${POM}`).fill('99999');
    await panel.getByRole('button', { name: `Enregistrer une vente de ${POM}`, exact: true }).click();
    const left = await intlCount('fr', pom.stock!);
    await expect.poll(noticeText).toBe(`Vente non enregistrée. Stock insuffisant pour « ${POM} » : il en reste ${left}. Réassortez ou vendez moins.`);
    expect(await panel.locator('.notice').getAttribute('data-reason')).toBe('out_of_stock');
    expect(product(await state(), POM)).toMatchObject({ sold: pom.sold, stock: pom.stock });
    // The row is half-way down the queue: the refusal must show there, not only at the top of the page.
    await panel.screenshot({ path: join(ARTIFACTS, 'extension-notice-viewport-fr.png') });
    expect(await noticeOnScreen()).toBe(true);
    await fullPage('extension-sidepanel-fr.png');
  });

  it('in Chinese, the refusal reads in Chinese (worded from its reason, not from the relay’s English)', async () => {
    await panel.getByLabel('Langue').selectOption('zh-CN');
    const pom = product(await state(), POM)!;
    const expected = `销售未记录。“${POM}”库存不足：只剩 ${await intlCount('zh-CN', pom.stock!)} 件。请先补货，或减少数量。`;
    // The notice already shown switches language with the panel…
    await expect.poll(noticeText).toBe(expected);
    await panel.getByRole('button', { name: '关闭', exact: true }).click();
    await panel.locator('.notice').waitFor({ state: 'detached' });
    // …and a new refusal comes in Chinese.
    await panel.getByLabel(`${POM} 的数量`).fill('5000');
    await panel.getByRole('button', { name: `记录 ${POM} 的销售`, exact: true }).click();
    await expect.poll(noticeText).toBe(expected);
    await panel.locator('.notice').screenshot({ path: join(ARTIFACTS, 'extension-error-zh-CN.png') });
    expect(await noticeOnScreen()).toBe(true);
    await fullPage('extension-sidepanel-error-zh-CN.png');
    expect(product(await state(), POM)).toMatchObject({ sold: pom.sold, stock: pom.stock });
    await panel.getByRole('button', { name: '关闭', exact: true }).click();
    await panel.getByRole('button', { name: `编辑 ${POM}`, exact: true }).click();

    // Links that are not pairing links, pasted into "pair another room": said in Chinese, nothing changes.
    await panel.locator('details.rooms > summary').click();
    const pairError = panel.locator('#pairing-more-error');
    for (const [link, text] of [
      [`http://127.0.0.1:${port}/healthz`, '这不是配对链接：配对链接以 /pair#… 结尾。请复制中继给出的主播或副播链接。'],
      [room.links.sales, '这是销售链接，供店铺订单回调使用，不是控制台的配对链接。请粘贴主播或副播配对链接。'],
    ]) {
      await panel.getByLabel('配对链接').fill(link!);
      await panel.getByRole('button', { name: '连接', exact: true }).click();
      await pairError.filter({ hasText: text! }).waitFor();
      expect(await pairError.textContent()).toBe(text);
    }
    await panel.locator('details.rooms').screenshot({ path: join(ARTIFACTS, 'extension-pairing-error-zh-CN.png') });
    await panel.getByTestId('connection').filter({ hasText: '已连接' }).waitFor();
    await panel.locator('details.rooms > summary').click();

    await importBadCsv('导入 CSV', 'CSV 文件');
    await panel.getByTestId('csv-summary').filter({ hasText: '1 个商品可导入，4 行有错误' }).waitFor();
    expect(await panel.locator('.csv-errors li').allTextContents()).toEqual([
      '第 2 行 · 售价“12,50”：金额格式不清楚，小数点用“.”，千位用“,”分隔，例如 59.90 或 1,299.00',
      '第 3 行 · 售价“1.299”：是千位还是小数？请输入 1299，或带 2 位小数的价格，例如 59.90',
      '第 4 行 · 售价“abc”：请输入金额，例如 59.90',
      '第 5 行 · 库存“x”：不是整数（留空表示不限）',
    ]);
    await panel.locator('.csv-import').screenshot({ path: join(ARTIFACTS, 'extension-csv-errors-zh-CN.png') });
    await panel.locator('.csv-import').getByRole('button', { name: '取消', exact: true }).click();
    await panel.getByLabel('语言').selectOption('en');
    await panel.getByRole('button', { name: `Show ${POM}`, exact: true }).waitFor();
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
    await submitPairingLink(cpanel, room.links.cohost.replace(/token=[^&]+/, 'token=lsc_revoked'));
    await cpanel.locator('.pairing-error').filter({ hasText: 'The relay refused this token' }).waitFor();
    // The translated text says it all: the relay's own English words stay in the tooltip.
    expect(await cpanel.locator('.pairing-error').textContent()).toBe('The relay refused this token (wrong or rotated). Ask for a new pairing link.');
    expect(await cpanel.locator('.pairing-error').getAttribute('title')).toContain('this token is not valid for this room');
  });

  it('pairs as co-host and has no sale, price, stock or edit controls', async () => {
    await pairAsCohost(cpanel, room);
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
    const local = await askWorker(cpanel, { type: 'command', roomKey: roomKey(room), command: { id: 'cohost-ext-sale', type: 'sale.record', productId: pear.id } });
    expect(local).toMatchObject({ ok: false, problem: 'forbidden' });
    expect(product(await state(), '砀山酥梨')).toMatchObject({ sold: pear.sold, priceMinor: 3990 });
  });
});
