/**
 * The console's view model (side panel, popup, options): one factory, signals out read-only,
 * named actions (house rule 7; the shape of overlay/page/overlay-state.ts). It renders from
 * storage first — the cached room state, the connection status, the outbox — so the panel is
 * instant even when the worker sleeps, and follows what the worker publishes in storage and
 * pushes over the page's port. Actions only send messages to the worker.
 * Its parts: the room state shown and how it moves forward (room-follower.ts), the first-paint
 * copy painted before storage is read and when it is written (first-paint.ts,
 * first-paint-cache.ts), the port to the worker (console-env.ts, ConsoleEnv.follow).
 */
import { batch, computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { AuditEntry } from '../../shared/audit';
import type { Command } from '../../shared/commands';
import type { Product, RoomState } from '../../shared/domain';
import type { Locale } from '../../shared/i18n/locale.js';
import type { ConsolePush, ObsPush } from '../common/console-port';
import { createFirstPaintCache } from './first-paint-cache';
import { readCopy, type SyncStore } from './first-paint';
import { resolveLocale, translator, type Translate } from './i18n';
import { newCommandId } from '../common/ids';
import type { Request, Response } from '../common/messages';
import type { HostTools } from './host-tools';
import { createRoomFollower, type StateCache } from './room-follower';
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
} from '../common/storage-items';

export { shareUnchanged } from './room-follower';

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

/** The worker's cached room states, in extension storage. */
const storageCache: StateCache = {
  get: (key) => storage.getItem<RoomState>(stateKey(key)),
  watch: (key, onChange) => storage.watch<RoomState>(stateKey(key), onChange),
};

/** A remembered room as the pages hold it: never its token (only the worker uses it). */
export type RoomView = Omit<SavedRoom, 'token'>;
const withoutToken = (rooms: readonly SavedRoom[]): RoomView[] => rooms.map(({ token: _token, ...view }) => view);

const isLoopback = (origin: string) => /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i.test(origin);

type Failure = Extract<Response, { ok: false }>;

export interface ConsoleState {
  /**
   * Where the console runs: the extension (side panel, popup, options: OBS control, several
   * rooms, pairing by pasting) or the web console at the pairing link (extension/web/: one room,
   * no OBS, which needs the extension). The components hide what the surface cannot do.
   */
  surface: 'extension' | 'web';
  rooms: ReadonlySignal<RoomView[]>;
  activeKey: ReadonlySignal<string | null>;
  activeRoom: ReadonlySignal<RoomView | null>;
  status: ReadonlySignal<ConnectionStatus>;
  room: ReadonlySignal<RoomState | null>;
  /** Commands of the active room still in the outbox. */
  waiting: ReadonlySignal<number>;
  canUndo: ReadonlySignal<boolean>;
  notice: ReadonlySignal<Notice | null>;
  locale: ReadonlySignal<Locale>;
  localeSetting: ReadonlySignal<LocaleSetting>;
  t: ReadonlySignal<Translate>;
  role: ReadonlySignal<RoomView['role'] | null>;
  isHost: ReadonlySignal<boolean>;
  currentProduct: ReadonlySignal<Product | null>;
  /** Something to render: the first-paint copy or storage. */
  loaded: ReadonlySignal<boolean>;
  /** Storage has been read (until then the view may come from the first-paint copy). */
  synced: ReadonlySignal<boolean>;
  /** The active room has an overlay link (known from the copy before storage is read). */
  hasOverlay: ReadonlySignal<boolean>;
  /** The last pairing failure; kept here, not in the form, because the view may switch meanwhile. */
  pairFailure: ReadonlySignal<{ link: string; response: Failure } | null>;
  /** OBS as the worker last reported it (null until it did: the worker may be asleep). */
  obs: ReadonlySignal<ObsPush | null>;
  /** The saved OBS address (and password, for the form's field only). */
  obsSettings: ReadonlySignal<ObsSettings | null>;
  obsOptions: ReadonlySignal<ObsRoomOptions>;
  /** The host's log and people (host-tools.ts); null for a co-host, or a surface without them. */
  host: ReadonlySignal<HostTools | null>;
  /**
   * Paints from the first-paint copy at once (synchronously, before the first await), then
   * reads everything from storage, which replaces the copy, then follows changes.
   * Resolves to the stop function.
   */
  load(): Promise<() => void>;
  /** Sends a command of the active room, with an id made now (the click), via the outbox. */
  command(draft: CommandDraft): Promise<Response>;
  /**
   * Pairing from a page: asks for host access first when the relay is not on this machine
   * (an optional permission, granted only for that relay, from the click's user gesture).
   */
  pair(link: string): Promise<Response>;
  undoSale(): Promise<Response>;
  selectRoom(roomKey: string): Promise<Response>;
  forgetRoom(roomKey: string): Promise<Response>;
  setOverlayUrl(roomKey: string, overlayUrl: string | null): Promise<Response>;
  setLocale(value: LocaleSetting): Promise<void>;
  dismissNotice(): Promise<void>;
  obsConnect(url: string, password: string): Promise<Response>;
  obsDisconnect(): Promise<Response>;
  obsSetScene(scene: string): Promise<Response>;
  obsAddOverlay(sceneName: string): Promise<Response>;
  obsRefreshOverlay(): Promise<Response>;
  obsOverlayVisible(visible: boolean | null): Promise<Response>;
  obsSetSwitchScene(switchScene: boolean): Promise<Response>;
  obsSetCardSource(cardSource: ObsRoomOptions['cardSource']): Promise<Response>;
  /** The seller-page reader's requests (issue 13; the extension only: it needs a content script). */
  reader?(request: ReaderRequest): Promise<Response>;
}

export type ReaderRequest = Extract<Request, { type: 'reader.start' | 'reader.bind' | 'reader.cancel' | 'reader.remove' }>;

export function createConsoleState(env: ConsoleEnv): ConsoleState {
  const rooms = signal<RoomView[]>([]);
  const activeKey = signal<string | null>(null);
  const status = signal<ConnectionStatus>(IDLE_STATUS);
  const outbox = signal<OutboxEntry[]>([]);
  const settings = signal<Settings>({ locale: 'auto' });
  const notice = signal<Notice | null>(null);
  const recentSales = signal<RecentSale[]>([]);
  const loaded = signal(false);
  const synced = signal(false);
  /** Before the storage read: whether the copy's active room has an overlay link (the link itself is not in the copy). */
  const copyHasOverlay = signal(false);
  const obs = signal<ObsPush | null>(null);
  const obsSettings = signal<ObsSettings | null>(null);
  const obsRoomOptions = signal<Record<string, ObsRoomOptions>>({});
  const pairFailure = signal<{ link: string; response: Failure } | null>(null);
  /** The host's log and people (host-tools.ts), for the room `hostFor`; loaded after storage is read. */
  const hostTools = signal<HostTools | null>(null);
  let hostFor: string | null = null;
  /** Live log entries of `hostFor` heard before its tools were loaded. */
  let heard: AuditEntry[] = [];

  const copyStore = env.firstPaint ?? null;
  const copies = createFirstPaintCache({
    store: copyStore,
    synced: () => synced.value,
    shown: () => ({ roomKey: activeKey.value, state: shown.shownKey === activeKey.value ? shown.room.value : null, rooms: rooms.value, locale: settings.value.locale }),
    onSaved: env.onCopySaved,
  });
  const shown = createRoomFollower(activeKey, () => copies.saveSoon(), storageCache);
  const room = shown.room;

  const locale = computed(() => resolveLocale(settings.value.locale, env.preferredLanguages));
  const t = computed(() => translator(locale.value));
  const activeRoom = computed(() => rooms.value.find((r) => r.key === activeKey.value) ?? null);
  const role = computed(() => activeRoom.value?.role ?? null);
  const isHost = computed(() => role.value === 'host');
  const waiting = computed(() => outbox.value.filter((e) => e.roomKey === activeKey.value).length);
  const canUndo = computed(() => recentSales.value.some((s) => s.roomKey === activeKey.value));
  const currentProduct = computed(() => room.value?.products.find((p) => p.id === room.value?.currentProductId) ?? null);
  const hasOverlay = computed(() => (synced.value ? (activeRoom.value?.overlayUrl ?? null) !== null : copyHasOverlay.value));

  /** The tools of the host room `key`: the worker calls the relay for them, with the room's token. */
  function ensureHostTools(key: string): void {
    if (hostFor === key) return;
    hostTools.value?.stop();
    hostTools.value = null;
    hostFor = key;
    heard = [];
    void import('./host-tools').then((m) => {
      if (hostFor !== key) return;
      const tools = m.createHostTools({
        api: {
          call: async (call) => {
            const r = await env.send({ type: 'host.call', roomKey: key, call }).catch((err: unknown) => ({ ok: false as const, problem: 'invalid' as const, message: String(err) }));
            if (r.ok) return r.host ?? { ok: false, status: 0, code: 'internal', message: 'no answer' };
            return { ok: false, status: 0, code: r.problem, message: r.message };
          },
        },
        room,
        send: (command) => env.send({ type: 'command', roomKey: key, command }),
        notice,
        dismissNotice: () => noticeItem.setValue(null),
        online: computed(() => status.value.phase === 'online' && status.value.roomKey === key),
        openReport: () => void env.send({ type: 'report.open', roomKey: key }),
      });
      tools.takeLive(heard);
      heard = [];
      hostTools.value = tools;
    });
  }

  let markSynced: () => void = () => {};
  const whenSynced = new Promise<void>((resolve) => (markSynced = resolve));

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
        shown.replace(copy.roomKey, copy.state);
        loaded.value = true;
      });
    }
    // The copy is on screen: storage is read after its frame (a click meanwhile waits for it).
    if (copy && env.afterFirstPaint) await env.afterFirstPaint();
    // The copy's room is most likely still the active one: its state is read in the same round trip.
    const hinted = copy ? storageCache.get(copy.roomKey) : null;
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
    const cached = !a ? null : a === copy?.roomKey && hinted ? await hinted : await storageCache.get(a);
    batch(() => {
      rooms.value = withoutToken(r);
      activeKey.value = a;
      status.value = s;
      outbox.value = o;
      settings.value = st;
      notice.value = n;
      recentSales.value = rs;
      shown.replace(a, cached);
      obsSettings.value = os;
      obsRoomOptions.value = oo;
      loaded.value = true;
      synced.value = true;
    });
    markSynced();
    if (copy && copy.roomKey !== a) copies.drop();
    copies.saveSoon();
    void shown.follow(a);
    const onHide = () => copies.saveNow();
    globalThis.addEventListener?.('pagehide', onHide);
    const unwatch = [
      roomsItem.watch((v) => {
        rooms.value = withoutToken(v);
        copies.saveSoon();
      }),
      activeRoomItem.watch((v) => {
        if (v !== activeKey.value) copies.drop();
        activeKey.value = v;
        void shown.follow(v);
      }),
      connectionItem.watch((v) => (status.value = v)),
      outboxItem.watch((v) => (outbox.value = v)),
      settingsItem.watch((v) => {
        settings.value = v;
        copies.saveSoon();
      }),
      noticeItem.watch((v) => (notice.value = v)),
      recentSalesItem.watch((v) => (recentSales.value = v)),
      obsSettingsItem.watch((v) => (obsSettings.value = v)),
      obsRoomOptionsItem.watch((v) => (obsRoomOptions.value = v)),
    ];
    const stopFollow = env.follow?.((push, resync) => {
      if (push.type === 'room.state') shown.take(push.roomKey, push.state);
      else if (push.type === 'room.patch') shown.patch(push, resync);
      else if (push.type === 'audit.entries') {
        if (push.roomKey !== hostFor) return;
        if (hostTools.value) hostTools.value.takeLive(push.entries);
        else heard = [...heard, ...push.entries];
      } else obs.value = push;
    });
    // A host room shown: its log and people load (below the queue, after the first paint).
    const stopHost = effect(() => {
      const key = activeKey.value;
      if (key && isHost.value && room.value) ensureHostTools(key);
    });
    // Wake the worker so it connects the active room (if it is not) and retries the outbox.
    void env.send({ type: 'hello' }).catch(() => undefined);
    return () => {
      copies.saveNow();
      globalThis.removeEventListener?.('pagehide', onHide);
      unwatch.forEach((u) => u());
      shown.stop();
      stopFollow?.();
      stopHost();
      hostTools.value?.stop();
    };
  }

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
    surface: 'extension',
    rooms,
    activeKey,
    activeRoom,
    status,
    room,
    waiting,
    canUndo,
    notice,
    locale,
    localeSetting: computed(() => settings.value.locale),
    t,
    role,
    isHost,
    currentProduct,
    loaded,
    synced,
    hasOverlay,
    pairFailure,
    obs,
    obsSettings,
    obsOptions: computed(() => obsOptionsOf(obsRoomOptions.value, activeKey.value)),
    host: computed(() => {
      // Read first: the tools arrive after the role and the room (a dynamic import).
      const tools = hostTools.value;
      return isHost.value && hostFor === activeKey.value ? tools : null;
    }),
    load,
    command,
    pair,
    undoSale: () => whenSynced.then(() => (activeKey.value ? env.send({ type: 'sale.undo', roomKey: activeKey.value }) : { ok: false, problem: 'no_room', message: '' } satisfies Response)),
    selectRoom: (roomKey) => env.send({ type: 'room.select', roomKey }),
    forgetRoom: (roomKey) => env.send({ type: 'room.forget', roomKey }),
    setOverlayUrl: (roomKey, overlayUrl) => env.send({ type: 'room.overlay', roomKey, overlayUrl }),
    setLocale: (value) => settingsItem.setValue({ ...settings.value, locale: value }),
    dismissNotice: () => noticeItem.setValue(null),
    obsConnect: (url, password) => env.send({ type: 'obs.connect', url, password }),
    obsDisconnect: () => env.send({ type: 'obs.disconnect' }),
    obsSetScene: (scene) => env.send({ type: 'obs.scene', scene }),
    obsAddOverlay: (sceneName) => withRoom((roomKey) => env.send({ type: 'obs.overlay.add', roomKey, sceneName })),
    obsRefreshOverlay: () => env.send({ type: 'obs.overlay.refresh' }),
    obsOverlayVisible: (visible) => withRoom((roomKey) => env.send({ type: 'obs.overlay.visible', roomKey, visible })),
    obsSetSwitchScene: (switchScene) => withRoom((roomKey) => env.send({ type: 'obs.options', roomKey, switchScene })),
    reader: (request) => env.send(request),
    obsSetCardSource: (cardSource) => withRoom((roomKey) => env.send({ type: 'obs.options', roomKey, cardSource })),
  };
}
