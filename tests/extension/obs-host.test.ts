/**
 * The worker's OBS policy (extension/worker/obs-host.ts) under WXT's fakeBrowser: who may reach
 * OBS, when a room state means "a new card is on air", and what leaves the worker. ObsControl
 * is replaced by a recorder here because this is about the decisions, not the protocol: the
 * real ObsControl against a real OBS is tested in tests/e2e/obs-control.test.ts, and this whole
 * path in real Chromium with real OBS in tests/e2e/extension-obs.test.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Product, RoomState } from '../../shared/domain';
import type { ObsPush } from '../../extension/common/console-port';
import type { ObsControl, ObsControlOptions, ObsStatus } from '../../extension/worker/obs-control';
import { createObsHost } from '../../extension/worker/obs-host';
import { obsRoomOptionsItem, obsSettingsItem, type SavedRoom } from '../../extension/common/storage-items';

const SECRET = 'hunter2-obs-password';

interface Recorder {
  options: ObsControlOptions[];
  calls: string[];
}

function recordingControl(rec: Recorder) {
  return (options: ObsControlOptions): ObsControl => {
    rec.options.push(options);
    let status: ObsStatus = { state: 'disconnected', error: null, programScene: null, scenes: [], streaming: false, recording: false, obsVersion: null, obsWebSocketVersion: null };
    const listeners = new Set<(s: ObsStatus) => void>();
    const unused = () => Promise.reject(new Error('not used here'));
    return {
      get status() {
        return status;
      },
      subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
      async connect() {
        status = { ...status, state: 'connected', programScene: 'Main', scenes: ['Main', 'Close-up'] };
        for (const l of listeners) l(status);
        return status;
      },
      async disconnect() {
        rec.calls.push('disconnect');
      },
      listScenes: unused,
      setProgramScene: unused,
      getSourceVisible: unused,
      setSourceVisible: unused,
      ensureOverlaySource: unused,
      async refreshOverlaySource() {
        rec.calls.push('refresh');
      },
      async onCardShown(product, { switchScene }) {
        rec.calls.push(`card:${product.obsScene ?? '-'}:${switchScene ? 'switch' : 'off'}`);
        return { switched: false, reason: 'option-off' };
      },
      async syncCardSource(visible, source) {
        rec.calls.push(`source:${source?.sourceName ?? '-'}:${visible}`);
        return { changed: true, visible };
      },
    };
  };
}

const room = (role: 'host' | 'cohost'): SavedRoom => ({ key: 'r1@127.0.0.1:4600', relayUrl: 'http://127.0.0.1:4600', room: 'r1', role, token: 't', overlayUrl: null, title: null, pairedAt: 0 });
const product = (id: string, obsScene: string | null) => ({ id, obsScene }) as Product;
const state = (currentProductId: string | null, cardVisible: boolean) =>
  ({ version: 1, currentProductId, cardVisible, products: [product('a', 'Close-up'), product('b', null)] }) as unknown as RoomState;

let rec: Recorder;
let pushes: ObsPush[];
let host: ReturnType<typeof createObsHost>;

beforeEach(() => {
  fakeBrowser.reset();
  rec = { options: [], calls: [] };
  pushes = [];
  host = createObsHost({ createControl: recordingControl(rec), publish: (p) => pushes.push(p) });
});

describe('who reaches OBS', () => {
  it('a co-host room never opens a connection, even with saved settings, and its requests are refused', async () => {
    await obsSettingsItem.setValue({ url: 'ws://127.0.0.1:4455', password: SECRET });
    await host.sync(room('cohost'));
    expect(rec.options).toHaveLength(0);
    expect(await host.handle({ type: 'obs.connect', url: 'ws://127.0.0.1:4455', password: SECRET })).toMatchObject({ ok: false, problem: 'forbidden' });
    expect(await host.handle({ type: 'obs.scene', scene: 'Main' })).toMatchObject({ ok: false, problem: 'forbidden' });
    expect(rec.options).toHaveLength(0);
  });

  it('a host room with saved settings connects on start; switching to a co-host room disconnects', async () => {
    await obsSettingsItem.setValue({ url: 'ws://127.0.0.1:4455', password: SECRET });
    await host.sync(room('host'));
    expect(rec.options).toEqual([{ url: 'ws://127.0.0.1:4455', password: SECRET }]);
    await host.sync(room('cohost'));
    expect(rec.calls).toContain('disconnect');
  });

  it('keeps the password in storage and ObsControl only: not in a push nor a response', async () => {
    await host.sync(room('host'));
    const r = await host.handle({ type: 'obs.connect', url: 'ws://127.0.0.1:4455', password: SECRET });
    expect(r).toEqual({ ok: true });
    expect(await obsSettingsItem.getValue()).toEqual({ url: 'ws://127.0.0.1:4455', password: SECRET });
    expect(pushes.length).toBeGreaterThan(0);
    expect(JSON.stringify(pushes)).not.toContain(SECRET);
    expect(pushes.at(-1)?.status.state).toBe('connected');
  });
});

describe('the relay back after an outage', () => {
  it('reloads the overlay source in OBS, only for a room whose overlay was added from here', async () => {
    await obsSettingsItem.setValue({ url: 'ws://127.0.0.1:4455', password: SECRET });
    await host.sync(room('host'));
    await host.onRelayBack(room('host').key);
    expect(rec.calls).toEqual([]);
    await obsRoomOptionsItem.setValue({ [room('host').key]: { switchScene: true, overlayScene: 'Main', cardSource: null } });
    await host.onRelayBack(room('host').key);
    expect(rec.calls).toEqual(['refresh']);
  });
});

describe('a new card on air', () => {
  // [previous state, next state, OBS calls]
  const cases: Array<[string, RoomState | null, RoomState, string[]]> = [
    ['a product with a scene is shown', state('a', false), state('a', true), ['card:Close-up:switch']],
    ['another product replaces the one on air', state('b', true), state('a', true), ['card:Close-up:switch']],
    ['the first state seen already has a card on air', null, state('a', true), ['card:Close-up:switch']],
    ['the same card stays on air (a sale, a ticker)', state('a', true), state('a', true), []],
    ['the card is hidden', state('a', true), state('a', false), []],
    ['the queue moves on while the card is hidden', state('a', false), state('b', false), []],
  ];
  it.each(cases)('%s', async (_name, prev, next, calls) => {
    await obsSettingsItem.setValue({ url: 'ws://127.0.0.1:4455', password: SECRET });
    await host.sync(room('host'));
    await host.onState(room('host').key, prev, next);
    expect(rec.calls).toEqual(calls);
  });

  it('passes the room option "Switch OBS scene with the product" (on by default, off when unticked)', async () => {
    await obsSettingsItem.setValue({ url: 'ws://127.0.0.1:4455', password: SECRET });
    await host.sync(room('host'));
    await host.onState(room('host').key, state('a', false), state('a', true));
    expect(await host.handle({ type: 'obs.options', roomKey: room('host').key, switchScene: false })).toEqual({ ok: true });
    expect((await obsRoomOptionsItem.getValue())[room('host').key]?.switchScene).toBe(false);
    await host.onState(room('host').key, state('a', false), state('a', true));
    expect(rec.calls).toEqual(['card:Close-up:switch', 'card:Close-up:off']);
  });

  it('shows the chosen source with the card and hides it with the card', async () => {
    await obsSettingsItem.setValue({ url: 'ws://127.0.0.1:4455', password: SECRET });
    await host.sync(room('host'));
    await host.handle({ type: 'obs.options', roomKey: room('host').key, cardSource: { sceneName: 'Main', sourceName: 'Price board' } });
    await host.onState(room('host').key, state('b', false), state('b', true));
    await host.onState(room('host').key, state('b', true), state('b', false));
    expect(rec.calls).toEqual(['card:-:switch', 'source:Price board:true', 'source:Price board:false']);
  });

  it('does nothing for a co-host room', async () => {
    await host.sync(room('cohost'));
    await host.onState(room('cohost').key, state('a', false), state('a', true));
    expect(rec.calls).toEqual([]);
  });
});
