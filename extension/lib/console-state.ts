/**
 * The console's UI state (side panel, popup, options): one factory, signals in, named
 * actions out (house style). It renders from storage first — the cached room state, the
 * connection status, the outbox — so the panel is instant even when the worker sleeps, and
 * follows storage changes the worker publishes. Actions only send messages to the worker.
 */
import { batch, computed, signal } from '@preact/signals';
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { Command } from '../../shared/commands';
import type { Product, RoomState } from '../../shared/domain';
import { resolveLocale, translator } from './i18n';
import { newCommandId } from './ids';
import { CONSOLE_PORT, parsePush, type ConsolePush, type ObsPush, type PatchPush, type SyncRequest } from './console-port';
import { applyPatch } from '../../shared/room-patch';
import { copyHeader, makeCopy, pageStore, readCopy, writeCopy, type FirstPaintCopy, type SyncStore } from './first-paint';
import type { Request, Response } from './messages';
import {
  activeRoomItem,
  connectionItem,
  IDLE_STATUS,
  obsOptionsOf,
  obsRoomOptionsItem,
  obsSettingsItem,
  noticeItem,
  outboxItem,
  recentSalesItem,
  roomsItem,
  settingsItem,
  stateKey,
  type ConnectionStatus,
  type LocaleSetting,
  type Notice,
  type ObsRoomOptions,
  type ObsSettings,
  type OutboxEntry,
  type RecentSale,
  type SavedRoom,
  type Settings,
} from './storage-items';

/** A command as a page builds it; the id is added when it is sent (click time). */
export type CommandDraft = Command extends infer C ? (C extends Command ? Omit<C, 'id'> : never) : never;

export interface ConsoleEnv {
  send(request: Request): Promise<Response>;
  preferredLanguages: readonly string[];
  /**
   * Live room states (whole, then patches) and OBS statuses pushed by the worker; `resync` asks
   * it for the whole state again (a patch did not apply). Returns the stop function.
   */
  follow?(onPush: (push: ConsolePush, resync: () => void) => void): () => void;
  /** Where the first-paint copy lives (first-paint.ts): the page's localStorage; none, and every open waits for storage. */
  firstPaint?: SyncStore | null;
  /**
   * When the page painted from the copy: resolves once that frame is drawn, and the storage read
   * (and the worker's pushes it is followed by) starts only then. Each reply carries the whole
   * room state (~137 KB with 500 products), turned into objects on the main thread: several ms
   * that would otherwise land between the page's script and its first frame. None: at once.
   */
  afterFirstPaint?: () => Promise<void>;
  /**
   * After the copy was written (its header: first-paint.ts) or removed (null), at most once a
   * second and when the page goes away: the side panel takes its HTML snapshot then (snapshot.ts).
   */
  onCopySaved?: (header: string | null) => void;
}

/** A remembered room as the pages hold it: never its token (only the worker uses it). */
export type RoomView = Omit<SavedRoom, 'token'>;
const withoutToken = (rooms: readonly SavedRoom[]): RoomView[] => rooms.map(({ token: _token, ...view }) => view);

export function browserEnv(): ConsoleEnv {
  return {
    send: (request) => browser.runtime.sendMessage(request) as Promise<Response>,
    preferredLanguages: navigator.languages?.length ? navigator.languages : [navigator.language],
    firstPaint: pageStore(),
    follow(onPush) {
      let stopped = false;
      let port: ReturnType<typeof browser.runtime.connect> | null = null;
      const open = () => {
        port = browser.runtime.connect({ name: CONSOLE_PORT });
        const self = port;
        const resync = () => self.postMessage({ type: 'room.sync' } satisfies SyncRequest);
        port.onMessage.addListener((m: unknown) => {
          const push = parsePush(m);
          if (push) onPush(push, resync);
        });
        // The worker was stopped (Chrome does that to idle workers): connect again, which wakes it.
        port.onDisconnect.addListener(() => !stopped && setTimeout(open, 1000));
      };
      open();
      return () => {
        stopped = true;
        port?.disconnect();
      };
    },
  };
}

/**
 * Keeps the previous object of every product that did not change, so memoised rows skip
 * rendering: a +1 re-renders one row, not 500.
 */
export function shareUnchanged(prev: RoomState | null, next: RoomState): RoomState {
  if (!prev || prev.id !== next.id) return next;
  const old = new Map(prev.products.map((p) => [p.id, p]));
  let same = prev.products.length === next.products.length;
  const products = next.products.map((p, i) => {
    const o = old.get(p.id);
    const keep = o === p || (o !== undefined && (Object.keys(p) as (keyof Product)[]).every((k) => o[k] === p[k]));
    if (!keep || prev.products[i] !== o) same = false;
    return keep ? o : p;
  });
  return { ...next, products: same ? prev.products : products };
}

const isLoopback = (origin: string) => /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i.test(origin);

export function createConsoleState(env: ConsoleEnv) {
  const rooms = signal<RoomView[]>([]);
  const activeKey = signal<string | null>(null);
  const status = signal<ConnectionStatus>(IDLE_STATUS);
  const room = signal<RoomState | null>(null);
  const outbox = signal<OutboxEntry[]>([]);
  const settings = signal<Settings>({ locale: 'auto' });
  const notice = signal<Notice | null>(null);
  const recentSales = signal<RecentSale[]>([]);
  /** Something to render: the first-paint copy or storage. */
  const loaded = signal(false);
  /** Extension storage has been read: what is shown is storage's, no longer the in-page copy's. */
  const synced = signal(false);
  /** Before the storage read: whether the copy's active room has an overlay link (the link itself is not in the copy). */
  const copyHasOverlay = signal(false);
  /** OBS as the worker last reported it (null until it did: the worker may be asleep). */
  const obs = signal<ObsPush | null>(null);
  const obsSettings = signal<ObsSettings | null>(null);
  const obsRoomOptions = signal<Record<string, ObsRoomOptions>>({});
  /** The last pairing failure; kept here, not in the form, because the view may switch meanwhile. */
  const pairFailure = signal<{ link: string; response: Extract<Response, { ok: false }> } | null>(null);

  const locale = computed(() => resolveLocale(settings.value.locale, env.preferredLanguages));
  const t = computed(() => translator(locale.value));
  const activeRoom = computed(() => rooms.value.find((r) => r.key === activeKey.value) ?? null);
  const role = computed(() => activeRoom.value?.role ?? null);
  const isHost = computed(() => role.value === 'host');
  const waiting = computed(() => outbox.value.filter((e) => e.roomKey === activeKey.value).length);
  const canUndo = computed(() => recentSales.value.some((s) => s.roomKey === activeKey.value));
  const currentProduct = computed(() => room.value?.products.find((p) => p.id === room.value?.currentProductId) ?? null);
  const hasOverlay = computed(() => (synced.value ? (activeRoom.value?.overlayUrl ?? null) !== null : copyHasOverlay.value));

  let markSynced: () => void = () => {};
  const whenSynced = new Promise<void>((resolve) => (markSynced = resolve));

  // The first-paint copy (first-paint.ts): written only from what storage (or the worker) gave
  // this page, never before the storage read, and only for the room whose state is shown.
  const copyStore = env.firstPaint ?? null;
  /** The room whose state `room` holds (it can lag behind activeKey while a switch is read). */
  let shownKey: string | null = null;
  let copyTimer: ReturnType<typeof setTimeout> | null = null;
  let lastCopy = '';
  function saveCopyNow(): void {
    if (copyTimer !== null) clearTimeout(copyTimer);
    copyTimer = null;
    if (!copyStore || !synced.value) return;
    const key = activeKey.value;
    const st = room.value;
    if (!key || !st || shownKey !== key) {
      if (lastCopy !== 'none') (writeCopy(copyStore, null), env.onCopySaved?.(null));
      lastCopy = 'none';
      return;
    }
    const copy: FirstPaintCopy = makeCopy(key, rooms.value, settings.value.locale, st);
    const sig = `${key}|${st.id}|${st.version}|${copy.locale}|${JSON.stringify(copy.rooms)}`;
    if (sig !== lastCopy) writeCopy(copyStore, copy);
    lastCopy = sig;
    // Also when the copy did not change: what the page shows may have (connection, an opened row).
    env.onCopySaved?.(copyHeader(copy));
  }
  /** Sales can arrive many times a second: one write per second at most, and one when the page goes away. */
  function saveCopySoon(): void {
    if (copyStore && synced.value && copyTimer === null) copyTimer = setTimeout(saveCopyNow, 1000);
  }
  /** The active room changed: the copy of the previous one must not paint the next open. */
  function dropCopy(): void {
    if (copyTimer !== null) clearTimeout(copyTimer);
    copyTimer = null;
    if (copyStore && lastCopy !== 'none') (writeCopy(copyStore, null), env.onCopySaved?.(null));
    lastCopy = 'none';
  }

  function showRoom(key: string | null, s: RoomState | null): void {
    shownKey = s ? key : null;
    room.value = s;
    saveCopySoon();
  }

  let unwatchState: (() => void) | null = null;
  async function followState(key: string | null): Promise<void> {
    unwatchState?.();
    unwatchState = null;
    if (!key) {
      showRoom(null, null);
      return;
    }
    unwatchState = storage.watch<RoomState>(stateKey(key), (s) => setRoom(key, s));
    const cached = await storage.getItem<RoomState>(stateKey(key));
    setRoom(key, cached);
  }

  /**
   * A state from the cache or the worker; never goes back to an older version, and skips the
   * version it shows already ([R1]: same version, same state), e.g. the worker's first push to
   * a page that rendered it from the cache, which would re-render the whole queue for nothing.
   */
  function setRoom(key: string, s: RoomState | null): void {
    if (activeKey.value !== key) return;
    const prev = shownKey === key ? room.value : null;
    if (s && prev && prev.id === s.id && s.version <= prev.version) return;
    showRoom(key, s ? shareUnchanged(prev, s) : null);
  }

  /**
   * A patch from the worker: applied to the state shown when it was computed from it; when it
   * was computed from another one (this page read an older state from storage, or missed a
   * push), the worker is asked for the whole state. A patch of a version shown already is dropped.
   */
  function patchRoom(push: PatchPush, resync: () => void): void {
    if (activeKey.value !== push.roomKey) return;
    const cur = shownKey === push.roomKey ? room.value : null;
    if (cur && cur.id === push.patch.id && push.patch.version <= cur.version) return;
    const next = cur ? applyPatch(cur, push.patch) : undefined;
    if (next) setRoom(push.roomKey, next);
    else resync();
  }

  /**
   * Storage's state replaces the copy's whatever their versions: storage is the source of truth.
   * The same version of the same room is the same state ([R1]), so the copy's objects stay and
   * nothing re-renders; otherwise unchanged products keep their objects (their rows skip).
   */
  function fromStorage(prev: RoomState | null, s: RoomState | null): RoomState | null {
    if (!s) return null;
    if (prev && prev.id === s.id && prev.version === s.version) return prev;
    return shareUnchanged(prev, s);
  }

  /**
   * Paints from the first-paint copy at once (synchronously, before the first await), then
   * reads everything from storage, which replaces the copy, then follows changes.
   * Returns the stop function.
   */
  async function load(): Promise<() => void> {
    const copy = readCopy(copyStore);
    if (copy) {
      const active = copy.rooms.find((r) => r.key === copy.roomKey)!;
      batch(() => {
        rooms.value = copy.rooms.map((r) => ({ key: r.key, relayUrl: r.relayUrl, room: r.room, role: r.role, title: r.title, overlayUrl: null, pairedAt: 0 }));
        activeKey.value = copy.roomKey;
        copyHasOverlay.value = active.hasOverlay;
        settings.value = { locale: copy.locale };
        // What the connection is, storage says in a moment; meanwhile the worker is being woken.
        status.value = { ...IDLE_STATUS, roomKey: copy.roomKey, phase: 'connecting', role: active.role };
        shownKey = copy.roomKey;
        room.value = copy.state;
        loaded.value = true;
      });
    }
    // The copy is on screen: storage is read after its frame (a click meanwhile waits for it).
    if (copy && env.afterFirstPaint) await env.afterFirstPaint();
    // The copy's room is most likely still the active one: its state is read in the same round trip.
    const hinted = copy ? storage.getItem<RoomState>(stateKey(copy.roomKey)) : null;
    const [r, a, s, o, st, n, rs, os, oo] = await Promise.all([
      roomsItem.getValue(),
      activeRoomItem.getValue(),
      connectionItem.getValue(),
      outboxItem.getValue(),
      settingsItem.getValue(),
      noticeItem.getValue(),
      recentSalesItem.getValue(),
      obsSettingsItem.getValue(),
      obsRoomOptionsItem.getValue(),
    ]);
    const cached = !a ? null : a === copy?.roomKey && hinted ? await hinted : await storage.getItem<RoomState>(stateKey(a));
    batch(() => {
      rooms.value = withoutToken(r);
      activeKey.value = a;
      status.value = s;
      outbox.value = o;
      settings.value = st;
      notice.value = n;
      recentSales.value = rs;
      const prev = a !== null && shownKey === a ? room.value : null;
      shownKey = cached ? a : null;
      room.value = fromStorage(prev, cached);
      obsSettings.value = os;
      obsRoomOptions.value = oo;
      loaded.value = true;
      synced.value = true;
    });
    markSynced();
    if (copy && copy.roomKey !== a) dropCopy();
    saveCopySoon();
    void followState(a);
    const onHide = () => saveCopyNow();
    globalThis.addEventListener?.('pagehide', onHide);
    const unwatch = [
      roomsItem.watch((v) => {
        rooms.value = withoutToken(v);
        saveCopySoon();
      }),
      activeRoomItem.watch((v) => {
        if (v !== activeKey.value) dropCopy();
        activeKey.value = v;
        void followState(v);
      }),
      connectionItem.watch((v) => (status.value = v)),
      outboxItem.watch((v) => (outbox.value = v)),
      settingsItem.watch((v) => {
        settings.value = v;
        saveCopySoon();
      }),
      noticeItem.watch((v) => (notice.value = v)),
      recentSalesItem.watch((v) => (recentSales.value = v)),
      obsSettingsItem.watch((v) => (obsSettings.value = v)),
      obsRoomOptionsItem.watch((v) => (obsRoomOptions.value = v)),
    ];
    const stopFollow = env.follow?.((push, resync) => {
      if (push.type === 'room.state') setRoom(push.roomKey, push.state);
      else if (push.type === 'room.patch') patchRoom(push, resync);
      else obs.value = push;
    });
    // Wake the worker so it connects the active room (if it is not) and retries the outbox.
    void env.send({ type: 'hello' }).catch(() => undefined);
    return () => {
      saveCopyNow();
      globalThis.removeEventListener?.('pagehide', onHide);
      unwatch.forEach((u) => u());
      unwatchState?.();
      stopFollow?.();
    };
  }

  /** Sends a command of the active room, with an id made now (the click), via the outbox. */
  async function command(draft: CommandDraft): Promise<Response> {
    const key = activeKey.value;
    if (!key) return { ok: false, problem: 'no_room', message: 'no active room' };
    const prefix = draft.type.split('.')[0] ?? 'cmd';
    const cmd = { ...draft, id: newCommandId(prefix) } as Command;
    // Clicked on the first-paint copy: storage must confirm the room first (a few ms), so a
    // stale copy can never send a command to a room that is no longer the active one.
    if (!synced.value) {
      await whenSynced;
      if (activeKey.value !== key) return { ok: false, problem: 'no_room', message: 'the active room changed' };
    }
    return env.send({ type: 'command', roomKey: key, command: cmd });
  }

  /**
   * Pairing from a page: asks for host access first when the relay is not on this machine
   * (an optional permission, granted only for that relay, from the click's user gesture).
   */
  async function pair(link: string): Promise<Response> {
    // Only the origin matters here (the worker parses and checks the whole link); reading it
    // without shared/pairing keeps zod out of the pages' first bundle.
    const origin = URL.canParse(link.trim()) ? new URL(link.trim()).origin : null;
    if (origin && /^https?:/.test(origin) && !isLoopback(origin)) {
      const granted = await browser.permissions.request({ origins: [`${origin}/*`] }).catch(() => false);
      if (!granted) {
        const r: Response = { ok: false, problem: 'permission_denied', message: origin };
        pairFailure.value = { link, response: r };
        return r;
      }
    }
    return sendPair(link);
  }

  function withRoom(fn: (roomKey: string) => Promise<Response>): Promise<Response> {
    const key = activeKey.value;
    return key ? fn(key) : Promise.resolve({ ok: false, problem: 'no_room', message: 'no active room' });
  }

  async function sendPair(link: string): Promise<Response> {
    const r = await env.send({ type: 'pair', link });
    pairFailure.value = r.ok ? null : { link, response: r };
    return r;
  }

  return {
    // read-only views
    rooms: computed(() => rooms.value),
    activeKey: computed(() => activeKey.value),
    activeRoom,
    status: computed(() => status.value),
    room: computed(() => room.value),
    waiting,
    canUndo,
    notice: computed(() => notice.value),
    locale,
    localeSetting: computed(() => settings.value.locale),
    t,
    role,
    isHost,
    currentProduct,
    loaded: computed(() => loaded.value),
    /** Storage has been read (until then the view may come from the first-paint copy). */
    synced: computed(() => synced.value),
    /** The active room has an overlay link (known from the copy before storage is read). */
    hasOverlay,
    pairFailure: computed(() => pairFailure.value),
    obs: computed(() => obs.value),
    /** The saved OBS address (and password, for the form's field only). */
    obsSettings: computed(() => obsSettings.value),
    obsOptions: computed(() => obsOptionsOf(obsRoomOptions.value, activeKey.value)),
    // actions
    load,
    command,
    pair,
    undoSale: () => whenSynced.then(() => (activeKey.value ? env.send({ type: 'sale.undo', roomKey: activeKey.value }) : { ok: false, problem: 'no_room', message: '' } satisfies Response)),
    selectRoom: (roomKey: string) => env.send({ type: 'room.select', roomKey }),
    forgetRoom: (roomKey: string) => env.send({ type: 'room.forget', roomKey }),
    setOverlayUrl: (roomKey: string, overlayUrl: string | null) => env.send({ type: 'room.overlay', roomKey, overlayUrl }),
    setLocale: (value: LocaleSetting) => settingsItem.setValue({ ...settings.value, locale: value }),
    dismissNotice: () => noticeItem.setValue(null),
    obsConnect: (url: string, password: string) => env.send({ type: 'obs.connect', url, password }),
    obsDisconnect: () => env.send({ type: 'obs.disconnect' }),
    obsSetScene: (scene: string) => env.send({ type: 'obs.scene', scene }),
    obsAddOverlay: (sceneName: string) => withRoom((roomKey) => env.send({ type: 'obs.overlay.add', roomKey, sceneName })),
    obsRefreshOverlay: () => env.send({ type: 'obs.overlay.refresh' }),
    obsOverlayVisible: (visible: boolean | null) => withRoom((roomKey) => env.send({ type: 'obs.overlay.visible', roomKey, visible })),
    obsSetSwitchScene: (switchScene: boolean) => withRoom((roomKey) => env.send({ type: 'obs.options', roomKey, switchScene })),
    obsSetCardSource: (cardSource: ObsRoomOptions['cardSource']) => withRoom((roomKey) => env.send({ type: 'obs.options', roomKey, cardSource })),
  };
}

export type ConsoleState = ReturnType<typeof createConsoleState>;
