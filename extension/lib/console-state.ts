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
import { CONSOLE_PORT, parsePush, type ConsolePush, type ObsPush } from './console-port';
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
  /** Live room states and OBS statuses pushed by the worker; returns the stop function. */
  follow?(onPush: (push: ConsolePush) => void): () => void;
}

export function browserEnv(): ConsoleEnv {
  return {
    send: (request) => browser.runtime.sendMessage(request) as Promise<Response>,
    preferredLanguages: navigator.languages?.length ? navigator.languages : [navigator.language],
    follow(onPush) {
      let stopped = false;
      let port: ReturnType<typeof browser.runtime.connect> | null = null;
      const open = () => {
        port = browser.runtime.connect({ name: CONSOLE_PORT });
        port.onMessage.addListener((m: unknown) => {
          const push = parsePush(m);
          if (push) onPush(push);
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
    const keep = o !== undefined && (Object.keys(p) as (keyof Product)[]).every((k) => o[k] === p[k]);
    if (!keep || prev.products[i] !== o) same = false;
    return keep ? o : p;
  });
  return { ...next, products: same ? prev.products : products };
}

/**
 * The active room key as this page last saw it (a `room@host` key, no token), kept in the
 * page's own synchronous localStorage: load() then reads the cached state in the same storage
 * round trip as everything else instead of one round trip later. A wrong hint costs that one
 * extra read, nothing more.
 */
const ACTIVE_HINT = 'liveshelf:activeRoom';
function activeHint(): string | null {
  try {
    return globalThis.localStorage?.getItem(ACTIVE_HINT) ?? null;
  } catch {
    return null;
  }
}
function rememberActive(key: string | null): void {
  try {
    if (key) globalThis.localStorage?.setItem(ACTIVE_HINT, key);
    else globalThis.localStorage?.removeItem(ACTIVE_HINT);
  } catch {
    // No localStorage (unit tests): only the hint is lost.
  }
}

const isLoopback = (origin: string) => /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i.test(origin);

export function createConsoleState(env: ConsoleEnv) {
  const rooms = signal<SavedRoom[]>([]);
  const activeKey = signal<string | null>(null);
  const status = signal<ConnectionStatus>(IDLE_STATUS);
  const room = signal<RoomState | null>(null);
  const outbox = signal<OutboxEntry[]>([]);
  const settings = signal<Settings>({ locale: 'auto' });
  const notice = signal<Notice | null>(null);
  const recentSales = signal<RecentSale[]>([]);
  const loaded = signal(false);
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

  let unwatchState: (() => void) | null = null;
  async function followState(key: string | null): Promise<void> {
    unwatchState?.();
    unwatchState = null;
    if (!key) {
      room.value = null;
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
    const prev = room.value;
    if (s && prev && prev.id === s.id && s.version <= prev.version) return;
    room.value = s ? shareUnchanged(prev, s) : null;
  }

  /** Reads everything from storage, then follows changes. Returns the stop function. */
  async function load(): Promise<() => void> {
    const hint = activeHint();
    const hinted = hint ? storage.getItem<RoomState>(stateKey(hint)) : null;
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
    const cached = !a ? null : a === hint && hinted ? await hinted : await storage.getItem<RoomState>(stateKey(a));
    rememberActive(a);
    batch(() => {
      rooms.value = r;
      activeKey.value = a;
      status.value = s;
      outbox.value = o;
      settings.value = st;
      notice.value = n;
      recentSales.value = rs;
      room.value = cached;
      obsSettings.value = os;
      obsRoomOptions.value = oo;
      loaded.value = true;
    });
    void followState(a);
    const unwatch = [
      roomsItem.watch((v) => (rooms.value = v)),
      activeRoomItem.watch((v) => {
        activeKey.value = v;
        rememberActive(v);
        void followState(v);
      }),
      connectionItem.watch((v) => (status.value = v)),
      outboxItem.watch((v) => (outbox.value = v)),
      settingsItem.watch((v) => (settings.value = v)),
      noticeItem.watch((v) => (notice.value = v)),
      recentSalesItem.watch((v) => (recentSales.value = v)),
      obsSettingsItem.watch((v) => (obsSettings.value = v)),
      obsRoomOptionsItem.watch((v) => (obsRoomOptions.value = v)),
    ];
    const stopFollow = env.follow?.((push) => (push.type === 'room.state' ? setRoom(push.roomKey, push.state) : (obs.value = push)));
    // Wake the worker so it connects the active room (if it is not) and retries the outbox.
    void env.send({ type: 'hello' }).catch(() => undefined);
    return () => {
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
    pairFailure: computed(() => pairFailure.value),
    obs: computed(() => obs.value),
    /** The saved OBS address (and password, for the form's field only). */
    obsSettings: computed(() => obsSettings.value),
    obsOptions: computed(() => obsOptionsOf(obsRoomOptions.value, activeKey.value)),
    // actions
    load,
    command,
    pair,
    undoSale: () => (activeKey.value ? env.send({ type: 'sale.undo', roomKey: activeKey.value }) : Promise.resolve<Response>({ ok: false, problem: 'no_room', message: '' })),
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
