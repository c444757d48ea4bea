/**
 * The OBS session: one obs-websocket v5 connection (obs-websocket-js) from opening and
 * identifying to closing, with its heartbeat and its reconnection, and what the host sees of it
 * (ObsStatus, obs-status.ts: connection state, program scene, scenes, streaming, recording).
 * What LiveShelf does in OBS over it (scenes, sources, the overlay, the card policy) is
 * obs-control.ts, which is what the rest of the extension calls.
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
import type { z } from 'zod';
import { ObsError } from '../common/obs-errors.js';
// The protocol's codes and answer shapes, as P.NAME.
import * as P from './obs-protocol.js';
import { DISCONNECTED_STATUS, type ObsStatus } from '../common/obs-status.js';

export const DEFAULT_OBS_URL = 'ws://127.0.0.1:4455';

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

export interface ObsSession {
  readonly status: ObsStatus;
  /** Whether a session is identified now, so requests can go. */
  readonly live: boolean;
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
  /** Sends one request on the live session; settles on answer, close or timeout; parses the answer. */
  request<K extends keyof OBSRequestTypes, S extends z.ZodType>(type: K, data: OBSRequestTypes[K] | undefined, schema: S): Promise<z.infer<S>>;
  /** The scene list as a request just read it. */
  setScenes(names: string[]): void;
  /** The scene OBS shows, or the one it was asked for while its transition still runs. */
  readonly sceneAhead: string | null;
  /** OBS accepted a SetCurrentProgramScene: it is switching to that scene. */
  switching(sceneName: string): void;
}

const noop = () => undefined;

interface Session {
  ws: OBSWebSocket;
  /** Rejects (with connection-lost) when this session's socket closes. Never unhandled. */
  closed: Promise<never>;
  markClosed(): void;
  heartbeat?: ReturnType<typeof setInterval>;
}

export function createObsSession(options: ObsControlOptions = {}): ObsSession {
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
      request('GetVersion', undefined, P.VersionSchema, s),
      request('GetCurrentProgramScene', undefined, P.ProgramSceneSchema, s),
      request('GetSceneList', undefined, P.SceneListSchema, s),
      request('GetStreamStatus', undefined, P.OutputStatusSchema, s),
      request('GetRecordStatus', undefined, P.OutputStatusSchema, s),
    ]);
    const missing = P.REQUIRED_REQUESTS.filter((r) => !version.availableRequests.includes(r));
    if (version.rpcVersion < P.OBS_RPC_VERSION || missing.length > 0) {
      throw new ObsError('obs-too-old', { found: `OBS ${version.obsVersion}, obs-websocket ${version.obsWebSocketVersion}` });
    }
    return {
      programScene: program.currentProgramSceneName,
      scenes: P.sceneNames(scenes),
      streaming: stream.outputActive,
      recording: record.outputActive,
      obsVersion: version.obsVersion,
      obsWebSocketVersion: version.obsWebSocketVersion,
    };
  }

  function refreshScenes(s: Session): void {
    request('GetSceneList', undefined, P.SceneListSchema, s).then((list) => {
      // OBS never lets a host delete its last scene; an empty list means OBS is shutting down
      // (it removes every scene on exit), and the panel should keep the list until we know more.
      if (session === s && list.scenes.length > 0) update({ scenes: P.sceneNames(list) });
    }, noop);
  }

  function listen(s: Session): void {
    const ws = s.ws;
    ws.on('CurrentProgramSceneChanged', (d) => {
      const e = P.ProgramSceneEvent.safeParse(d);
      if (e.success && session === s) {
        switchingTo = null;
        update({ programScene: e.data.sceneName });
      }
    });
    ws.on('StreamStateChanged', (d) => {
      const e = P.OutputStateEvent.safeParse(d);
      if (e.success && session === s) update({ streaming: e.data.outputActive });
    });
    ws.on('RecordStateChanged', (d) => {
      const e = P.OutputStateEvent.safeParse(d);
      if (e.success && session === s) update({ recording: e.data.outputActive });
    });
    ws.on('SceneNameChanged', (d) => {
      const e = P.SceneNameChangedEvent.safeParse(d);
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
    if (closeCode === P.CLOSE_SESSION_INVALIDATED) {
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
      request('GetVersion', undefined, P.Ignored, s).catch((e: unknown) => {
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
      const connecting = ws.connect(url, password || undefined, { rpcVersion: P.OBS_RPC_VERSION });
      connecting.catch(noop);
      identified = await Promise.race([
        connecting,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new ObsError('obs-unreachable', { url })), connectTimeoutMs);
        }),
      ]);
    } catch (e) {
      ws.disconnect().catch(noop);
      throw P.connectError(e, ctx);
    } finally {
      clearTimeout(timer);
    }
    const negotiated = P.IdentifiedSchema.safeParse(identified);
    if (!negotiated.success || negotiated.data.negotiatedRpcVersion !== P.OBS_RPC_VERSION) {
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
          if (P.requestStatus(e) !== P.STATUS_NOT_READY || i >= 40) throw e;
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

  const asObsError = (e: unknown): ObsError => (e instanceof ObsError ? e : P.connectError(e, { url, hasPassword: password !== '' }));

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
    if (!P.validUrl(url)) {
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

  return {
    get status() {
      return status;
    },
    get live() {
      return session !== null;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    connect,
    disconnect,
    request: (type, data, schema) => request(type, data, schema),
    setScenes: (scenes) => update({ scenes }),
    get sceneAhead() {
      return switchingTo ?? status.programScene;
    },
    switching(sceneName) {
      if (status.programScene !== sceneName) switchingTo = sceneName;
    },
  };
}
