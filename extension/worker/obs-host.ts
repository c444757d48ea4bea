/**
 * The background worker's side of OBS: it owns the one ObsControl of this browser (house rule
 * 12: obs-control.ts is the only module that talks to OBS), and only while the active room is
 * a host room — a co-host's console never opens a connection to OBS, and its requests are refused.
 *
 * It follows the room states the worker receives and applies the per-product scene policy
 * when a new card goes on air, and the optional "source with the card". Status changes are
 * published (to the pages' ports) as plain data; the password never leaves extension storage
 * and ObsControl (not in a status, a response, a notice or a log).
 */
import type { RoomState } from '../../shared/domain';
import { createObsControl, DISCONNECTED_STATUS, ObsError, type ObsControl, type ObsControlOptions, type ObsStatus } from './obs-control';
import type { ObsErrorInfo } from '../common/obs-errors';
import type { ObsPush } from '../common/console-port';
import type { Request, Response } from '../common/messages';
import { obsOptionsOf, obsRoomOptionsItem, obsSettingsItem, type ObsRoomOptions, type ObsSettings, type SavedRoom } from '../common/storage-items';


export interface ObsHostDeps {
  createControl?: (options: ObsControlOptions) => ObsControl;
  /** Called with every new status or notice. */
  publish: (push: ObsPush) => void;
}

const toInfo = (e: unknown): ObsErrorInfo =>
  (e instanceof ObsError ? e : new ObsError('obs-connect-failed', { reason: e instanceof Error ? e.message : String(e) })).toInfo();

const obsFailure = (e: unknown): Response => {
  const info = toInfo(e);
  return { ok: false, problem: 'obs', message: info.message, obs: info };
};

export function createObsHost(deps: ObsHostDeps) {
  const make = deps.createControl ?? createObsControl;
  let control: { ctl: ObsControl; settings: ObsSettings; unsubscribe: () => void } | null = null;
  /** The active room, when it is a host room; null otherwise (then OBS is never reached). */
  let hostRoom: SavedRoom | null = null;
  let notice: ObsErrorInfo | null = null;
  let optionsMemo: Promise<Record<string, ObsRoomOptions>> | null = null;
  const allOptions = () => (optionsMemo ??= obsRoomOptionsItem.getValue());
  obsRoomOptionsItem.watch((v) => (optionsMemo = Promise.resolve(v)));

  const status = (): ObsStatus => control?.ctl.status ?? DISCONNECTED_STATUS;
  const current = (): ObsPush => ({ type: 'obs.status', status: status(), notice });
  const publish = () => deps.publish(current());

  function setNotice(n: ObsErrorInfo | null): void {
    notice = n;
    publish();
  }

  async function drop(): Promise<void> {
    const c = control;
    control = null;
    if (!c) return;
    c.unsubscribe();
    await c.ctl.disconnect();
    publish();
  }

  /** A new control for these settings, connecting and then reconnecting by itself. */
  function open(settings: ObsSettings): Promise<ObsStatus> {
    const ctl = make({ url: settings.url, password: settings.password });
    control = { ctl, settings, unsubscribe: ctl.subscribe(() => publish()) };
    return ctl.connect({ keepTrying: true });
  }

  /**
   * Called by the worker whenever the active room may have changed (start, pairing, switching).
   * A host room with saved settings gets a connection; anything else gets none.
   */
  async function sync(room: SavedRoom | null): Promise<void> {
    hostRoom = room?.role === 'host' ? room : null;
    if (!hostRoom) return drop();
    if (control) return;
    const settings = await obsSettingsItem.getValue();
    if (!settings || control || !hostRoom) return;
    // The first failure is in the status (and retried when it can heal by itself).
    open(settings).catch(() => undefined);
  }

  async function connect(url: string, password: string): Promise<Response> {
    if (!hostRoom) return { ok: false, problem: 'forbidden', message: 'Only the host console controls OBS.' };
    const settings: ObsSettings = { url: url || 'ws://127.0.0.1:4455', password };
    await obsSettingsItem.setValue(settings);
    await drop();
    notice = null;
    try {
      await open(settings);
      return { ok: true };
    } catch (e) {
      return obsFailure(e);
    }
  }

  async function disconnect(): Promise<Response> {
    await drop();
    return { ok: true };
  }

  async function setOptions(roomKey: string, patch: Partial<ObsRoomOptions>): Promise<void> {
    const all = await allOptions();
    const next = { ...all, [roomKey]: { ...obsOptionsOf(all, roomKey), ...patch } };
    optionsMemo = Promise.resolve(next);
    await obsRoomOptionsItem.setValue(next);
  }

  /** Runs an OBS action for the host; failures come back as a typed OBS problem. */
  async function act(fn: (ctl: ObsControl) => Promise<Response>): Promise<Response> {
    if (!hostRoom) return { ok: false, problem: 'forbidden', message: 'Only the host console controls OBS.' };
    if (!control) return obsFailure(new ObsError('obs-not-connected'));
    try {
      return await fn(control.ctl);
    } catch (e) {
      return obsFailure(e);
    }
  }

  /**
   * A new room state: when a card goes on air (another product, or shown again after a hide),
   * switch to its product's scene if the room's option is on; show/hide the chosen source with
   * the card. `prev` is the state before (null when there is none).
   */
  async function onState(roomKey: string, prev: RoomState | null, next: RoomState): Promise<void> {
    if (!hostRoom || hostRoom.key !== roomKey || !control) return;
    const ctl = control.ctl;
    const options = obsOptionsOf(await allOptions(), roomKey);
    const cardShown = next.cardVisible && next.currentProductId !== null && (!prev || !prev.cardVisible || prev.currentProductId !== next.currentProductId);
    const tasks: Promise<unknown>[] = [];
    if (cardShown) {
      const product = next.products.find((p) => p.id === next.currentProductId);
      if (product) tasks.push(ctl.onCardShown(product, { switchScene: options.switchScene }));
    }
    if (options.cardSource && (!prev || prev.cardVisible !== next.cardVisible)) tasks.push(ctl.syncCardSource(next.cardVisible, options.cardSource));
    const results = await Promise.allSettled(tasks);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) setNotice(toInfo(failed.reason));
    else if (tasks.length && notice) setNotice(null);
  }

  /**
   * The relay is reachable again after an outage. OBS does not retry an overlay page that
   * failed to load (it is served by the relay), so reload the overlay source once — only for a
   * room whose overlay was added to OBS from here. A reload of a page that had loaded costs a
   * brief blank frame; an OBS without the source (or without browser source) is left alone.
   */
  async function onRelayBack(roomKey: string): Promise<void> {
    if (!hostRoom || hostRoom.key !== roomKey || control?.ctl.status.state !== 'connected') return;
    if (!obsOptionsOf(await allOptions(), roomKey).overlayScene) return;
    await control.ctl.refreshOverlaySource().catch(() => undefined);
  }

  /** The OBS requests; null for any other request. */
  async function handle(request: Request): Promise<Response | null> {
    switch (request.type) {
      case 'obs.connect':
        return connect(request.url, request.password);
      case 'obs.disconnect':
        return disconnect();
      case 'obs.scene':
        return act(async (ctl) => (await ctl.setProgramScene(request.scene), { ok: true }));
      case 'obs.overlay.add':
        return act(async (ctl) => {
          const url = hostRoom?.key === request.roomKey ? hostRoom.overlayUrl : null;
          if (!url) return { ok: false, problem: 'no_room', message: 'Save the overlay link of this room first.' };
          await setOptions(request.roomKey, { overlayScene: request.sceneName });
          const r = await ctl.ensureOverlaySource({ sceneName: request.sceneName, url });
          return { ok: true, overlay: { action: r.action, url: r.url } };
        });
      case 'obs.overlay.refresh':
        return act(async (ctl) => (await ctl.refreshOverlaySource(), { ok: true }));
      case 'obs.overlay.visible':
        return act(async (ctl) => {
          const scene = obsOptionsOf(await allOptions(), request.roomKey).overlayScene ?? ctl.status.programScene;
          if (!scene) return obsFailure(new ObsError('obs-not-connected'));
          const target = { sceneName: scene, sourceName: 'LiveShelf overlay' };
          try {
            if (request.visible !== null) await ctl.setSourceVisible(target, request.visible);
            return { ok: true, visible: await ctl.getSourceVisible(target) };
          } catch (e) {
            // Only a missing source means "add it first" here.
            if (e instanceof ObsError && e.code === 'obs-source-not-found') return obsFailure(new ObsError('obs-overlay-missing', { source: target.sourceName }));
            throw e;
          }
        });
      case 'obs.options': {
        if (!hostRoom) return { ok: false, problem: 'forbidden', message: 'Only the host console controls OBS.' };
        const patch: Partial<ObsRoomOptions> = {};
        if (request.switchScene !== undefined) patch.switchScene = request.switchScene;
        if (request.cardSource !== undefined) patch.cardSource = request.cardSource;
        await setOptions(request.roomKey, patch);
        return { ok: true };
      }
      default:
        return null;
    }
  }

  return {
    sync,
    onState,
    onRelayBack,
    handle,
    current,
    stop: () => drop(),
  };
}

export type ObsHost = ReturnType<typeof createObsHost>;
