/**
 * Issue 19's rehearsal end to end: real Chromium with the built extension (.output/chrome-mv3)
 * as the host, the web console on a phone (iPhone 13, zh-CN) as the co-host, the overlay page
 * (dist/overlay) in another real Chromium, and a real relay with SQLite. The host starts a
 * rehearsal with a rush from the side panel; the overlay's counter climbs; the panel shows the
 * REHEARSAL banner with Stop and End, the co-host's phone the 彩排 banner only; axe finds
 * nothing serious on either; End gives every count back and the banner goes.
 * The host's phone: every control of the banner a 44 px touch target.
 * Screenshots: tests/artifacts/rehearsal-panel.png, rehearsal-phone-cohost.png, rehearsal-phone-host.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { devices, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomState } from '../../shared/domain';
import { api, startRelay, type CreatedRoom, type TestRelay } from '../support/relay';
import { ARTIFACTS, launchWithExtension, pairAsHost, type ExtensionBrowser } from './extension-browser';
import { ensureOverlayBuilt, launchChromium, overlayUrl, partText } from './overlay-harness';
import { AXE_SOURCE } from '../support/page-checks';

const POM = '会理石榴';

let relay: TestRelay;
let room: CreatedRoom;
let host: ExtensionBrowser;
let panel: Page;
let browser: Browser;
let overlay: Page;
let phone: Page;

async function state(): Promise<RoomState> {
  return (await api(relay.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host })).json as RoomState;
}

async function command(body: Record<string, unknown>): Promise<void> {
  const res = await api(relay.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body });
  if (res.status !== 200) throw new Error(`${String(body.type)}: ${res.status} ${res.text}`);
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate(() =>
    (globalThis as unknown as { axe: { run(ctx: Document, o: unknown): Promise<unknown> } }).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }),
  )) as { violations: { id: string; impact: string | null; nodes: { target: unknown[]; failureSummary?: string }[] }[] };
  return result.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}) ${JSON.stringify(n.target)}: ${n.failureSummary ?? ''}`));
}

/** The number the overlay's sold counter shows (digits of its text: "已售 1,234"). */
async function overlayCount(): Promise<number> {
  const text = (await partText(overlay, 'sold-count')) ?? '';
  return Number(text.replace(/\D/g, '') || 'NaN');
}

async function until(cond: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  await ensureOverlayBuilt();
  relay = await startRelay();
  room = await relay.createRoom({ title: '会理石榴助农专场', currency: 'CNY', locale: 'zh-CN' });
  await command({ id: 'add-1', type: 'product.add', product: { sku: 'POM-5KG', name: POM, priceMinor: 5990, stock: 5000, netWeightGrams: 5000 } });
  await command({ id: 'add-2', type: 'product.add', product: { sku: 'PEAR-5KG', name: '砀山酥梨', priceMinor: 3990, stock: 5000, netWeightGrams: 5000 } });
  const pom = (await state()).products[0]!.id;
  await command({ id: 'live-sale', type: 'sale.record', productId: pom, quantity: 3 });
  await command({ id: 'show', type: 'card.show', productId: pom });

  browser = await launchChromium();
  overlay = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  await overlay.goto(overlayUrl(relay.url, room.room.id, room.tokens.overlay));
  await until(async () => (await overlayCount()) === 3, 'the overlay to show the live sale');

  host = await launchWithExtension();
  panel = await host.openPanel({ width: 400, height: 1100 });
  await pairAsHost(panel, room);

  phone = await (await browser.newContext({ ...devices['iPhone 13'], locale: 'zh-CN' })).newPage();
  await phone.goto(room.links.cohost);
  await phone.getByTestId('connection').filter({ hasText: '已连接' }).waitFor({ timeout: 10_000 });
}, 90_000);

afterAll(async () => {
  await host?.close();
  await browser?.close();
  await relay?.close();
});

describe('a rehearsal with a rush, from the side panel', () => {
  it('starts from the host’s panel: the banner says REHEARSAL, the overlay’s counter climbs, the co-host’s phone says 彩排 without the controls', async () => {
    const before = await state();
    expect(await panel.getByTestId('rehearsal-banner').count()).toBe(0);
    await panel.getByText('Rehearse before the show').click();
    await panel.getByLabel('Orders per minute').fill('60');
    await panel.getByLabel('Rush orders').fill('400');
    await panel.getByLabel('Rush seconds').fill('8');
    await panel.getByRole('button', { name: 'Start rehearsal' }).click();

    await panel.getByRole('status').filter({ hasText: 'REHEARSAL' }).waitFor({ timeout: 10_000 });
    await panel.getByRole('button', { name: 'End rehearsal' }).waitFor();
    await panel.getByRole('button', { name: 'Stop simulated orders' }).waitFor();

    // The overlay is what is practised: its counter climbs with the simulated orders, and it shows no banner.
    await until(async () => (await overlayCount()) > 3 + 20, 'the overlay counter to climb');
    const first = await overlayCount();
    await until(async () => (await overlayCount()) > first + 20, 'the overlay counter to climb on');
    expect(await overlay.evaluate(() => /REHEARSAL|彩排|RÉPÉTITION/.test(document.body.innerText))).toBe(false);

    // The co-host's phone: the banner in Chinese, no Start, Stop or End.
    await phone.getByRole('status').filter({ hasText: '彩排' }).waitFor({ timeout: 10_000 });
    expect(await phone.getByRole('button', { name: '结束彩排' }).count()).toBe(0);
    expect(await phone.getByRole('button', { name: '停止模拟订单' }).count()).toBe(0);
    expect(await phone.getByText('开播前彩排').count()).toBe(0);

    // The host on a phone (the web console): the banner's controls are 44 px touch targets.
    const hostPhone = await (await browser.newContext({ ...devices['iPhone 13'], locale: 'zh-CN' })).newPage();
    await hostPhone.goto(room.links.host);
    await hostPhone.getByRole('status').filter({ hasText: '彩排' }).waitFor({ timeout: 10_000 });
    await hostPhone.getByRole('button', { name: '结束彩排' }).waitFor();
    const small = await hostPhone.evaluate(() =>
      [...document.querySelectorAll('[data-testid="rehearsal-banner"] :is(button, input)')].map((el) => el.getBoundingClientRect()).filter((r) => r.height < 44 || r.width < 44).length,
    );
    expect(small).toBe(0);
    await hostPhone.screenshot({ path: join(ARTIFACTS, 'rehearsal-phone-host.png') });
    expect(await seriousViolations(hostPhone)).toEqual([]);
    await hostPhone.context().close();

    mkdirSync(ARTIFACTS, { recursive: true });
    await panel.screenshot({ path: join(ARTIFACTS, 'rehearsal-panel.png') });
    await phone.screenshot({ path: join(ARTIFACTS, 'rehearsal-phone-cohost.png') });
    expect(await seriousViolations(panel)).toEqual([]);
    expect(await seriousViolations(phone)).toEqual([]);
    expect(before.mode).toBe('live');
  });

  it('the host’s own +1 during the rehearsal is practice too; End gives every count back and the banner goes', async () => {
    // Wait for the rush to be over (400 in 8 s), so the counts are still when compared.
    await until(async () => ((await state()).rehearsal?.counted.orders ?? 0) >= 400, 'the rush to be counted', 20_000);
    await panel.getByRole('button', { name: 'Stop simulated orders' }).click();
    await until(async () => (await state()).rehearsal?.running === false, 'the feed to stop');
    await panel.getByRole('button', { name: /^Start simulated orders$/ }).waitFor();
    // The host's own +1 on the console while rehearsing: marked and taken back like the simulated ones.
    const counted = (await state()).rehearsal!.counted.orders;
    await panel.getByRole('button', { name: `+1 ${POM}` }).click();
    await until(async () => (await state()).rehearsal?.counted.orders === counted + 1, 'the host’s +1 to count as practice');
    const practice = await state();
    expect(practice.totals.orders).toBeGreaterThanOrEqual(1 + 400 + 1);
    await panel.getByTestId('rehearsal-count').filter({ hasText: String(practice.rehearsal!.counted.orders) }).waitFor();

    await panel.getByRole('button', { name: 'End rehearsal' }).click();
    await until(async () => (await state()).mode === 'live', 'the rehearsal to end');
    const after = await state();
    expect(after.totals).toEqual({ sold: 3, revenueMinor: 3 * 5990, orders: 1, weightGrams: 15_000 });
    expect(after.products.map((p) => [p.stock, p.sold])).toEqual([[4997, 3], [5000, 0]]);
    await until(async () => (await overlayCount()) === 3, 'the overlay counter to be back at the live sale');
    await panel.getByTestId('rehearsal-banner').waitFor({ state: 'detached' });
    await phone.getByRole('status').filter({ hasText: '彩排' }).waitFor({ state: 'detached' });
  });
});
