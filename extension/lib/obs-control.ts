/**
 * The one module that talks to OBS (house rule 12), over obs-websocket v5 with obs-websocket-js.
 * It imports nothing from WXT or the browser, so the extension's background worker and the
 * Node tests run the same code. The JSON encoding is imported explicitly: it is what the
 * browser build uses anyway, so the tests exercise exactly the production protocol.
 *
 * Invariants:
 * - Every OBS answer we rely on is parsed (zod) before use; obs-websocket-js's types are not
 *   validation (they describe obs-websocket 5.5, this code must also work with 5.1).
 * - A request never hangs: it settles when OBS answers, when the connection closes, or after
 *   a timeout (obs-websocket-js leaves requests pending forever when the socket closes).
 * - Once connected, a lost connection is retried with capped exponential backoff until
 *   `disconnect()`; status listeners hear about a change of state once, not about each attempt.
 * - The password is only handed to obs-websocket-js; it is never put in status, errors or logs.
 */
import { OBSWebSocket, OBSWebSocketError, type OBSRequestTypes } from 'obs-websocket-js/json';
import { z } from 'zod';
import { ObsError, type ObsErrorInfo } from './obs-errors.js';

export { ObsError, OBS_ERROR_CODES, OBS_MESSAGES, obsErrorText, isObsError, type ObsErrorCode, type ObsErrorInfo, type ObsErrorParams } from './obs-errors.js';

export const DEFAULT_OBS_URL = 'ws://127.0.0.1:4455';
export const DEFAULT_OVERLAY_INPUT = 'LiveShelf overlay';
/** The obs-websocket RPC version this module speaks (obs-websocket 5.x). */
export const OBS_RPC_VERSION = 1;

/** Requests this module sends; an obs-websocket lacking one of them is too old for us. */
const REQUIRED_REQUESTS = [
  'GetVersion',
  'GetSceneList',
  'GetCurrentProgramScene',
  'SetCurrentProgramScene',
  'GetStreamStatus',
  'GetRecordStatus',
  'GetSceneItemId',
  'GetSceneItemEnabled',
  'SetSceneItemEnabled',
  'GetInputKindList',
  'GetVideoSettings',
  'GetInputList',
  'CreateInput',
  'SetInputSettings',
  'CreateSceneItem',
  'PressInputPropertiesButton',
] as const;

// obs-websocket request status codes we react to (RequestStatus enum).
const STATUS_NOT_READY = 207;
const STATUS_NOT_FOUND = 600;
const STATUS_ALREADY_EXISTS = 601;
// obs-websocket close codes (WebSocketCloseCode enum).
const CLOSE_AUTH_FAILED = 4009;
const CLOSE_UNSUPPORTED_RPC = 4010;
const CLOSE_SESSION_INVALIDATED = 4011;

export type ObsConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting';

/** A snapshot; a new object on every change. Plain data: safe to post to the side panel. */
export interface ObsStatus {
  state: ObsConnectionState;
  /** What the host should know about the connection, or null when all is well. */
  error: ObsErrorInfo | null;
  programScene: string | null;
  /** Scene names in OBS's own order (top of its Scenes list first). */
  scenes: readonly string[];
  streaming: boolean;
  recording: boolean;
  obsVersion: string | null;
  obsWebSocketVersion: string | null;
}

export interface ObsControlOptions {
  /** obs-websocket address, e.g. ws://127.0.0.1:4455 (the default). */
  url?: string;
  /** Empty or absent when the host turned authentication off (not recommended). */
  password?: string;
  /** Per request; default 10 s. */
  requestTimeoutMs?: number;
  /** For opening the socket and identifying; default 5 s. */
  connectTimeoutMs?: number;
  /** Backoff between reconnect attempts: initial delay doubling up to max; default 500 ms → 10 s. */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Liveness check interval (a GetVersion); default 15 s, 0 = off. */
  heartbeatMs?: number;
}

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

export interface ObsControl {
  readonly status: ObsStatus;
  /** Called with each new status (not immediately). Returns the unsubscribe function. */
  subscribe(listener: (status: ObsStatus) => void): () => void;
  /**
   * Connect once; resolves when identified and the status is known, rejects with an ObsError.
   * From then on a lost connection is retried by itself. With `keepTrying`, a first failure
   * that can heal by itself (OBS not started yet) is retried too, while the promise still
   * rejects with it so the UI can show it once.
   */
  connect(opts?: { keepTrying?: boolean }): Promise<ObsStatus>;
  /** Close and stop reconnecting. */
  disconnect(): Promise<void>;
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

// ---- what we accept from OBS -------------------------------------------------------------

const VersionSchema = z.object({
  obsVersion: z.string(),
  obsWebSocketVersion: z.string(),
  rpcVersion: z.number().int(),
  availableRequests: z.array(z.string()),
});
const ProgramSceneSchema = z.object({ currentProgramSceneName: z.string() });
const OutputStatusSchema = z.object({ outputActive: z.boolean() });
const SceneListSchema = z.object({ scenes: z.array(z.object({ sceneName: z.string(), sceneIndex: z.number().int() })) });
const SceneItemIdSchema = z.object({ sceneItemId: z.number().int().nonnegative() });
const SceneItemEnabledSchema = z.object({ sceneItemEnabled: z.boolean() });
const InputKindsSchema = z.object({ inputKinds: z.array(z.string()) });
const VideoSettingsSchema = z.object({ baseWidth: z.number().int().positive(), baseHeight: z.number().int().positive() });
const InputListSchema = z.object({ inputs: z.array(z.object({ inputName: z.string(), inputKind: z.string() })) });
const Ignored = z.unknown();
const IdentifiedSchema = z.object({ negotiatedRpcVersion: z.number().int() });

const ProgramSceneEvent = z.object({ sceneName: z.string() });
const OutputStateEvent = z.object({ outputActive: z.boolean() });
const SceneNameChangedEvent = z.object({ oldSceneName: z.string(), sceneName: z.string() });

/** obs-websocket lists scenes bottom-up (index 0 is the bottom of OBS's list); hosts think top-down. */
function sceneNames(list: z.infer<typeof SceneListSchema>): string[] {
  return [...list.scenes].sort((a, b) => b.sceneIndex - a.sceneIndex).map((s) => s.sceneName);
}

/** The overlay URL with `layout` chosen from the canvas: portrait when taller than wide (9:16). */
export function overlayUrlForCanvas(url: string, canvas: { width: number; height: number }): { url: string; layout: 'landscape' | 'portrait' } {
  const layout = canvas.height > canvas.width ? 'portrait' : 'landscape';
  const u = new URL(url);
  u.searchParams.set('layout', layout);
  return { url: u.toString(), layout };
}

function validUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'ws:' || u.protocol === 'wss:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** Map a failure to open or identify a session to what the host should hear. */
function connectError(e: unknown, ctx: { url: string; hasPassword: boolean }): ObsError {
  if (e instanceof ObsError) return e;
  if (e instanceof OBSWebSocketError) {
    if (e.code === CLOSE_AUTH_FAILED) return new ObsError(ctx.hasPassword ? 'obs-password-refused' : 'obs-password-required', {}, { cause: e });
    if (e.code === CLOSE_UNSUPPORTED_RPC) return new ObsError('obs-too-old', { found: e.message }, { cause: e });
    if (e.code === CLOSE_SESSION_INVALIDATED) return new ObsError('obs-session-invalidated', {}, { cause: e });
    // An obs-websocket 4.x server (OBS 27 and older with the plugin) does not speak the v5 subprotocol.
    if (/subprotocol/i.test(e.message)) return new ObsError('obs-too-old', { found: 'obs-websocket 4 or older' }, { cause: e });
    // Node's ws reports a refused/unreachable socket as an error (-1) with the errno in the
    // message; browsers give only a close with 1006. Both mean nobody answered at that address.
    if (e.code === -1 || e.code === 1006) return new ObsError('obs-unreachable', { url: ctx.url }, { cause: e });
    return new ObsError('obs-connect-failed', { closeCode: e.code, reason: e.message || `close code ${e.code}` }, { cause: e });
  }
  return new ObsError('obs-connect-failed', { reason: e instanceof Error ? e.message : String(e) }, { cause: e });
}

function requestStatus(e: unknown): number | undefined {
  return e instanceof ObsError && e.code === 'obs-request-failed' ? Number(e.params['status']) : undefined;
}

const noop = () => undefined;

interface Session {
  ws: OBSWebSocket;
  /** Rejects (with connection-lost) when this session's socket closes. Never unhandled. */
  closed: Promise<never>;
  markClosed(): void;
  heartbeat?: ReturnType<typeof setInterval>;
}

/** The status of an ObsControl that is not connected (also what a host without OBS settings shows). */
export const DISCONNECTED_STATUS: ObsStatus = {
  state: 'disconnected',
  error: null,
  programScene: null,
  scenes: [],
  streaming: false,
  recording: false,
  obsVersion: null,
  obsWebSocketVersion: null,
};

export function createObsControl(options: ObsControlOptions = {}): ObsControl {
  const url = options.url?.trim() || DEFAULT_OBS_URL;
  const password = options.password ?? '';
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const initialDelayMs = options.reconnect?.initialDelayMs ?? 500;
  const maxDelayMs = options.reconnect?.maxDelayMs ?? 10_000;
  const heartbeatMs = options.heartbeatMs ?? 15_000;

  const initial = DISCONNECTED_STATUS;
  let status = initial;
  const listeners = new Set<(s: ObsStatus) => void>();
  let session: Session | null = null;
  /** True between connect() and disconnect(): the host wants a connection. */
  let wanted = false;
  /** Bumped by disconnect(), so that an attempt still in flight knows it is stale. */
  let generation = 0;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let attemptInFlight: Promise<Session> | null = null;
  /**
   * The scene we asked OBS for and whose CurrentProgramSceneChanged has not arrived yet. OBS 29
   * sends that event when the transition ends (a Fade takes 300 ms), so until then
   * status.programScene still names the old scene; a second card for the same scene must not
   * restart the transition.
   */
  let switchingTo: string | null = null;

  function update(patch: Partial<ObsStatus>): void {
    const next = { ...status, ...patch };
    const same = (Object.keys(next) as (keyof ObsStatus)[]).every((k) =>
      k === 'scenes' ? next.scenes.join('\u0000') === status.scenes.join('\u0000') && next.scenes.length === status.scenes.length
      : k === 'error' ? next.error?.code === status.error?.code && next.error?.message === status.error?.message
      : next[k] === status[k],
    );
    if (same) return;
    status = next;
    for (const l of listeners) {
      try {
        l(status);
      } catch {
        /* a faulty listener must not break the connection logic */
      }
    }
  }

  /** Send one request on the current session; settle on answer, close or timeout; parse the answer. */
  async function request<K extends keyof OBSRequestTypes, S extends z.ZodType>(type: K, data: OBSRequestTypes[K] | undefined, schema: S, on: Session | null = session): Promise<z.infer<S>> {
    if (!on) throw new ObsError(status.state === 'reconnecting' ? 'obs-connection-lost' : 'obs-not-connected');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ObsError('obs-timeout', { request: type })), requestTimeoutMs);
    });
    let raw: unknown;
    try {
      // The library's call() is generic over its request map; `data` is that request's data.
      const call = on.ws.call.bind(on.ws) as (t: K, d?: OBSRequestTypes[K]) => Promise<unknown>;
      raw = await Promise.race([call(type, data), on.closed, timeout]);
    } catch (e) {
      if (e instanceof ObsError) throw e;
      if (e instanceof OBSWebSocketError) throw new ObsError('obs-request-failed', { request: type, status: e.code, comment: e.message || `status ${e.code}` }, { cause: e });
      // 'Not connected' / 'Socket not identified' from the library: the socket went away under us.
      throw new ObsError('obs-connection-lost', {}, { cause: e });
    } finally {
      clearTimeout(timer);
    }
    const parsed = schema.safeParse(raw ?? {});
    if (!parsed.success) throw new ObsError('obs-unexpected-response', { request: type, issue: parsed.error.issues[0]?.message ?? 'invalid' });
    return parsed.data;
  }

  async function fetchState(s: Session): Promise<Partial<ObsStatus>> {
    const [version, program, scenes, stream, record] = await Promise.all([
      request('GetVersion', undefined, VersionSchema, s),
      request('GetCurrentProgramScene', undefined, ProgramSceneSchema, s),
      request('GetSceneList', undefined, SceneListSchema, s),
      request('GetStreamStatus', undefined, OutputStatusSchema, s),
      request('GetRecordStatus', undefined, OutputStatusSchema, s),
    ]);
    const missing = REQUIRED_REQUESTS.filter((r) => !version.availableRequests.includes(r));
    if (version.rpcVersion < OBS_RPC_VERSION || missing.length > 0) {
      throw new ObsError('obs-too-old', { found: `OBS ${version.obsVersion}, obs-websocket ${version.obsWebSocketVersion}` });
    }
    return {
      programScene: program.currentProgramSceneName,
      scenes: sceneNames(scenes),
      streaming: stream.outputActive,
      recording: record.outputActive,
      obsVersion: version.obsVersion,
      obsWebSocketVersion: version.obsWebSocketVersion,
    };
  }

  function refreshScenes(s: Session): void {
    request('GetSceneList', undefined, SceneListSchema, s).then((list) => {
      // OBS never lets a host delete its last scene; an empty list means OBS is shutting down
      // (it removes every scene on exit), and the panel should keep the list until we know more.
      if (session === s && list.scenes.length > 0) update({ scenes: sceneNames(list) });
    }, noop);
  }

  function listen(s: Session): void {
    const ws = s.ws;
    ws.on('CurrentProgramSceneChanged', (d) => {
      const e = ProgramSceneEvent.safeParse(d);
      if (e.success && session === s) {
        switchingTo = null;
        update({ programScene: e.data.sceneName });
      }
    });
    ws.on('StreamStateChanged', (d) => {
      const e = OutputStateEvent.safeParse(d);
      if (e.success && session === s) update({ streaming: e.data.outputActive });
    });
    ws.on('RecordStateChanged', (d) => {
      const e = OutputStateEvent.safeParse(d);
      if (e.success && session === s) update({ recording: e.data.outputActive });
    });
    ws.on('SceneNameChanged', (d) => {
      const e = SceneNameChangedEvent.safeParse(d);
      if (e.success && session === s && status.programScene === e.data.oldSceneName) update({ programScene: e.data.sceneName });
      refreshScenes(s);
    });
    ws.on('SceneCreated', () => refreshScenes(s));
    ws.on('SceneRemoved', () => refreshScenes(s));
    ws.on('SceneListChanged', () => refreshScenes(s));
    ws.on('ConnectionClosed', (e) => lost(s, e.code));
  }

  /** The session ended without disconnect(): OBS quit, the network dropped, or the heartbeat failed. */
  function lost(s: Session, closeCode: number): void {
    s.markClosed();
    if (s.heartbeat) clearInterval(s.heartbeat);
    if (session !== s) return; // a close we asked for, or a stale session
    session = null;
    if (!wanted) {
      update({ state: 'disconnected' });
      return;
    }
    if (closeCode === CLOSE_SESSION_INVALIDATED) {
      // Someone kicked this client in OBS (or OBS reset its server): respect that, do not fight it.
      wanted = false;
      update({ state: 'disconnected', error: new ObsError('obs-session-invalidated').toInfo() });
      return;
    }
    update({ state: 'reconnecting', error: new ObsError('obs-connection-lost').toInfo() });
    attempt = 0;
    scheduleRetry();
  }

  /**
   * A dead TCP connection (Wi-Fi gone, OBS on another machine frozen) can look open for minutes.
   * A cheap request every `heartbeatMs` notices it within a request timeout. It also counts as
   * WebSocket activity, which keeps an MV3 service worker alive while OBS is connected.
   */
  function startHeartbeat(s: Session): void {
    if (heartbeatMs <= 0) return;
    s.heartbeat = setInterval(() => {
      if (session !== s) return;
      request('GetVersion', undefined, Ignored, s).catch((e: unknown) => {
        if (session !== s || !(e instanceof ObsError) || (e.code !== 'obs-timeout' && e.code !== 'obs-connection-lost')) return;
        lost(s, 1006);
        s.ws.disconnect().catch(noop); // may take long on a dead socket; the session is already let go
      });
    }, heartbeatMs);
  }

  /** One attempt: open, identify, verify the version, read the state. */
  async function open(): Promise<Session> {
    const gen = generation;
    const ws = new OBSWebSocket();
    let markClosed: () => void = noop;
    const closed = new Promise<never>((_, reject) => {
      markClosed = () => reject(new ObsError('obs-connection-lost'));
    });
    closed.catch(noop);
    const s: Session = { ws, closed, markClosed: () => markClosed() };
    const ctx = { url, hasPassword: password !== '' };
    let timer: ReturnType<typeof setTimeout> | undefined;
    let identified: unknown;
    try {
      const connecting = ws.connect(url, password || undefined, { rpcVersion: OBS_RPC_VERSION });
      connecting.catch(noop);
      identified = await Promise.race([
        connecting,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new ObsError('obs-unreachable', { url })), connectTimeoutMs);
        }),
      ]);
    } catch (e) {
      ws.disconnect().catch(noop);
      throw connectError(e, ctx);
    } finally {
      clearTimeout(timer);
    }
    const negotiated = IdentifiedSchema.safeParse(identified);
    if (!negotiated.success || negotiated.data.negotiatedRpcVersion !== OBS_RPC_VERSION) {
      ws.disconnect().catch(noop);
      throw new ObsError('obs-too-old', { found: `negotiated RPC version ${String(negotiated.data?.negotiatedRpcVersion ?? 'none')}` });
    }
    listen(s);
    try {
      // obs-websocket may answer NotReady (207) for a moment while OBS finishes starting.
      for (let i = 0; ; i++) {
        try {
          const state = await fetchState(s);
          if (gen !== generation || !wanted) throw new ObsError('obs-not-connected');
          session = s;
          attempt = 0;
          switchingTo = null;
          startHeartbeat(s);
          update({ ...state, state: 'connected', error: null });
          return s;
        } catch (e) {
          if (requestStatus(e) !== STATUS_NOT_READY || i >= 40) throw e;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    } catch (e) {
      ws.disconnect().catch(noop);
      // Closed between identifying and reading the state (OBS quitting): for this attempt,
      // OBS could not be reached; "connection lost" is for a session the host already had.
      if (e instanceof ObsError && e.code === 'obs-connection-lost') throw new ObsError('obs-unreachable', { url }, { cause: e });
      throw e;
    }
  }

  const asObsError = (e: unknown): ObsError => (e instanceof ObsError ? e : connectError(e, { url, hasPassword: password !== '' }));

  /** Single flight: a click on "Connect" during a scheduled retry joins it instead of racing it. */
  function attemptOnce(): Promise<Session> {
    attemptInFlight ??= open().finally(() => {
      attemptInFlight = null;
    });
    return attemptInFlight;
  }

  function scheduleRetry(): void {
    if (!wanted || retryTimer) return;
    const base = Math.min(maxDelayMs, initialDelayMs * 2 ** attempt);
    const delay = base * (0.8 + Math.random() * 0.4); // jitter: many panels must not retry in lockstep
    attempt++;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (!wanted || session) return;
      const gen = generation;
      attemptOnce().catch((e: unknown) => {
        if (gen !== generation || !wanted || session) return;
        const err = asObsError(e);
        if (err.retryable) {
          scheduleRetry(); // silent: the status already says "reconnecting"
        } else {
          wanted = false;
          update({ state: 'disconnected', error: err.toInfo() });
        }
      });
    }, delay);
  }

  async function connect(opts: { keepTrying?: boolean } = {}): Promise<ObsStatus> {
    if (session) return status;
    if (!validUrl(url)) {
      const err = new ObsError('obs-invalid-address', { url });
      update({ state: 'disconnected', error: err.toInfo() });
      throw err;
    }
    // Already reconnecting by itself: a failed manual attempt must not stop that.
    const wasWanted = wanted;
    wanted = true;
    if (retryTimer) {
      clearTimeout(retryTimer);
      retryTimer = null;
    }
    const gen = generation;
    if (status.state !== 'reconnecting') update({ state: 'connecting' });
    try {
      await attemptOnce();
      return status;
    } catch (e) {
      const err = asObsError(e);
      if (gen !== generation) throw err; // disconnect() meanwhile: its status stands
      if (err.retryable && (opts.keepTrying || wasWanted)) {
        if (!wasWanted) attempt = 0;
        update({ state: 'reconnecting', error: err.toInfo() });
        scheduleRetry();
      } else {
        wanted = false;
        update({ state: 'disconnected', error: err.toInfo() });
      }
      throw err;
    }
  }

  async function disconnect(): Promise<void> {
    wanted = false;
    generation++;
    if (retryTimer) {
      clearTimeout(retryTimer);
      retryTimer = null;
    }
    const s = session;
    session = null;
    if (s?.heartbeat) clearInterval(s.heartbeat);
    // What we knew about OBS is stale once we stop listening: show nothing rather than old facts.
    update(initial);
    if (s) await s.ws.disconnect().catch(noop);
  }

  function sceneNotFound(e: unknown, scene: string): unknown {
    return requestStatus(e) === STATUS_NOT_FOUND ? new ObsError('obs-scene-not-found', { scene }, { cause: e }) : e;
  }

  async function sceneItemId({ sceneName, sourceName }: SourceTarget): Promise<number> {
    try {
      return (await request('GetSceneItemId', { sceneName, sourceName }, SceneItemIdSchema)).sceneItemId;
    } catch (e) {
      if (requestStatus(e) === STATUS_NOT_FOUND) throw new ObsError('obs-source-not-found', { scene: sceneName, source: sourceName }, { cause: e });
      throw e;
    }
  }

  async function setSourceVisible(target: SourceTarget, visible: boolean): Promise<void> {
    const id = await sceneItemId(target);
    await request('SetSceneItemEnabled', { sceneName: target.sceneName, sceneItemId: id, sceneItemEnabled: visible }, Ignored);
  }

  async function setProgramScene(sceneName: string): Promise<void> {
    try {
      await request('SetCurrentProgramScene', { sceneName }, Ignored);
      if (status.programScene !== sceneName) switchingTo = sceneName;
    } catch (e) {
      throw sceneNotFound(e, sceneName);
    }
  }

  return {
    get status() {
      return status;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    connect,
    disconnect,

    async listScenes() {
      const names = sceneNames(await request('GetSceneList', undefined, SceneListSchema));
      update({ scenes: names });
      return names;
    },

    setProgramScene,

    async getSourceVisible(target) {
      const id = await sceneItemId(target);
      return (await request('GetSceneItemEnabled', { sceneName: target.sceneName, sceneItemId: id }, SceneItemEnabledSchema)).sceneItemEnabled;
    },

    setSourceVisible,

    async ensureOverlaySource({ sceneName, inputName = DEFAULT_OVERLAY_INPUT, url: overlayUrl }) {
      const [kinds, video] = await Promise.all([
        request('GetInputKindList', { unversioned: false }, InputKindsSchema),
        request('GetVideoSettings', undefined, VideoSettingsSchema),
      ]);
      const sized = overlayUrlForCanvas(overlayUrl, { width: video.baseWidth, height: video.baseHeight });
      if (!kinds.inputKinds.includes('browser_source')) throw new ObsError('obs-no-browser-source', { url: sized.url });
      // Browser sources render with a transparent background by default; an empty custom CSS
      // keeps it that way and leaves the look to the overlay page itself.
      const inputSettings = { url: sized.url, width: video.baseWidth, height: video.baseHeight, css: '' };
      const base = { inputName, sceneName, url: sized.url, layout: sized.layout, width: video.baseWidth, height: video.baseHeight };

      const { inputs } = await request('GetInputList', {}, InputListSchema);
      const existing = inputs.find((i) => i.inputName === inputName);
      if (existing && existing.inputKind !== 'browser_source') throw new ObsError('obs-name-taken', { name: inputName });

      if (!existing) {
        try {
          const { sceneItemId: id } = await request('CreateInput', { sceneName, inputName, inputKind: 'browser_source', inputSettings, sceneItemEnabled: true }, SceneItemIdSchema);
          return { ...base, action: 'created', sceneItemId: id, addedToScene: true };
        } catch (e) {
          // 601: a scene (scenes are sources too) already has that name.
          if (requestStatus(e) === STATUS_ALREADY_EXISTS) throw new ObsError('obs-name-taken', { name: inputName }, { cause: e });
          throw sceneNotFound(e, sceneName);
        }
      }

      await request('SetInputSettings', { inputName, inputSettings, overlay: true }, Ignored);
      let id: number;
      let addedToScene = false;
      try {
        id = (await request('GetSceneItemId', { sceneName, sourceName: inputName }, SceneItemIdSchema)).sceneItemId;
      } catch (e) {
        if (requestStatus(e) !== STATUS_NOT_FOUND) throw e;
        try {
          id = (await request('CreateSceneItem', { sceneName, sourceName: inputName, sceneItemEnabled: true }, SceneItemIdSchema)).sceneItemId;
        } catch (e2) {
          throw sceneNotFound(e2, sceneName);
        }
        addedToScene = true;
      }
      // The host asked to have the overlay in this scene: a hidden one would look like a failure.
      await request('SetSceneItemEnabled', { sceneName, sceneItemId: id, sceneItemEnabled: true }, Ignored);
      return { ...base, action: 'updated', sceneItemId: id, addedToScene };
    },

    async refreshOverlaySource(inputName = DEFAULT_OVERLAY_INPUT) {
      try {
        await request('PressInputPropertiesButton', { inputName, propertyName: 'refreshnocache' }, Ignored);
      } catch (e) {
        if (requestStatus(e) === STATUS_NOT_FOUND) throw new ObsError('obs-overlay-missing', { source: inputName }, { cause: e });
        throw e;
      }
    },

    async onCardShown(product, { switchScene }) {
      if (!switchScene) return { switched: false, reason: 'option-off' };
      const scene = product.obsScene?.trim();
      if (!scene) return { switched: false, reason: 'no-scene' };
      if (!session) return { switched: false, reason: 'not-connected', scene };
      // status.programScene follows CurrentProgramSceneChanged, so no extra round trip here.
      if ((switchingTo ?? status.programScene) === scene) return { switched: false, reason: 'already-on-scene', scene };
      await setProgramScene(scene);
      return { switched: true, scene };
    },

    async syncCardSource(cardVisible, source) {
      if (!source || !source.sceneName.trim() || !source.sourceName.trim()) return { changed: false, reason: 'no-source' };
      if (!session) return { changed: false, reason: 'not-connected' };
      await setSourceVisible(source, cardVisible);
      return { changed: true, visible: cardVisible };
    },
  };
}
