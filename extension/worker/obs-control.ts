/**
 * The one module the extension talks to OBS through (house rule 12): what LiveShelf does in OBS
 * — scenes, source visibility, the overlay browser source, the per-product scene and "source
 * with the card" policies — over one OBS session (obs-session.ts: connecting, identifying,
 * heartbeat, reconnecting, status). Like the session it imports nothing from WXT or the
 * browser, so the worker and the Node tests run the same code.
 * Every answer an action relies on is parsed (obs-protocol.ts); a request never hangs (the
 * session settles it on answer, close or timeout).
 */
import { ObsError } from '../common/obs-errors.js';
import {
  Ignored,
  InputKindsSchema,
  InputListSchema,
  requestStatus,
  SceneItemEnabledSchema,
  SceneItemIdSchema,
  SceneListSchema,
  sceneNames,
  STATUS_ALREADY_EXISTS,
  STATUS_NOT_FOUND,
  VideoSettingsSchema,
} from './obs-protocol.js';
import { createObsSession, type ObsControlOptions, type ObsSession } from './obs-session.js';

export { ObsError, OBS_ERROR_CODES, OBS_MESSAGES, obsErrorText, isObsError, type ObsErrorCode, type ObsErrorInfo, type ObsErrorParams } from '../common/obs-errors.js';
export { OBS_RPC_VERSION } from './obs-protocol.js';
export { DEFAULT_OBS_URL, type ObsControlOptions, type ObsSession } from './obs-session.js';
export { DISCONNECTED_STATUS, type ObsConnectionState, type ObsStatus } from '../common/obs-status.js';

export const DEFAULT_OVERLAY_INPUT = 'LiveShelf overlay';

export interface SourceTarget {
  sceneName: string;
  sourceName: string;
}

export interface OverlaySourceRequest {
  /** Scene to hold the overlay (it is added there if missing). */
  sceneName: string;
  /** Default 'LiveShelf overlay'. */
  inputName?: string;
  /** The overlay link (shared/pairing.ts overlayLink); `layout` is set here from the canvas. */
  url: string;
}

export interface OverlaySourceResult {
  action: 'created' | 'updated';
  inputName: string;
  sceneName: string;
  sceneItemId: number;
  /** The URL the browser source now loads, with `layout` set. */
  url: string;
  layout: 'landscape' | 'portrait';
  width: number;
  height: number;
  /** On update: whether the source had to be added to the scene. */
  addedToScene: boolean;
}

export type CardShownResult =
  | { switched: true; scene: string }
  | { switched: false; reason: 'option-off' | 'no-scene' | 'not-connected' | 'already-on-scene'; scene?: string };

/** The session's status and lifecycle (obs-session.ts), and what LiveShelf does in OBS. */
export interface ObsControl extends Pick<ObsSession, 'status' | 'subscribe' | 'connect' | 'disconnect'> {
  listScenes(): Promise<string[]>;
  setProgramScene(sceneName: string): Promise<void>;
  getSourceVisible(target: SourceTarget): Promise<boolean>;
  setSourceVisible(target: SourceTarget, visible: boolean): Promise<void>;
  /** Create the overlay browser source, or update it (never a duplicate); see OverlaySourceRequest. */
  ensureOverlaySource(req: OverlaySourceRequest): Promise<OverlaySourceResult>;
  /** Reload the overlay page without cache (OBS does not retry a page that failed to load). */
  refreshOverlaySource(inputName?: string): Promise<void>;
  /**
   * The per-product scene policy: when a card is shown and the room's option is on, switch
   * OBS to the product's scene, unless it is on it already. Skips (never throws) when OBS is
   * not connected, so showing a card never depends on OBS; throws for a scene OBS lacks.
   */
  onCardShown(product: { obsScene: string | null }, options: { switchScene: boolean }): Promise<CardShownResult>;
  /**
   * The optional "source with the card" policy: show the room's chosen source (a close-up
   * camera, a price board) while a card is on air, hide it when the card goes off. Skips when
   * no source is chosen or OBS is not connected; throws for a source OBS lacks.
   */
  syncCardSource(cardVisible: boolean, source: SourceTarget | null): Promise<CardSourceResult>;
}

export type CardSourceResult = { changed: true; visible: boolean } | { changed: false; reason: 'no-source' | 'not-connected' };

/** The overlay URL with `layout` chosen from the canvas: portrait when taller than wide (9:16). */
export function overlayUrlForCanvas(url: string, canvas: { width: number; height: number }): { url: string; layout: 'landscape' | 'portrait' } {
  const layout = canvas.height > canvas.width ? 'portrait' : 'landscape';
  const u = new URL(url);
  u.searchParams.set('layout', layout);
  return { url: u.toString(), layout };
}

export function createObsControl(options: ObsControlOptions = {}): ObsControl {
  const session = createObsSession(options);

  function sceneNotFound(e: unknown, scene: string): unknown {
    return requestStatus(e) === STATUS_NOT_FOUND ? new ObsError('obs-scene-not-found', { scene }, { cause: e }) : e;
  }

  async function sceneItemId({ sceneName, sourceName }: SourceTarget): Promise<number> {
    try {
      return (await session.request('GetSceneItemId', { sceneName, sourceName }, SceneItemIdSchema)).sceneItemId;
    } catch (e) {
      if (requestStatus(e) === STATUS_NOT_FOUND) throw new ObsError('obs-source-not-found', { scene: sceneName, source: sourceName }, { cause: e });
      throw e;
    }
  }

  async function setSourceVisible(target: SourceTarget, visible: boolean): Promise<void> {
    const id = await sceneItemId(target);
    await session.request('SetSceneItemEnabled', { sceneName: target.sceneName, sceneItemId: id, sceneItemEnabled: visible }, Ignored);
  }

  async function setProgramScene(sceneName: string): Promise<void> {
    try {
      await session.request('SetCurrentProgramScene', { sceneName }, Ignored);
      session.switching(sceneName);
    } catch (e) {
      throw sceneNotFound(e, sceneName);
    }
  }

  return {
    get status() {
      return session.status;
    },
    subscribe: (listener) => session.subscribe(listener),
    connect: (opts) => session.connect(opts),
    disconnect: () => session.disconnect(),

    async listScenes() {
      const names = sceneNames(await session.request('GetSceneList', undefined, SceneListSchema));
      session.setScenes(names);
      return names;
    },

    setProgramScene,

    async getSourceVisible(target) {
      const id = await sceneItemId(target);
      return (await session.request('GetSceneItemEnabled', { sceneName: target.sceneName, sceneItemId: id }, SceneItemEnabledSchema)).sceneItemEnabled;
    },

    setSourceVisible,

    async ensureOverlaySource({ sceneName, inputName = DEFAULT_OVERLAY_INPUT, url: overlayUrl }) {
      const [kinds, video] = await Promise.all([
        session.request('GetInputKindList', { unversioned: false }, InputKindsSchema),
        session.request('GetVideoSettings', undefined, VideoSettingsSchema),
      ]);
      const sized = overlayUrlForCanvas(overlayUrl, { width: video.baseWidth, height: video.baseHeight });
      if (!kinds.inputKinds.includes('browser_source')) throw new ObsError('obs-no-browser-source', { url: sized.url });
      // Browser sources render with a transparent background by default; an empty custom CSS
      // keeps it that way and leaves the look to the overlay page itself.
      const inputSettings = { url: sized.url, width: video.baseWidth, height: video.baseHeight, css: '' };
      const base = { inputName, sceneName, url: sized.url, layout: sized.layout, width: video.baseWidth, height: video.baseHeight };

      const { inputs } = await session.request('GetInputList', {}, InputListSchema);
      const existing = inputs.find((i) => i.inputName === inputName);
      if (existing && existing.inputKind !== 'browser_source') throw new ObsError('obs-name-taken', { name: inputName });

      if (!existing) {
        try {
          const { sceneItemId: id } = await session.request('CreateInput', { sceneName, inputName, inputKind: 'browser_source', inputSettings, sceneItemEnabled: true }, SceneItemIdSchema);
          return { ...base, action: 'created', sceneItemId: id, addedToScene: true };
        } catch (e) {
          // 601: a scene (scenes are sources too) already has that name.
          if (requestStatus(e) === STATUS_ALREADY_EXISTS) throw new ObsError('obs-name-taken', { name: inputName }, { cause: e });
          throw sceneNotFound(e, sceneName);
        }
      }

      await session.request('SetInputSettings', { inputName, inputSettings, overlay: true }, Ignored);
      let id: number;
      let addedToScene = false;
      try {
        id = (await session.request('GetSceneItemId', { sceneName, sourceName: inputName }, SceneItemIdSchema)).sceneItemId;
      } catch (e) {
        if (requestStatus(e) !== STATUS_NOT_FOUND) throw e;
        try {
          id = (await session.request('CreateSceneItem', { sceneName, sourceName: inputName, sceneItemEnabled: true }, SceneItemIdSchema)).sceneItemId;
        } catch (e2) {
          throw sceneNotFound(e2, sceneName);
        }
        addedToScene = true;
      }
      // The host asked to have the overlay in this scene: a hidden one would look like a failure.
      await session.request('SetSceneItemEnabled', { sceneName, sceneItemId: id, sceneItemEnabled: true }, Ignored);
      return { ...base, action: 'updated', sceneItemId: id, addedToScene };
    },

    async refreshOverlaySource(inputName = DEFAULT_OVERLAY_INPUT) {
      try {
        await session.request('PressInputPropertiesButton', { inputName, propertyName: 'refreshnocache' }, Ignored);
      } catch (e) {
        if (requestStatus(e) === STATUS_NOT_FOUND) throw new ObsError('obs-overlay-missing', { source: inputName }, { cause: e });
        throw e;
      }
    },

    async onCardShown(product, { switchScene }) {
      if (!switchScene) return { switched: false, reason: 'option-off' };
      const scene = product.obsScene?.trim();
      if (!scene) return { switched: false, reason: 'no-scene' };
      if (!session.live) return { switched: false, reason: 'not-connected', scene };
      // The session's program scene follows CurrentProgramSceneChanged, so no extra round trip here.
      if (session.sceneAhead === scene) return { switched: false, reason: 'already-on-scene', scene };
      await setProgramScene(scene);
      return { switched: true, scene };
    },

    async syncCardSource(cardVisible, source) {
      if (!source || !source.sceneName.trim() || !source.sourceName.trim()) return { changed: false, reason: 'no-source' };
      if (!session.live) return { changed: false, reason: 'not-connected' };
      await setSourceVisible(source, cardVisible);
      return { changed: true, visible: cardVisible };
    },
  };
}
