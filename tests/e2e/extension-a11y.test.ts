/**
 * Accessible pages (issue #14): axe-core's WCAG 2.1 A and AA rules, in real Chromium, on every
 * page a host or a co-host meets — the side panel unpaired, paired as host (card on air, a row's
 * controls open, the overlay preview) and as co-host, the toolbar popup, the options page, and the
 * overlay's setup-error page — find no critical or serious violation. Then a whole stream with
 * the keyboard only: pair, add a product, Show, +1, undo, by Tab, Enter and Space, every focused
 * control showing its focus ring. A real relay with SQLite, the built extension and overlay.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomState } from '../../shared/domain';
import { api, startRelay, type CreatedRoom, type TestRelay } from '../support/relay';
import { ARTIFACTS, launchWithExtension, pairAsCohost, pairAsHost, type ExtensionBrowser } from './extension-browser';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PEAR = '砀山酥梨';

let relay: TestRelay;
let room: CreatedRoom;
let host: ExtensionBrowser;
let cohost: ExtensionBrowser;

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[];
}

/** The critical and serious violations axe finds on the page as it is now, one line per element. */
/** Also writes axe's whole report to tests/artifacts/axe-<name>.json, to read what it found. */
async function seriousViolations(page: Page, name: string): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate(() =>
    (globalThis as unknown as { axe: { run(ctx: Document, o: unknown): Promise<unknown> } }).axe.run(document, {
      runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'],
    }),
  )) as AxeResult;
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, `axe-${name}.json`), JSON.stringify(result.violations, null, 2));
  return result.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}) ${JSON.stringify(n.target)}: ${(n.failureSummary ?? v.help).replace(/\s+/g, ' ')}`));
}

async function state(): Promise<RoomState> {
  return (await api(relay.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host })).json as RoomState;
}

async function addProduct(product: Record<string, unknown>, id: string): Promise<void> {
  const res = await api(relay.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body: { id, type: 'product.add', product } });
  if (res.status !== 200) throw new Error(`product.add: ${res.status} ${res.text}`);
}

beforeAll(async () => {
  relay = await startRelay();
  room = await relay.createRoom({ title: '永胜石榴助农专场', currency: 'CNY', locale: 'zh-CN' });
  await addProduct({ sku: 'DS-PEAR-5KG', name: PEAR, priceMinor: 3990, originalPriceMinor: 4990, unit: '5 kg box', stock: 2000 }, 'a11y-add-1');
  await addProduct({ sku: 'EGG-30', name: '铜鼓土鸡蛋', priceMinor: 3500, stock: 0 }, 'a11y-add-2');
  host = await launchWithExtension();
  cohost = await launchWithExtension();
});

afterAll(async () => {
  await host?.close();
  await cohost?.close();
  await relay?.close();
});

describe('axe-core (WCAG 2.1 A/AA) finds no critical or serious violation', () => {
  it('on the side panel before pairing', async () => {
    const panel = await host.openPanel();
    await panel.getByLabel('Pairing link').waitFor();
    expect(await seriousViolations(panel, 'panel-unpaired')).toEqual([]);
    await panel.close();
  });

  it('on the side panel paired as host: a card on air, a sold-out row, a row opened, the overlay preview, a countdown', async () => {
    const panel = await host.openPanel();
    await pairAsHost(panel, room);
    await panel.getByRole('button', { name: `Show ${PEAR}`, exact: true }).click();
    await panel.getByRole('button', { name: `+1 ${PEAR}`, exact: true }).click();
    await panel.getByTestId('current-name').filter({ hasText: PEAR }).waitFor();
    await panel.getByRole('button', { name: 'Start' }).click();
    await panel.getByLabel('Ticker message').fill('下单备注“石榴”送 1 斤');
    await panel.getByRole('button', { name: 'Send' }).click();
    await panel.getByLabel('Overlay link').fill(room.links.overlay);
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.frameLocator('iframe').getByText(PEAR).first().waitFor();
    await panel.locator('li.product').first().locator('button.more').click();
    await panel.getByRole('button', { name: 'Undo last sale' }).waitFor();
    expect(await seriousViolations(panel, 'panel-host')).toEqual([]);
    // The console follows the system's dark scheme (console.css): its colours pass there too.
    await panel.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(panel, 'panel-host-dark')).toEqual([]);
    await panel.close();
  });

  it('on the side panel paired as co-host', async () => {
    const panel = await cohost.openPanel();
    await pairAsCohost(panel, room);
    await panel.getByTestId('current-name').filter({ hasText: PEAR }).waitFor();
    expect(await seriousViolations(panel, 'panel-cohost')).toEqual([]);
    await panel.close();
  });

  it('on the toolbar popup, paired, with the card on air', async () => {
    const popup = await host.context.newPage();
    await popup.goto(`chrome-extension://${host.extensionId}/popup.html`);
    await popup.getByRole('button', { name: `+1 ${PEAR}`, exact: true }).waitFor();
    expect(await seriousViolations(popup, 'popup')).toEqual([]);
    await popup.close();
  });

  it('on the options page', async () => {
    const options = await host.context.newPage();
    await options.goto(`chrome-extension://${host.extensionId}/options.html`);
    await options.getByLabel('Pairing link').waitFor();
    await options.getByText('永胜石榴助农专场').first().waitFor();
    expect(await seriousViolations(options, 'options')).toEqual([]);
    await options.close();
  });

  it("on the overlay's setup-error page (a link without room and token)", async () => {
    const page = await host.context.newPage();
    // The page's default language, Chinese, as OBS shows it.
    await page.goto(`${relay.url}/overlay/`);
    await page.locator('[data-part="setup"]').filter({ hasText: '这个叠加层链接不完整' }).waitFor();
    expect(await seriousViolations(page, 'overlay-setup')).toEqual([]);
    await page.close();
  });
});

describe('a stream with the keyboard only', () => {
  let kb: ExtensionBrowser;
  let panel: Page;
  beforeAll(async () => {
    kb = await launchWithExtension();
    panel = await kb.openPanel();
  });
  afterAll(async () => kb?.close());

  /**
   * Presses Tab (or Shift+Tab) until `target` has the focus, as a keyboard user walks the page,
   * and checks that the focus shows: :focus-visible matches and an outline is drawn.
   */
  async function tabTo(target: Locator, opts: { back?: boolean } = {}): Promise<void> {
    await target.waitFor();
    for (let i = 0; i < 80; i++) {
      await panel.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
      if (await target.evaluate((el) => el === document.activeElement)) {
        const ring = await target.evaluate((el) => {
          const s = getComputedStyle(el);
          return { visible: el.matches(':focus-visible'), outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 };
        });
        expect(ring, String(target)).toEqual({ visible: true, outline: true });
        return;
      }
    }
    throw new Error(`Tab never reached ${String(target)}`);
  }
  const button = (name: string) => panel.getByRole('button', { name, exact: true });
  const sold = async (name: string) => (await state()).products.find((p) => p.name === name)?.sold;
  async function until(cond: () => Promise<boolean>, what: string): Promise<void> {
    const end = Date.now() + 15_000;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error(`never: ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('pairs, adds a product, shows it, sells one and undoes it, by Tab, Enter and Space', async () => {
    const GIFT = '洛川苹果礼盒';
    await tabTo(panel.getByLabel('Pairing link'));
    await panel.keyboard.type(room.links.host);
    await tabTo(button('Connect'));
    await panel.keyboard.press('Enter');
    await panel.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor();

    await tabTo(button('Add product'));
    await panel.keyboard.press('Enter');
    const form = panel.getByRole('form', { name: 'Add product' });
    await tabTo(form.getByLabel('Name'));
    await panel.keyboard.type(GIFT);
    await tabTo(form.getByLabel('SKU'));
    await panel.keyboard.type('LC-GIFT');
    await tabTo(form.getByLabel('Price', { exact: true }));
    await panel.keyboard.type('59.90');
    await tabTo(form.getByRole('button', { name: 'Add product' }));
    await panel.keyboard.press('Enter');
    await button(`Show ${GIFT}`).waitFor();

    await tabTo(button(`Show ${GIFT}`));
    await panel.keyboard.press('Space');
    await panel.getByTestId('current-name').filter({ hasText: GIFT }).waitFor();

    await tabTo(button(`+1 ${GIFT}`));
    await panel.keyboard.press('Enter');
    await until(async () => (await sold(GIFT)) === 1, '+1 recorded');

    // Undo sits above the queue, in the current product's card: back up to it.
    await tabTo(button('Undo last sale'), { back: true });
    await panel.keyboard.press('Space');
    await until(async () => (await sold(GIFT)) === 0, 'the sale undone');
  });
});
