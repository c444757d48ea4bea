/**
 * extension/worker/obs-control.ts against a real OBS Studio 29 (obs-websocket 5.1) started headless
 * by tests/support/obs.ts. What this OBS cannot do (it has no browser_source) is tested against
 * the fake server of tests/support/obs-fake.ts, in the second describe block, which says so.
 */
import type { OBSWebSocket } from 'obs-websocket-js/json';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createObsControl, type ObsControl, type ObsControlOptions, type ObsStatus } from '../../extension/worker/obs-control.js';
import { overlayLink } from '../../shared/pairing.js';
import { startFakeObs, type FakeObs } from '../support/obs-fake.js';
import { bmpPixel, COLOR_SOURCE, freePort, SCENES, startObs, TEXT_SOURCE, type RealObs } from '../support/obs.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait for a condition that OBS reaches asynchronously; fail with `what` if it never does. */
async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await sleep(20);
  }
}

const controls: ObsControl[] = [];
function track(c: ObsControl): ObsControl {
  controls.push(c);
  return c;
}
afterEach(async () => {
  for (const c of controls.splice(0)) await c.disconnect();
});

describe('OBS control against a real OBS 29 (obs-websocket 5.1)', () => {
  let obs: RealObs;
  let admin: OBSWebSocket;
  // Short backoff so that the restart test reconnects quickly; the policy is the same.
  const control = (o: ObsControlOptions = {}) =>
    track(createObsControl({ url: obs.url, password: obs.password, reconnect: { initialDelayMs: 100, maxDelayMs: 400 }, ...o }));

  beforeAll(async () => {
    obs = await startObs();
    admin = await obs.admin();
  });
  afterAll(async () => {
    await obs?.close();
  });

  it('connects and reports the program scene, the scenes in OBS order and the outputs', async () => {
    const c = control();
    const status = await c.connect();
    expect(status).toMatchObject({
      state: 'connected',
      error: null,
      programScene: SCENES.main,
      scenes: [SCENES.main, SCENES.closeUp, SCENES.table],
      streaming: false,
      recording: false,
      obsVersion: expect.stringMatching(/^29\./),
      obsWebSocketVersion: expect.stringMatching(/^5\./),
    });
    expect(await c.listScenes()).toEqual([SCENES.main, SCENES.closeUp, SCENES.table]);
  });

  it('says the password was refused (close code 4009) and does not keep retrying', async () => {
    const c = control({ password: 'not-the-password' });
    await expect(c.connect({ keepTrying: true })).rejects.toMatchObject({
      code: 'obs-password-refused',
      message: 'OBS refused the password: check Tools → WebSocket Server Settings.',
    });
    expect(c.status).toMatchObject({ state: 'disconnected', error: { code: 'obs-password-refused' } });
    expect(JSON.stringify(c.status)).not.toContain('not-the-password');
  });

  it('asks for the password when none was given and OBS requires one', async () => {
    const c = control({ password: '' });
    await expect(c.connect()).rejects.toMatchObject({ code: 'obs-password-required' });
  });

  it('says OBS is not running (or its WebSocket server is off) when nothing answers at the address', async () => {
    const url = `ws://127.0.0.1:${await freePort()}`;
    const c = control({ url });
    const err = await c.connect().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'obs-unreachable', params: { url } });
    expect((err as Error).message).toContain('Is OBS running?');
    expect((err as Error).message).toContain('Enable WebSocket server');
  });

  it('rejects an address that is not a ws:// or wss:// URL before trying it', async () => {
    const c = control({ url: 'http://127.0.0.1:4455' });
    await expect(c.connect()).rejects.toMatchObject({ code: 'obs-invalid-address' });
  });

  it("switches the program scene to a shown product's obsScene, and only when it should", async () => {
    const c = control();
    await c.connect();
    await admin.call('SetCurrentProgramScene', { sceneName: SCENES.main });
    await until('status follows the scene set from elsewhere', () => c.status.programScene === SCENES.main);

    const product = { obsScene: SCENES.closeUp };
    expect(await c.onCardShown(product, { switchScene: false })).toEqual({ switched: false, reason: 'option-off' });
    expect((await admin.call('GetCurrentProgramScene')).currentProgramSceneName).toBe(SCENES.main);

    expect(await c.onCardShown(product, { switchScene: true })).toEqual({ switched: true, scene: SCENES.closeUp });
    expect((await admin.call('GetCurrentProgramScene')).currentProgramSceneName).toBe(SCENES.closeUp);
    await until('status hears CurrentProgramSceneChanged', () => c.status.programScene === SCENES.closeUp);

    expect(await c.onCardShown(product, { switchScene: true })).toEqual({ switched: false, reason: 'already-on-scene', scene: SCENES.closeUp });
    expect(await c.onCardShown({ obsScene: null }, { switchScene: true })).toEqual({ switched: false, reason: 'no-scene' });
    await expect(c.onCardShown({ obsScene: 'Scene that OBS lacks' }, { switchScene: true })).rejects.toMatchObject({
      code: 'obs-scene-not-found',
      params: { scene: 'Scene that OBS lacks' },
    });
    expect((await admin.call('GetCurrentProgramScene')).currentProgramSceneName).toBe(SCENES.closeUp);

    // Two cards for the same scene in quick succession: the 300 ms Fade of the first switch is
    // not restarted (OBS reports the new program scene only when the transition has ended).
    expect(await c.onCardShown({ obsScene: SCENES.table }, { switchScene: true })).toEqual({ switched: true, scene: SCENES.table });
    expect(await c.onCardShown({ obsScene: SCENES.table }, { switchScene: true })).toEqual({ switched: false, reason: 'already-on-scene', scene: SCENES.table });
    await until('the fade to the table scene ends', () => c.status.programScene === SCENES.table);
    expect((await admin.call('GetCurrentProgramScene')).currentProgramSceneName).toBe(SCENES.table);

    await c.disconnect();
    expect(await c.onCardShown({ obsScene: SCENES.table }, { switchScene: true })).toEqual({ switched: false, reason: 'not-connected', scene: SCENES.table });
  });

  it('shows and hides a source: GetSceneItemEnabled and a screenshot of the scene follow', async () => {
    const c = control();
    await c.connect();
    const target = { sceneName: SCENES.main, sourceName: COLOR_SOURCE };
    const { sceneItemId } = await admin.call('GetSceneItemId', target);
    const enabled = async () => (await admin.call('GetSceneItemEnabled', { sceneName: SCENES.main, sceneItemId })).sceneItemEnabled;
    // 1280x720 canvas shot at 128x72: the 400x200 green rectangle at (100,100) covers pixel (30,20).
    const shot = async () => (await admin.call('GetSourceScreenshot', { sourceName: SCENES.main, imageFormat: 'bmp', imageWidth: 128, imageHeight: 72 })).imageData;
    const isGreen = (uri: string) => {
      const p = bmpPixel(uri, 30, 20);
      return p.g > 200 && p.r < 60 && p.b < 60;
    };

    expect(await enabled()).toBe(true);
    const visible = await shot();
    expect(isGreen(visible)).toBe(true);

    await c.setSourceVisible(target, false);
    expect(await enabled()).toBe(false);
    expect(await c.getSourceVisible(target)).toBe(false);
    const hidden = await shot();
    expect(hidden).not.toBe(visible);
    expect(isGreen(hidden)).toBe(false);

    await c.setSourceVisible(target, true);
    expect(await enabled()).toBe(true);
    expect(isGreen(await shot())).toBe(true);

    await expect(c.setSourceVisible({ sceneName: SCENES.main, sourceName: 'No such source' }, true)).rejects.toMatchObject({
      code: 'obs-source-not-found',
      params: { scene: SCENES.main, source: 'No such source' },
    });
  });

  it('shows the room\'s "with the card" source while a card is on air and hides it after', async () => {
    const c = control();
    await c.connect();
    const source = { sceneName: SCENES.table, sourceName: TEXT_SOURCE };
    const { sceneItemId } = await admin.call('GetSceneItemId', source);
    const enabled = async () => (await admin.call('GetSceneItemEnabled', { sceneName: SCENES.table, sceneItemId })).sceneItemEnabled;

    expect(await c.syncCardSource(false, source)).toEqual({ changed: true, visible: false });
    expect(await enabled()).toBe(false);
    expect(await c.syncCardSource(true, source)).toEqual({ changed: true, visible: true });
    expect(await enabled()).toBe(true);
    expect(await c.syncCardSource(false, null)).toEqual({ changed: false, reason: 'no-source' });
    expect(await enabled()).toBe(true);
    await expect(c.syncCardSource(true, { sceneName: SCENES.table, sourceName: 'Renamed in OBS' })).rejects.toMatchObject({ code: 'obs-source-not-found' });
  });

  it('answers "add the overlay" with the URL to copy, because this OBS has no browser source', async () => {
    const c = control();
    await c.connect();
    const url = overlayLink('http://127.0.0.1:4600', 'r_demo', 'overlay-token');
    const err = await c.ensureOverlaySource({ sceneName: SCENES.main, url }).catch((e: unknown) => e);
    const expectedUrl = `${url}&layout=landscape`; // this OBS has a 1280x720 canvas
    expect(err).toMatchObject({ code: 'obs-no-browser-source', params: { url: expectedUrl } });
    expect((err as Error).message).toContain('has no browser source');
    expect((err as Error).message).toContain(expectedUrl);
    // Nothing was created half-way.
    const { inputs } = await admin.call('GetInputList');
    expect(inputs.map((i) => i.inputName)).not.toContain('LiveShelf overlay');
  });

  it('follows recording on and off from RecordStateChanged', async () => {
    const c = control();
    await c.connect();
    expect(c.status.recording).toBe(false);
    await admin.call('StartRecord'); // x264 into the harness's throwaway dir
    await until('recording shows as on air', () => c.status.recording);
    await admin.call('StopRecord');
    await until('recording shows as off', () => !c.status.recording);
    expect(c.status.streaming).toBe(false);
  });

  it('notices a frozen OBS (no close, no answers) by its heartbeat, and reconnects when it wakes up', async () => {
    const c = control({ heartbeatMs: 200, requestTimeoutMs: 500, connectTimeoutMs: 500 });
    await c.connect();
    obs.freeze();
    try {
      await until('the frozen OBS is noticed', () => c.status.state === 'reconnecting');
      expect(c.status.error?.code).toBe('obs-connection-lost');
    } finally {
      obs.thaw();
    }
    await until('reconnected after OBS woke up', () => c.status.state === 'connected');
    expect(await c.listScenes()).toEqual([SCENES.main, SCENES.closeUp, SCENES.table]);
  });

  // Last in this block: it restarts OBS.
  it('reconnects by itself when OBS is stopped and restarted mid-session, with one message and a fresh status', async () => {
    const c = control();
    await c.connect();
    const seen: ObsStatus[] = [];
    c.subscribe((s) => seen.push(s));

    await obs.stopObs();
    await until('the loss is noticed', () => c.status.state === 'reconnecting');
    expect(c.status.error).toMatchObject({ code: 'obs-connection-lost', message: expect.stringContaining('Reconnecting') });
    await expect(c.listScenes()).rejects.toMatchObject({ code: 'obs-connection-lost' });
    expect(await c.onCardShown({ obsScene: SCENES.table }, { switchScene: true })).toMatchObject({ switched: false, reason: 'not-connected' });
    // Meanwhile a new connection attempt gets the "not running" message.
    await expect(control().connect()).rejects.toMatchObject({ code: 'obs-unreachable' });

    // With a 100–400 ms backoff, several reconnect attempts fail while OBS is down; none of them
    // may produce another status (no error spam in the side panel).
    const before = seen.length;
    await sleep(1500);
    expect(seen.slice(before)).toEqual([]);

    // The host clicks "Connect to OBS" meanwhile: told OBS cannot be reached, and the automatic
    // reconnecting goes on (a failed manual attempt must not cancel it).
    await expect(c.connect()).rejects.toMatchObject({ code: 'obs-unreachable' });
    expect(c.status).toMatchObject({ state: 'reconnecting', error: { code: 'obs-unreachable' } });

    await obs.startObs();
    await until('reconnected', () => c.status.state === 'connected');
    admin = await obs.admin();
    expect(c.status.error).toBeNull();
    expect(c.status.programScene).toBe((await admin.call('GetCurrentProgramScene')).currentProgramSceneName);
    expect(c.status.scenes).toEqual([SCENES.main, SCENES.closeUp, SCENES.table]);

    const errors = seen.map((s) => s.error?.code).filter((code): code is NonNullable<typeof code> => code !== undefined);
    expect([...new Set(errors)]).toEqual(['obs-connection-lost', 'obs-unreachable']);
    expect(seen.filter((s) => s.state === 'reconnecting')).toHaveLength(2);
    // OBS removes every scene while quitting; the panel keeps showing the list meanwhile.
    expect(seen.filter((s) => s.scenes.length === 0)).toEqual([]);

    expect(await c.onCardShown({ obsScene: SCENES.table }, { switchScene: true })).toEqual({ switched: true, scene: SCENES.table });
    expect((await admin.call('GetCurrentProgramScene')).currentProgramSceneName).toBe(SCENES.table);
  });
});

// Debian's obs-studio 29 (the real OBS above and in CI) ships without the obs-browser plugin,
// so `browser_source` does not exist there and the success path of "add the overlay to OBS"
// cannot run against it. This block runs it against a small fake obs-websocket v5 server
// (tests/support/obs-fake.ts) that speaks the same handshake and answers the same requests.
describe('overlay browser source, against a fake obs-websocket (Debian OBS 29 has no browser_source)', () => {
  let fake: FakeObs | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  const connectTo = async (f: FakeObs) => {
    const c = track(createObsControl({ url: f.url, password: f.password }));
    await c.connect();
    return c;
  };
  const url = overlayLink('http://127.0.0.1:4600', 'r_demo', 'overlay-token');

  it('creates the source sized to a 16:9 canvas, transparent, landscape; a second call updates it, never a duplicate', async () => {
    fake = await startFakeObs({ canvas: { width: 1920, height: 1080 }, scenes: ['Scene', 'Live'] });
    const c = await connectTo(fake);

    const first = await c.ensureOverlaySource({ sceneName: 'Live', url });
    expect(first).toMatchObject({ action: 'created', inputName: 'LiveShelf overlay', sceneName: 'Live', layout: 'landscape', width: 1920, height: 1080, url: `${url}&layout=landscape` });
    const created = fake.inputs.get('LiveShelf overlay');
    // css '' keeps OBS's transparent page background: the overlay page draws only its cards.
    expect(created).toEqual({ kind: 'browser_source', settings: { url: `${url}&layout=landscape`, width: 1920, height: 1080, css: '' } });
    expect(fake.sceneItems.get('Live')).toEqual([{ id: first.sceneItemId, source: 'LiveShelf overlay', enabled: true }]);

    const rotated = overlayLink('http://127.0.0.1:4600', 'r_demo', 'rotated-token');
    const second = await c.ensureOverlaySource({ sceneName: 'Live', url: rotated });
    expect(second).toMatchObject({ action: 'updated', sceneItemId: first.sceneItemId, addedToScene: false });
    expect(fake.inputs.size).toBe(1);
    expect(fake.inputs.get('LiveShelf overlay')?.settings['url']).toBe(`${rotated}&layout=landscape`);
    expect(fake.sceneItems.get('Live')).toHaveLength(1);
    expect(fake.requests.filter((r) => r.requestType === 'CreateInput')).toHaveLength(1);
  });

  it('chooses the portrait layout and the canvas size on a 1080x1920 (9:16) canvas', async () => {
    fake = await startFakeObs({ canvas: { width: 1080, height: 1920 } });
    const c = await connectTo(fake);
    const r = await c.ensureOverlaySource({ sceneName: 'Scene', url: `${url}&layout=landscape` });
    expect(r).toMatchObject({ layout: 'portrait', width: 1080, height: 1920 });
    const u = new URL(String(fake.inputs.get('LiveShelf overlay')?.settings['url']));
    expect(u.searchParams.getAll('layout')).toEqual(['portrait']);
    expect(u.searchParams.get('token')).toBe('overlay-token');
    expect(fake.inputs.get('LiveShelf overlay')?.settings).toMatchObject({ width: 1080, height: 1920 });
  });

  it('adds the existing overlay source to another scene instead of creating a second one', async () => {
    fake = await startFakeObs({ scenes: ['Scene', 'Live'] });
    const c = await connectTo(fake);
    await c.ensureOverlaySource({ sceneName: 'Scene', url });
    const r = await c.ensureOverlaySource({ sceneName: 'Live', url });
    expect(r).toMatchObject({ action: 'updated', addedToScene: true });
    expect(fake.inputs.size).toBe(1);
    expect(fake.sceneItems.get('Live')?.map((i) => i.source)).toEqual(['LiveShelf overlay']);
    expect(fake.sceneItems.get('Scene')?.map((i) => i.source)).toEqual(['LiveShelf overlay']);
  });

  it('refuses to take over a source of another kind that has the same name', async () => {
    fake = await startFakeObs();
    fake.inputs.set('LiveShelf overlay', { kind: 'text_ft2_source_v2', settings: { text: 'mine' } });
    const c = await connectTo(fake);
    await expect(c.ensureOverlaySource({ sceneName: 'Scene', url })).rejects.toMatchObject({ code: 'obs-name-taken', params: { name: 'LiveShelf overlay' } });
    expect(fake.inputs.get('LiveShelf overlay')?.settings).toEqual({ text: 'mine' });
  });

  it('names the missing scene when the chosen scene does not exist', async () => {
    fake = await startFakeObs({ scenes: ['Scene'] });
    const c = await connectTo(fake);
    await expect(c.ensureOverlaySource({ sceneName: 'Gone', url })).rejects.toMatchObject({ code: 'obs-scene-not-found', params: { scene: 'Gone' } });
    expect(fake.inputs.size).toBe(0);
  });

  it('refreshes the overlay page without cache', async () => {
    fake = await startFakeObs();
    const c = await connectTo(fake);
    await expect(c.refreshOverlaySource()).rejects.toMatchObject({ code: 'obs-overlay-missing', params: { source: 'LiveShelf overlay' } });
    await c.ensureOverlaySource({ sceneName: 'Scene', url });
    await c.refreshOverlaySource();
    expect(fake.requests.at(-1)).toEqual({ requestType: 'PressInputPropertiesButton', requestData: { inputName: 'LiveShelf overlay', propertyName: 'refreshnocache' } });
  });

  it('says OBS is too old when its obs-websocket lacks a request LiveShelf uses', async () => {
    fake = await startFakeObs({ missingRequests: ['PressInputPropertiesButton'] });
    const c = track(createObsControl({ url: fake.url, password: fake.password }));
    await expect(c.connect()).rejects.toMatchObject({ code: 'obs-too-old', params: { found: 'OBS 29.1.3, obs-websocket 5.1.0' } });
    expect(c.status.state).toBe('disconnected');
  });

  it('gives up on a request OBS never answers, with a timeout message, instead of hanging', async () => {
    fake = await startFakeObs({ silentRequests: ['GetInputKindList'] });
    const c = track(createObsControl({ url: fake.url, password: fake.password, requestTimeoutMs: 300 }));
    await c.connect();
    await expect(c.ensureOverlaySource({ sceneName: 'Scene', url })).rejects.toMatchObject({ code: 'obs-timeout', params: { request: 'GetInputKindList' } });
  });

  it('settles a request whose connection drops (connection lost), then reconnects', async () => {
    fake = await startFakeObs({ dropOnRequests: ['GetInputKindList'] });
    const c = track(createObsControl({ url: fake.url, password: fake.password, requestTimeoutMs: 60_000, reconnect: { initialDelayMs: 50, maxDelayMs: 200 } }));
    await c.connect();
    await expect(c.ensureOverlaySource({ sceneName: 'Scene', url })).rejects.toMatchObject({ code: 'obs-connection-lost' });
    await until('reconnected to the same server', () => c.status.state === 'connected');
    expect(await c.listScenes()).toEqual(['Scene', 'Live']);
  });

  it('notices a connection that died silently (heartbeat) and reconnects once OBS answers again', async () => {
    fake = await startFakeObs();
    const c = track(
      createObsControl({ url: fake.url, password: fake.password, heartbeatMs: 100, requestTimeoutMs: 300, connectTimeoutMs: 300, reconnect: { initialDelayMs: 50, maxDelayMs: 200 } }),
    );
    await c.connect();
    const f = fake;
    await until('heartbeats flow', () => f.requests.filter((r) => r.requestType === 'GetVersion').length >= 3);
    f.frozen = true; // no close frame, no answers: what a dropped Wi-Fi looks like from here
    await until('the dead connection is noticed', () => c.status.state === 'reconnecting');
    expect(c.status.error?.code).toBe('obs-connection-lost');
    f.frozen = false;
    await until('reconnected', () => c.status.state === 'connected');
    expect(c.status.error).toBeNull();
  });

  it('says OBS is too old when the server speaks obs-websocket 4 (OBS 27 and older)', async () => {
    fake = await startFakeObs({ flavour: 'v4' });
    const c = track(createObsControl({ url: fake.url, password: fake.password }));
    const err = await c.connect().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'obs-too-old' });
    expect((err as Error).message).toContain('update to OBS Studio 28 or later');
  });
});
