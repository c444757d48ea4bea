/**
 * The host's log and people in the side panel (issue 18): real Chromium with the built extension
 * (.output/chrome-mv3), a real relay with SQLite, a real socket.io client holding a named
 * co-host's token. The worker makes the HTTP calls with the room's token (the panel never holds
 * it) and hands the panel the log's live entries: 王县长's Show appears in the log at once, the
 * host's Undo puts the card back; an invitation's QR code reads back (jsqr) to its link; revoking
 * 王县长 closes their socket with 'session.ended'. axe finds nothing serious with both open.
 * Screenshot: tests/artifacts/extension-host-tools.png.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomState } from '../../shared/domain';
import { api, connectClient, send, startRelay, type CreatedRoom, type TestRelay, type TestSocket } from '../support/relay';
import { ARTIFACTS, launchWithExtension, pairAsHost, type ExtensionBrowser } from './extension-browser';
import { decodePng } from './overlay-harness';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PEAR = '砀山酥梨';
const WANG = '王县长';

let relay: TestRelay;
let room: CreatedRoom;
let ext: ExtensionBrowser;
let panel: Page;
let wang: { token: string; id: string; socket: TestSocket };
let productId: string;

async function state(): Promise<RoomState> {
  return (await api(relay.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host })).json as RoomState;
}

beforeAll(async () => {
  relay = await startRelay();
  room = await relay.createRoom({ title: 'Pear harvest live', currency: 'CNY', locale: 'zh-CN' });
  const add = await api(relay.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body: { id: 'add-pear', type: 'product.add', product: { sku: 'DS-PEAR', name: PEAR, priceMinor: 3990, stock: 100 } } });
  productId = add.json.result.productId;
  const invited = await api(relay.url, `/api/rooms/${room.room.id}/people`, { token: room.tokens.host, body: { name: WANG, role: 'cohost' } });
  wang = { token: invited.json.token, id: invited.json.person.id, socket: (await connectClient(relay.url, room.room.id, invited.json.token)).socket };
  ext = await launchWithExtension();
  panel = await ext.openPanel({ width: 420, height: 1400 });
  await pairAsHost(panel, room);
}, 60_000);

afterAll(async () => {
  wang?.socket.close();
  await ext?.close();
  await relay?.close();
});

describe('the side panel of the host', () => {
  it('reads the log through the worker, and shows 王县长’s Show live, newest first', async () => {
    const log = panel.getByTestId('audit-log');
    await log.getByText(`Host added ${PEAR}`).waitFor();
    expect(await send(wang.socket, { id: 'wang-show', type: 'card.show', productId })).toMatchObject({ ok: true });
    await log.getByTestId('log-line').first().filter({ hasText: `${WANG} showed ${PEAR} · ` }).waitFor({ timeout: 5000 });
  });

  it('Undo puts the card back and the line reads undone', async () => {
    const line = panel.getByTestId('log-line').filter({ hasText: `${WANG} showed ${PEAR}` });
    await line.getByRole('button', { name: /^Undo: / }).click();
    await line.getByText('Undone').waitFor();
    expect((await state()).cardVisible).toBe(false);
    // A second Undo of the same entry is not offered; the undo itself is logged, by the host.
    expect(await line.getByRole('button', { name: /^Undo: / }).count()).toBe(0);
    await panel.getByTestId('log-line').first().filter({ hasText: `Host undid: ${WANG} showed ${PEAR}` }).waitFor();
  });

  it('lists 王县长 as connected, invites another co-host, and its QR code reads back to the link', async () => {
    const people = panel.getByTestId('people');
    await people.getByTestId('person').filter({ hasText: WANG }).filter({ hasText: 'Connected now' }).waitFor();
    await people.getByLabel('Name').fill('Léa <b>Martin</b>');
    await people.getByRole('button', { name: 'Invite', exact: true }).click();
    const link = await people.getByTestId('link-text').inputValue();
    expect(link).toMatch(new RegExp(`^${relay.url}/pair#v=1&room=${room.room.id}&role=cohost&token=lsc_`));
    // A name is text, never markup.
    await people.getByTestId('person').filter({ hasText: 'Léa <b>Martin</b>' }).waitFor();
    expect(await people.locator('b').count()).toBe(0);
    await people.getByTestId('link-qr').scrollIntoViewIfNeeded();
    const img = decodePng(await panel.screenshot());
    expect(jsQR(new Uint8ClampedArray(img.rgba.buffer, img.rgba.byteOffset, img.rgba.byteLength), img.width, img.height)?.data).toBe(link);
  });

  it('shows the live figures: the last 30 minutes of orders as bars; the report opens in a tab that the worker gives the token', async () => {
    for (let i = 0; i < 3; i++) expect((await api(relay.url, `/api/rooms/${room.room.id}/sales`, { token: room.tokens.sales, body: { orderId: `O-${i}`, sku: 'DS-PEAR', quantity: 1 + i } })).json.ok).toBe(true);
    const pulse = panel.getByTestId('show-pulse');
    const bars = () => pulse.locator('rect').evaluateAll((rs) => rs.reduce((a, r) => a + Number(r.getAttribute('data-orders')), 0));
    await expect.poll(bars, { timeout: 15_000 }).toBe((await state()).totals.orders);
    await expect(pulse.getByRole('img').getAttribute('aria-label')).resolves.toMatch(/^3 orders in the last 30 minutes; at most 3 in one minute/);
    const [tab] = await Promise.all([ext.context.waitForEvent('page'), pulse.getByRole('button', { name: 'Open the after-show report' }).click()]);
    await tab.locator('.totals').waitFor({ timeout: 15_000 });
    // The token came in the fragment and left the address bar; the panel's page never held it.
    expect(tab.url()).toBe(`${relay.url}/report`);
    await expect(tab.locator('.totals [data-total="订单"] dd').innerText()).resolves.toBe('3');
    await tab.close();
  });

  it('has no serious or critical axe violation with the log and people open', async () => {
    await panel.evaluate(AXE_SOURCE);
    const result = (await panel.evaluate(() =>
      (globalThis as unknown as { axe: { run(ctx: Document, o: unknown): Promise<unknown> } }).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }),
    )) as { violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] };
    const serious = result.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').flatMap((v) => v.nodes.map((n) => `${v.id} ${JSON.stringify(n.target)}`));
    expect(serious).toEqual([]);
    await panel.screenshot({ path: join(ARTIFACTS, 'extension-host-tools.png'), fullPage: true });
  });

  it('revokes 王县长 after asking: their socket is told why and closed, their token refused', async () => {
    const ended = new Promise<string>((resolve) => wang.socket.once('session.ended', (why) => resolve(why.code)));
    const row = panel.getByTestId('person').filter({ hasText: WANG });
    await row.getByRole('button', { name: `Revoke ${WANG}` }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    expect(await ended).toBe('unauthorized');
    await row.waitFor({ state: 'detached' });
    expect((await api(relay.url, `/api/rooms/${room.room.id}`, { token: wang.token })).status).toBe(401);
  });
});
