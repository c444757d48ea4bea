/**
 * OBS from the side panel, end to end with real parts: real Chromium with the built extension
 * (.output/chrome-mv3), a real relay on a real port, and a real OBS Studio 29 (obs-websocket
 * 5.1) headless under Xvfb (tests/support/obs.ts). The OBS connection lives in the extension's
 * MV3 service worker; what OBS did is read back with a separate plain obs-websocket client.
 * Debian's OBS has no browser source, so "Add overlay to OBS" is tested here as its clear
 * message with the URL to copy (the success path is in obs-control.test.ts, on a fake server).
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OBSWebSocket } from 'obs-websocket-js/json';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENES, startObs, type RealObs } from '../support/obs';
import { startFakeObs, type FakeObs } from '../support/obs-fake';
import { startRelay, type CreatedRoom, type TestRelay } from '../support/relay';
import { ARTIFACTS, askWorker, launchWithExtension, pairAsCohost, pairAsHost, type ExtensionBrowser } from './extension-browser';

let obs: RealObs;
let admin: OBSWebSocket;
let relay: TestRelay;
let room: CreatedRoom;
let host: ExtensionBrowser;
let panel: Page;

const PRODUCT = '永胜软籽石榴';

async function programScene(): Promise<string> {
  return (await admin.call('GetCurrentProgramScene')).currentProgramSceneName;
}

/** Polls OBS (through the harness's own client) until its program scene is `scene`. */
async function untilProgramScene(scene: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while ((await programScene()) !== scene) {
    if (Date.now() > end) throw new Error(`OBS never switched to ${scene} (now ${await programScene()})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const obsSection = () => panel.getByRole('region', { name: 'OBS' });

beforeAll(async () => {
  // Started one after the other so that a failure in any leaves the others to afterAll.
  mkdirSync(ARTIFACTS, { recursive: true });
  obs = await startObs();
  admin = await obs.admin();
  relay = await startRelay();
  room = await relay.createRoom({ title: '石榴专场 OBS', currency: 'CNY', locale: 'zh-CN' });
  host = await launchWithExtension();
  panel = await host.openPanel({ width: 400, height: 1400 });
});

afterAll(async () => {
  await host?.close();
  await relay?.close();
  await obs?.close();
});

describe('OBS from the host side panel (real OBS)', () => {
  it('pairs as host; the OBS section asks for the address and password', async () => {
    await pairAsHost(panel, room);
    await obsSection().waitFor();
    expect(await obsSection().getByLabel('OBS address').inputValue()).toBe('ws://127.0.0.1:4455');
    await obsSection().getByTestId('obs-status').filter({ hasText: 'Not connected' }).waitFor();
  });

  it('says the password was refused when it is wrong', async () => {
    await obsSection().getByLabel('OBS address').fill(obs.url);
    await obsSection().getByLabel('OBS password').fill(`${obs.password}-wrong`);
    await obsSection().getByRole('button', { name: 'Connect to OBS' }).click();
    await obsSection().getByRole('alert').filter({ hasText: 'OBS refused the password: check Tools → WebSocket Server Settings.' }).waitFor();
    await obsSection().getByTestId('obs-status').filter({ hasText: 'Not connected' }).waitFor();
    await obsSection().screenshot({ path: join(ARTIFACTS, 'extension-obs-refused-en.png') });
  });

  it('connects from the service worker and shows the program scene and the scenes', async () => {
    await obsSection().getByLabel('OBS password').fill(obs.password);
    await obsSection().getByRole('button', { name: 'Connect to OBS' }).click();
    await obsSection().getByTestId('obs-status').filter({ hasText: 'Connected to OBS' }).waitFor();
    await obsSection().getByTestId('obs-program').filter({ hasText: SCENES.main }).waitFor();
    for (const scene of Object.values(SCENES)) await obsSection().getByRole('button', { name: `Switch OBS to ${scene}`, exact: true }).waitFor();
    await obsSection().getByText('Not streaming').waitFor();
    // The status bar says it too, and jumps to the section (it sits below the queue).
    await panel.getByRole('button', { name: 'OBS: Connected to OBS' }).click();
    expect(await obsSection().getByRole('alert').count()).toBe(0);
    expect(await obsSection().getByLabel('Switch OBS scene with the product').isChecked()).toBe(true);
  });

  it('switches the program scene from the scenes list', async () => {
    await obsSection().getByRole('button', { name: `Switch OBS to ${SCENES.table}`, exact: true }).click();
    await untilProgramScene(SCENES.table);
    await obsSection().getByTestId('obs-program').filter({ hasText: SCENES.table }).waitFor();
    expect(await obsSection().getByRole('button', { name: `Switch OBS to ${SCENES.table}`, exact: true }).getAttribute('aria-pressed')).toBe('true');
  });

  it('switches OBS to the product’s scene when its card is shown', async () => {
    await panel.getByRole('button', { name: 'Add product' }).click();
    const form = panel.getByRole('form', { name: 'Add product' });
    await form.getByLabel('SKU').fill('YS-POM');
    await form.getByLabel('Name').fill(PRODUCT);
    await form.getByLabel('Price', { exact: true }).fill('59.90');
    await form.getByLabel('OBS scene').fill(SCENES.closeUp);
    await form.getByRole('button', { name: 'Add product' }).click();
    await panel.getByRole('button', { name: `Show ${PRODUCT}`, exact: true }).click();
    await untilProgramScene(SCENES.closeUp);
    await obsSection().getByTestId('obs-program').filter({ hasText: SCENES.closeUp }).waitFor();
  });

  it('says which scene is missing when a product names a scene OBS does not have', async () => {
    await panel.getByRole('button', { name: 'Add product' }).click();
    const form = panel.getByRole('form', { name: 'Add product' });
    await form.getByLabel('SKU').fill('DS-PEAR');
    await form.getByLabel('Name').fill('砀山酥梨');
    await form.getByLabel('Price', { exact: true }).fill('29.90');
    await form.getByLabel('OBS scene').fill('No such scene');
    await form.getByRole('button', { name: 'Add product' }).click();
    await panel.getByRole('button', { name: 'Show 砀山酥梨', exact: true }).click();
    await obsSection().getByTestId('obs-card-notice').filter({ hasText: 'OBS has no scene named "No such scene"' }).waitFor();
    expect(await programScene()).toBe(SCENES.closeUp);
    // The next card with a good scene clears the notice.
    await panel.getByRole('button', { name: `Show ${PRODUCT}`, exact: true }).click();
    await obsSection().getByTestId('obs-card-notice').waitFor({ state: 'detached' });
  });

  it('"Add overlay to OBS" on an OBS without browser source says so and offers the URL', async () => {
    const preview = panel.locator('.preview');
    await preview.getByLabel('Overlay link').fill(room.links.overlay);
    await preview.getByRole('button', { name: 'Save' }).click();
    await obsSection().getByLabel('Scene for the overlay').selectOption(SCENES.main);
    await obsSection().getByRole('button', { name: 'Add overlay to OBS' }).click();
    const alert = obsSection().getByRole('alert').filter({ hasText: 'This OBS has no browser source' });
    await alert.waitFor();
    // The URL in the message is the room's overlay link, sized for this 1280×720 canvas.
    const expected = new URL(room.links.overlay);
    expected.searchParams.set('layout', 'landscape');
    expect(await alert.textContent()).toContain(expected.toString());
    expect(await obsSection().getByLabel('Overlay link').inputValue()).toBe(expected.toString());
    await obsSection().getByRole('button', { name: 'Copy URL' }).waitFor();
    await panel.screenshot({ path: join(ARTIFACTS, 'extension-sidepanel-obs-en.png'), fullPage: true });
    // Nothing was created in OBS.
    const { inputs } = await admin.call('GetInputList', {});
    expect(inputs.map((i) => i.inputName)).not.toContain('LiveShelf overlay');
    await obsSection().screenshot({ path: join(ARTIFACTS, 'extension-obs-section-en.png') });
  });

  it('shows "reconnecting" when OBS quits and is connected again when it is back', async () => {
    await obs.stopObs();
    await obsSection().getByTestId('obs-status').filter({ hasText: 'Reconnecting to OBS' }).waitFor({ timeout: 20_000 });
    await obsSection().getByRole('alert').filter({ hasText: 'The connection to OBS was lost' }).waitFor();
    await obs.startObs();
    admin = await obs.admin();
    await obsSection().getByTestId('obs-status').filter({ hasText: 'Connected to OBS' }).waitFor({ timeout: 30_000 });
    // And the policy works again after the reconnect.
    await obsSection().getByRole('button', { name: `Switch OBS to ${SCENES.table}`, exact: true }).click();
    await untilProgramScene(SCENES.table);
    await panel.getByRole('button', { name: 'Hide', exact: true }).click();
    await panel.getByRole('button', { name: `Show ${PRODUCT}`, exact: true }).click();
    await untilProgramScene(SCENES.closeUp);
  });

  it('keeps the OBS password out of the relay', () => {
    const files = readdirSync(relay.dataDir).map((f) => join(relay.dataDir, f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(readFileSync(f).includes(obs.password)).toBe(false);
  });

  it('in Chinese, the OBS messages are in Chinese', async () => {
    await panel.getByLabel('Language').selectOption('zh-CN');
    await obsSection().getByRole('button', { name: '把画面添加到 OBS' }).click();
    await obsSection().getByRole('alert').filter({ hasText: '此 OBS 没有浏览器来源' }).waitFor();
    await obsSection().screenshot({ path: join(ARTIFACTS, 'extension-obs-section-zh-CN.png') });
    await panel.getByLabel('语言').selectOption('en');
    await obsSection().getByRole('button', { name: 'Add overlay to OBS' }).waitFor();
  });
});

// Debian's OBS has no browser source, so the success path of "Add overlay to OBS" runs against
// the small fake obs-websocket v5 server (tests/support/obs-fake.ts); the panel, the worker and
// obs-control are the real ones, the panel connects to it the way a host would.
describe('adding the overlay to an OBS that has browser source (fake obs-websocket server)', () => {
  let fake: FakeObs;
  beforeAll(async () => {
    fake = await startFakeObs({ canvas: { width: 1080, height: 1920 }, scenes: ['Scene', 'Live'] });
  });
  afterAll(async () => fake?.close());

  it('creates the browser source in the chosen scene, toggles it, refreshes it', async () => {
    await obsSection().getByRole('button', { name: 'Edit connection' }).click();
    await obsSection().getByLabel('OBS address').fill(fake.url);
    await obsSection().getByLabel('OBS password').fill(fake.password);
    await obsSection().getByRole('button', { name: 'Connect to OBS' }).click();
    await obsSection().getByRole('button', { name: 'Switch OBS to Live', exact: true }).waitFor();
    await obsSection().getByLabel('Scene for the overlay').selectOption('Live');
    await obsSection().getByRole('button', { name: 'Add overlay to OBS' }).click();
    await obsSection().getByRole('status').filter({ hasText: 'Overlay added to “Live”.' }).waitFor();
    const input = fake.inputs.get('LiveShelf overlay');
    expect(input?.kind).toBe('browser_source');
    // A 9:16 canvas gets the portrait layout, sized to the canvas.
    const expected = new URL(room.links.overlay);
    expected.searchParams.set('layout', 'portrait');
    expect(input?.settings).toMatchObject({ url: expected.toString(), width: 1080, height: 1920 });
    expect(fake.sceneItems.get('Live')?.map((i) => [i.source, i.enabled])).toEqual([['LiveShelf overlay', true]]);

    const visible = obsSection().getByLabel('Overlay visible in OBS');
    expect(await visible.isChecked()).toBe(true);
    await visible.uncheck();
    await expect.poll(() => fake.sceneItems.get('Live')?.[0]?.enabled).toBe(false);

    await obsSection().getByRole('button', { name: 'Refresh overlay' }).click();
    await obsSection().getByRole('status').filter({ hasText: 'Overlay reloaded.' }).waitFor();
    expect(fake.requests.filter((r) => r.requestType === 'PressInputPropertiesButton')).toHaveLength(1);

    // Pressed again: the same source is updated, never a second one.
    await obsSection().getByRole('button', { name: 'Add overlay to OBS' }).click();
    await obsSection().getByRole('status').filter({ hasText: 'Overlay updated in “Live”.' }).waitFor();
    expect(fake.requests.filter((r) => r.requestType === 'CreateInput')).toHaveLength(1);
    expect(fake.sceneItems.get('Live')?.map((i) => [i.source, i.enabled])).toEqual([['LiveShelf overlay', true]]);
    await obsSection().screenshot({ path: join(ARTIFACTS, 'extension-obs-overlay-added-en.png') });
  });
});

describe('co-host console', () => {
  let cohost: ExtensionBrowser;
  let cpanel: Page;
  beforeAll(async () => {
    cohost = await launchWithExtension();
    cpanel = await cohost.openPanel();
  });
  afterAll(async () => cohost?.close());

  it('has no OBS section, and its worker refuses OBS requests', async () => {
    await pairAsCohost(cpanel, room);
    await cpanel.getByRole('button', { name: `Show ${PRODUCT}`, exact: true }).waitFor();
    expect(await cpanel.getByRole('region', { name: 'OBS' }).count()).toBe(0);
    expect(await cpanel.getByRole('button', { name: /^OBS/ }).count()).toBe(0);
    expect(await cpanel.getByLabel('OBS address').count()).toBe(0);
    const reply = await askWorker(cpanel, { type: 'obs.connect', url: obs.url, password: obs.password });
    expect(reply).toMatchObject({ ok: false, problem: 'forbidden' });
  });
});
