/**
 * The web console's view model: the same ConsoleState the side panel's components are made for
 * (extension/ui/console-state.ts), built on what a web page has instead of the extension's worker
 * and storage. The page holds its own socket (common/relay-connection.ts, as the worker does) and
 * the same outbox (common/outbox.ts) kept in localStorage, so commands tapped on flaky mobile data
 * wait ("2 waiting") and are delivered exactly once with the ids made at the tap. One room, the
 * one of the link; no OBS (that needs the extension beside OBS).
 */
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { AuditEntry } from '../../shared/audit';
import type { Command } from '../../shared/commands';
import type { Product } from '../../shared/domain';
import { reportLink } from '../../shared/report-link';
import { newCommandId } from '../common/ids';
import type { Response } from '../common/messages';
import { Outbox, refusalNotice } from '../common/outbox';
import { openRelayConnection, type ConnectionEvent, type RelayConnection } from '../common/relay-connection';
import type { ConnectionStatus, LocaleSetting, Notice, OutboxEntry } from '../common/storage-items';
import type { CommandDraft, ConsoleState, RoomView } from '../ui/console-state';
import type { HostTools } from '../ui/host-tools';
import { resolveLocale, translator } from '../ui/i18n';
import { createRoomFollower } from '../ui/room-follower';
import { forgetPairing, localOutboxStore, readLocaleSetting, readNotice, updatePairing, writeLocaleSetting, writeNotice, type WebPairing } from './web-pairing';

export interface WebConsoleEnv {
  pairing: WebPairing;
  store: Storage;
  preferredLanguages: readonly string[];
  connect?: typeof openRelayConnection;
  now?: () => number;
  /** The page's online/offline events (a phone losing its data connection). */
  network?: Pick<Window, 'addEventListener' | 'removeEventListener'>;
}

export interface WebConsoleState extends ConsoleState {
  /** The relay let this token in with a role that has no console (the overlay's token). */
  noConsole: ReadonlySignal<boolean>;
}

const unsupported = (what: string): Promise<Response> => Promise.resolve({ ok: false, problem: 'invalid', message: `${what} needs the LiveShelf extension` });

export function createWebConsoleState(env: WebConsoleEnv): WebConsoleState {
  const now = env.now ?? Date.now;
  const { store } = env;
  const key = env.pairing.key;
  const rooms = signal<RoomView[]>([toView(env.pairing)]);
  const activeKey = signal<string | null>(key);
  const status = signal<ConnectionStatus>({ roomKey: key, phase: 'connecting', role: env.pairing.role, problem: null, detail: null, since: now() });
  const entries = signal<OutboxEntry[]>([]);
  const localeSetting = signal<LocaleSetting>(readLocaleSetting(store));
  const notice = signal<Notice | null>(readNotice(store));
  const recentSales = signal<string[]>([]);
  const loaded = signal(false);
  const noConsole = signal(false);
  const shown = createRoomFollower(activeKey, () => undefined, null);
  const room = shown.room;

  const activeRoom = computed(() => rooms.value[0] ?? null);
  const role = computed(() => activeRoom.value?.role ?? null);
  const locale = computed(() => resolveLocale(localeSetting.value, env.preferredLanguages));
  const currentProduct = computed<Product | null>(() => room.value?.products.find((p) => p.id === room.value?.currentProductId) ?? null);

  const setNotice = (n: Notice | null) => {
    notice.value = n;
    writeNotice(store, n);
  };
  const outbox = new Outbox(
    localOutboxStore(store, (v) => (entries.value = v)),
    {
      now,
      onRefused: (entry, error) => {
        setNotice(refusalNotice(entry, error, now()));
        if (entry.command.type === 'sale.record') recentSales.value = recentSales.value.filter((id) => id !== entry.id);
      },
    },
  );
  const setRoom = (change: Partial<Pick<RoomView, 'role' | 'title' | 'overlayUrl'>>) => {
    rooms.value = rooms.value.map((r) => ({ ...r, ...change }));
    updatePairing(store, key, change);
  };

  // The host's log and people (ui/host-tools.ts): the page holds the token, so it calls the
  // relay's host routes itself. Loaded once a host's room state is shown (it is below the queue,
  // and not in the first bundle); live entries heard before wait here.
  const { relayUrl, room: roomId, token } = env.pairing;
  const hostTools = signal<HostTools | null>(null);
  let heard: AuditEntry[] = [];
  let hostLoading = false;
  function loadHostTools(): void {
    if (hostLoading) return;
    hostLoading = true;
    void import('../ui/host-tools').then((m) => {
      const tools = m.createHostTools({
        api: { call: (c) => m.fetchHostCall(relayUrl, roomId, token, c) },
        room,
        send: (cmd) => enqueue(cmd),
        notice,
        dismissNotice: async () => setNotice(null),
        online: computed(() => status.value.phase === 'online'),
        // This page holds the host token: the report page gets it in its fragment, as links.report does.
        openReport: () => void window.open(reportLink(relayUrl, roomId, token), '_blank', 'noopener'),
      });
      tools.takeLive(heard);
      heard = [];
      hostTools.value = tools;
    });
  }
  const takeAudit = (list: AuditEntry[]) => {
    if (hostTools.value) hostTools.value.takeLive(list);
    else heard = [...heard, ...list];
  };

  let connection: RelayConnection | null = null;
  function onEvent(e: ConnectionEvent): void {
    const base = { roomKey: key, since: now(), role: role.value };
    if (e.type === 'connecting') status.value = { ...base, phase: 'connecting', problem: null, detail: null };
    else if (e.type === 'online') {
      if (e.welcome.role !== 'host' && e.welcome.role !== 'cohost') {
        // The overlay's token in a console link: the relay lets it watch, but there is nothing to control.
        noConsole.value = true;
        connection?.close();
        return;
      }
      if (e.welcome.role !== role.value) setRoom({ role: e.welcome.role });
      status.value = { ...base, role: e.welcome.role, phase: 'online', problem: null, detail: null };
      if (connection) void outbox.attach(key, connection.transport);
    } else {
      outbox.detach();
      status.value = { ...base, phase: e.type, problem: e.problem, detail: e.detail };
      // A refused token is forgotten (the page would otherwise retry it at every open); the link opens it again.
      if (e.type === 'refused' && e.problem === 'unauthorized') forgetPairing(store, key);
    }
  }

  async function load(): Promise<() => void> {
    entries.value = await outbox.pending();
    loaded.value = true;
    connection = (env.connect ?? openRelayConnection)(env.pairing, {
      event: onEvent,
      state: (s) => {
        shown.take(key, s);
        if (s.room.title !== activeRoom.value?.title) setRoom({ title: s.room.title });
        if (role.value === 'host') loadHostTools();
      },
      audit: takeAudit,
    });
    // A phone that lost its network keeps a dead socket for up to a minute (ping timeout): the
    // browser's offline event closes it at once, so taps go to the outbox; online reconnects.
    const offline = () => connection?.suspend();
    const online = () => connection?.reconnect();
    env.network?.addEventListener('offline', offline);
    env.network?.addEventListener('online', online);
    return () => {
      env.network?.removeEventListener('offline', offline);
      env.network?.removeEventListener('online', online);
      outbox.detach();
      connection?.close();
      hostTools.value?.stop();
    };
  }

  async function enqueue(command: Command): Promise<Response> {
    const queued = await outbox.enqueue(key, command);
    return { ok: true, roomKey: key, queued };
  }

  return {
    surface: 'web',
    noConsole,
    rooms,
    activeKey,
    activeRoom,
    status,
    room,
    waiting: computed(() => entries.value.filter((e) => e.roomKey === key).length),
    canUndo: computed(() => recentSales.value.length > 0),
    notice,
    locale,
    localeSetting,
    t: computed(() => translator(locale.value)),
    role,
    isHost: computed(() => role.value === 'host'),
    currentProduct,
    loaded,
    synced: loaded,
    hasOverlay: computed(() => (activeRoom.value?.overlayUrl ?? null) !== null),
    pairFailure: signal(null),
    obs: signal(null),
    obsSettings: signal(null),
    obsOptions: signal({ switchScene: false, overlayScene: null, cardSource: null }),
    host: computed(() => {
      const tools = hostTools.value;
      return role.value === 'host' ? tools : null;
    }),
    load,
    command(draft: CommandDraft) {
      const cmd = { ...draft, id: newCommandId(draft.type.split('.')[0] ?? 'cmd') } as Command;
      if (cmd.type === 'sale.record') recentSales.value = [...recentSales.value, cmd.id].slice(-50);
      return enqueue(cmd);
    },
    undoSale() {
      const last = recentSales.value.at(-1);
      if (!last) return Promise.resolve({ ok: false, problem: 'nothing_to_undo', message: 'no sale recorded from this page' });
      recentSales.value = recentSales.value.slice(0, -1);
      // The sale id is the id of its sale.record, so this works even before that one was acked.
      return enqueue({ id: newCommandId('void'), type: 'sale.void', saleId: last });
    },
    pair: () => unsupported('pairing another room'),
    selectRoom: () => unsupported('switching rooms'),
    forgetRoom: () => unsupported('forgetting a room'),
    setOverlayUrl: async (_roomKey, overlayUrl) => {
      setRoom({ overlayUrl });
      return { ok: true };
    },
    setLocale: async (value) => {
      localeSetting.value = value;
      writeLocaleSetting(store, value);
    },
    dismissNotice: async () => setNotice(null),
    obsConnect: () => unsupported('OBS'),
    obsDisconnect: () => unsupported('OBS'),
    obsSetScene: () => unsupported('OBS'),
    obsAddOverlay: () => unsupported('OBS'),
    obsRefreshOverlay: () => unsupported('OBS'),
    obsOverlayVisible: () => unsupported('OBS'),
    obsSetSwitchScene: () => unsupported('OBS'),
    obsSetCardSource: () => unsupported('OBS'),
  };
}

const toView = ({ token: _token, ...view }: WebPairing): RoomView => view;
