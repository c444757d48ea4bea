/**
 * The background worker's logic, as a factory so unit tests run it under fakeBrowser.
 * It owns the one relay connection of the active room, the outbox, the state cache and the
 * keyboard commands. Pages talk to it only through validated messages (common/messages.ts) and read
 * what it publishes in storage (status, cached state, outbox), so a page opened while the
 * worker sleeps renders at once from storage.
 */
import { browser, type Browser } from 'wxt/browser';
import { roleMay, type Command } from '../../shared/commands';
import type { RoomState } from '../../shared/domain';
import { parsePairingLink } from '../../shared/pairing';
import { newCommandId } from '../common/ids';
// Type only: the page words the code (ui/input-errors.ts); nothing of the pages runs here.
import type { ConsolePairingError } from '../ui/input-errors';
import { CONSOLE_PORT, isSyncRequest, type AuditPush, type PatchPush, type StatePush } from '../common/console-port';
import { fetchHostCall } from '../common/host-calls';
import { reportLink } from '../../shared/report-link';
import type { RoomPatch } from '../../shared/room-patch';
import { parseRequest, type Request, type Response } from '../common/messages';
import { createObsHost, type ObsHostDeps } from './obs-host';
import { createReaderHost } from './reader-host';
import { Outbox, refusalNotice } from '../common/outbox';
import { openRelayConnection, type ConnectionEvent, type RelayConnection } from '../common/relay-connection';
import {
  activeRoomItem,
  connectionItem,
  getCachedState,
  IDLE_STATUS,
  noticeItem,
  outboxItem,
  recentSalesItem,
  removeCachedState,
  roomKeyOf,
  roomsItem,
  setCachedState,
  type ConnectionStatus,
  type RecentSale,
  type SavedRoom,
} from '../common/storage-items';

export const KEYBOARD_COMMANDS = ['sale-plus-one', 'card-next', 'card-toggle'] as const;
export type KeyboardCommand = (typeof KEYBOARD_COMMANDS)[number];
const RETRY_ALARM = 'liveshelf-retry';
const PAIR_WAIT_MS = 8000;
// A state is ~120 kB with 500 products and its write holds the browser's storage for tens of
// ms, delaying the outbox writes behind it; open pages get live states over their port anyway.
const CACHE_WRITE_MS = 1000;


export interface BackgroundDeps {
  connect?: typeof openRelayConnection;
  now?: () => number;
  createObsControl?: ObsHostDeps['createControl'];
}

export function createBackground(deps: BackgroundDeps = {}) {
  const connect = deps.connect ?? openRelayConnection;
  const now = deps.now ?? Date.now;
  let conn: { roomKey: string; connection: RelayConnection } | null = null;
  /** Whoever waits for the first outcome of a connection attempt (pairing). */
  let outcomeWaiters: Array<(status: ConnectionStatus) => void> = [];
  let lastVersion = -1;
  /** The latest state of the active room, for keyboard shortcuts (storage has it too). */
  let latest: { roomKey: string; state: RoomState } | null = null;
  /** Pages with the console open: they get each state at once over their port. */
  const ports = new Set<Browser.runtime.Port>();
  /** OBS, for a host room only; its status goes to the open pages like the room state. */
  const obs = createObsHost({
    ...(deps.createObsControl && { createControl: deps.createObsControl }),
    publish: (push) => {
      for (const port of ports) port.postMessage(push);
    },
  });

  // The worker is the only writer of these, so it keeps them in memory after the first read
  // (the hot path of a +1 click then touches storage once, for the outbox).
  let roomsMemo: Promise<SavedRoom[]> | null = null;
  let activeMemo: Promise<string | null> | null = null;
  let recentMemo: Promise<RecentSale[]> | null = null;
  const getRooms = () => (roomsMemo ??= roomsItem.getValue());
  const getActive = () => (activeMemo ??= activeRoomItem.getValue());
  const getRecent = () => (recentMemo ??= recentSalesItem.getValue());
  async function setRooms(v: SavedRoom[]) {
    roomsMemo = Promise.resolve(v);
    await roomsItem.setValue(v);
  }
  async function setActive(v: string | null) {
    activeMemo = Promise.resolve(v);
    await activeRoomItem.setValue(v);
  }
  async function setRecent(v: RecentSale[]) {
    recentMemo = Promise.resolve(v);
    await recentSalesItem.setValue(v);
  }

  /** The state cache in storage is written at most every CACHE_WRITE_MS (a page renders from it on open). */
  let cacheTimer: ReturnType<typeof setTimeout> | null = null;
  function cacheState(key: string, state: RoomState): void {
    if (cacheTimer) return;
    cacheTimer = setTimeout(() => {
      cacheTimer = null;
      if (latest) void setCachedState(latest.roomKey, latest.state);
    }, CACHE_WRITE_MS);
    void setCachedState(key, state);
  }

  const outbox = new Outbox(outboxItem, {
    now,
    onRefused: (entry, error) => {
      void noticeItem.setValue(refusalNotice(entry, error, now()));
      if (entry.command.type === 'sale.record') void forgetRecentSale(entry.id);
    },
  });

  async function setStatus(status: ConnectionStatus): Promise<void> {
    await connectionItem.setValue(status);
    if (status.phase !== 'connecting') {
      const waiters = outcomeWaiters;
      outcomeWaiters = [];
      for (const w of waiters) w(status);
    }
  }

  async function activeRoom(): Promise<SavedRoom | null> {
    const [key, rooms] = await Promise.all([getActive(), getRooms()]);
    return rooms.find((r) => r.key === key) ?? null;
  }

  /** (Re)opens the connection of the active room; closes any other. Idempotent. */
  async function activate(force = false): Promise<void> {
    const room = await activeRoom();
    // Before any other await: an OBS request handled right after activate() sees the role.
    void obs.sync(room);
    if (conn && (force || conn.roomKey !== room?.key)) {
      conn.connection.close();
      outbox.detach();
      conn = null;
    }
    if (!room) {
      await setStatus(IDLE_STATUS);
      return;
    }
    if (conn) return;
    const cached = await getCachedState(room.key);
    lastVersion = cached?.version ?? -1;
    latest = cached ? { roomKey: room.key, state: cached } : null;
    const key = room.key;
    if (conn) return; // another activate() won the race while we read the cache
    /** The title saved with the room; compared with each state's, so it is written once per change. */
    let savedTitle = room.title;
    /** The relay was unreachable since this connection was opened (for the overlay refresh). */
    let wasOffline = false;
    const onEvent = (e: ConnectionEvent) => {
      if (conn?.roomKey !== key) return;
      const base = { roomKey: key, since: now() };
      if (e.type === 'connecting') void setStatus({ ...base, phase: 'connecting', role: room.role, problem: null, detail: null });
      else if (e.type === 'online') {
        if (wasOffline) void obs.onRelayBack(key);
        wasOffline = false;
        void setStatus({ ...base, phase: 'online', role: e.welcome.role, problem: null, detail: null });
        if (conn) void outbox.attach(key, conn.connection.transport);
      } else {
        outbox.detach();
        if (e.type === 'offline') wasOffline = true;
        void setStatus({ ...base, phase: e.type, role: room.role, problem: e.problem, detail: e.detail });
      }
    };
    const onState = (s: RoomState, patch?: RoomPatch) => {
      if (conn?.roomKey !== key) return;
      // A restarted relay may replay the same version; never go back to an older one.
      if (s.version < lastVersion) return;
      lastVersion = s.version;
      const prev = latest?.roomKey === key ? latest.state : null;
      latest = { roomKey: key, state: s };
      void obs.onState(key, prev, s);
      // Every open page holds `prev` (it got the whole state when it connected, then each change
      // in order): when the relay's patch was made from `prev`, the pages get that patch as it
      // came (one diff per commit, made by the relay). A whole state from the relay (a connect,
      // a resync), or a patch made from another state than `prev`, goes as the whole state.
      // A page that does not hold `prev` asks for the whole state.
      const fits = patch && prev && prev.id === patch.id && prev.version === patch.baseVersion;
      const push: StatePush | PatchPush = fits ? { type: 'room.patch', roomKey: key, patch } : { type: 'room.state', roomKey: key, state: s };
      for (const port of ports) port.postMessage(push);
      cacheState(key, s);
      if (s.room.title !== savedTitle) {
        savedTitle = s.room.title;
        void rememberTitle(key, s.room.title);
      }
    };
    // The log's live entries (host connections only) go to the open pages as they came.
    const onAudit = (entries: AuditPush['entries']) => {
      if (conn?.roomKey !== key) return;
      for (const port of ports) port.postMessage({ type: 'audit.entries', roomKey: key, entries } satisfies AuditPush);
    };
    conn = { roomKey: key, connection: connect(room, { event: onEvent, state: onState, audit: onAudit }) };
  }

  async function rememberTitle(key: string, title: string): Promise<void> {
    const rooms = await getRooms();
    await setRooms(rooms.map((r) => (r.key === key ? { ...r, title } : r)));
  }

  async function forgetRecentSale(saleId: string): Promise<void> {
    const recent = await getRecent();
    await setRecent(recent.filter((s) => s.saleId !== saleId));
  }

  function waitForOutcome(): Promise<ConnectionStatus | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), PAIR_WAIT_MS);
      outcomeWaiters.push((s) => {
        clearTimeout(timer);
        resolve(s);
      });
    });
  }

  async function pair(link: string): Promise<Response> {
    // The page words the code in the host's language (input-errors.ts); `message` is for logs.
    const badLink = (pairing: ConsolePairingError): Response => ({ ok: false, problem: 'bad_link', message: `bad pairing link: ${pairing.code}`, pairing });
    const parsed = parsePairingLink(link);
    if (!parsed.ok) return badLink(parsed.error);
    const p = parsed.pairing;
    if (p.role === 'sales') return badLink({ code: 'sales_link', params: {} });
    // A /pair link with the overlay's token is the overlay's credentials: it goes into OBS too.
    if (p.role !== 'host' && p.role !== 'cohost') return badLink({ code: 'overlay_link', params: {} });
    const key = roomKeyOf(p.relayUrl, p.room);
    const rooms = await getRooms();
    const previous = rooms.find((r) => r.key === key);
    const saved: SavedRoom = { key, relayUrl: p.relayUrl, room: p.room, role: p.role, token: p.token, overlayUrl: previous?.overlayUrl ?? null, title: previous?.title ?? null, pairedAt: now() };
    const previousActive = await getActive();
    await setRooms([...rooms.filter((r) => r.key !== key), saved]);
    await setActive(key);
    const outcome = waitForOutcome();
    await activate(true);
    const status = await outcome;
    if (!status) return { ok: false, problem: 'timeout', message: 'The relay did not answer in time; still trying.' };
    if (status.phase === 'online') return { ok: true, roomKey: key };
    if (status.phase === 'refused') {
      // A refused link is not remembered: the console stays on what it had before.
      await setRooms(rooms);
      await setActive(previousActive);
      await activate();
    }
    // An unreachable relay keeps the pairing: it connects by itself once the relay is up.
    return { ok: false, problem: status.problem ?? 'other', message: status.detail ?? '' };
  }

  async function enqueue(roomKey: string, command: Command): Promise<Response> {
    const room = (await getRooms()).find((r) => r.key === roomKey);
    if (!room) return { ok: false, problem: 'no_room', message: 'This room is not paired any more.' };
    // The relay refuses it anyway; refusing here keeps a co-host's outbox free of doomed commands.
    if (!roleMay(room.role, command.type)) return { ok: false, problem: 'forbidden', message: `The ${room.role} token may not send ${command.type}.` };
    let remember: Promise<void> = Promise.resolve();
    if (command.type === 'sale.record' && command.productId) {
      const recent = await getRecent();
      const next = [...recent, { saleId: command.id, roomKey, productId: command.productId, quantity: command.quantity ?? 1 }];
      remember = setRecent(next.slice(-50));
    }
    const [queued] = await Promise.all([outbox.enqueue(roomKey, command), remember]);
    return { ok: true, queued };
  }

  async function undoLastSale(roomKey: string): Promise<Response> {
    const recent = await getRecent();
    const last = [...recent].reverse().find((s) => s.roomKey === roomKey);
    if (!last) return { ok: false, problem: 'nothing_to_undo', message: 'No sale from this browser to undo.' };
    await setRecent(recent.filter((s) => s !== last));
    // The sale id is the id of its sale.record, so this works even before that one was acked.
    return enqueue(roomKey, { id: newCommandId('void'), type: 'sale.void', saleId: last.saleId });
  }

  const reader = createReaderHost({ enqueue: (roomKey, command) => enqueue(roomKey, command), room: async (key) => (await getRooms()).find((r) => r.key === key), now });

  async function handle(request: Request, sender?: Browser.runtime.MessageSender): Promise<Response> {
    const forReader = reader.handle(request, sender);
    if (forReader) return forReader;
    switch (request.type) {
      case 'pair':
        return pair(request.link);
      case 'room.select': {
        const rooms = await getRooms();
        if (!rooms.some((r) => r.key === request.roomKey)) return { ok: false, problem: 'no_room', message: 'Unknown room.' };
        await setActive(request.roomKey);
        await activate();
        return { ok: true, roomKey: request.roomKey };
      }
      case 'room.forget': {
        const rooms = await getRooms();
        await setRooms(rooms.filter((r) => r.key !== request.roomKey));
        await outbox.drop(request.roomKey);
        await removeCachedState(request.roomKey);
        if ((await getActive()) === request.roomKey) await setActive(rooms.find((r) => r.key !== request.roomKey)?.key ?? null);
        await activate();
        return { ok: true };
      }
      case 'room.overlay': {
        const rooms = await getRooms();
        await setRooms(rooms.map((r) => (r.key === request.roomKey ? { ...r, overlayUrl: request.overlayUrl || null } : r)));
        return { ok: true };
      }
      case 'command':
        return enqueue(request.roomKey, request.command);
      case 'sale.undo':
        return undoLastSale(request.roomKey);
      case 'host.call': {
        const room = (await getRooms()).find((r) => r.key === request.roomKey);
        if (!room) return { ok: false, problem: 'no_room', message: 'This room is not paired any more.' };
        if (room.role !== 'host') return { ok: false, problem: 'forbidden', message: 'Only the host pairing reads the log and manages people.' };
        return { ok: true, host: await fetchHostCall(room.relayUrl, room.room, room.token, request.call) };
      }
      case 'report.open': {
        // The report page reads the host token from its fragment (links.report); the page that
        // asked never holds it, so the worker opens the tab.
        const room = (await getRooms()).find((r) => r.key === request.roomKey);
        if (!room) return { ok: false, problem: 'no_room', message: 'This room is not paired any more.' };
        if (room.role !== 'host') return { ok: false, problem: 'forbidden', message: 'Only the host pairing opens the report.' };
        await browser.tabs.create({ url: reportLink(room.relayUrl, room.room, room.token) });
        return { ok: true };
      }
      case 'hello':
        // A page opened: make sure the active room is connected (without dropping a live socket).
        conn?.connection.reconnect();
        return { ok: true };
      case 'reconnect':
        await activate(true);
        return { ok: true };
      default:
        return (await obs.handle(request)) ?? { ok: false, problem: 'invalid', message: `unhandled request ${request.type}` };
    }
  }

  /** The validated entry point for runtime messages. */
  async function handleMessage(raw: unknown, sender?: Browser.runtime.MessageSender): Promise<Response> {
    const parsed = parseRequest(raw);
    if (!parsed.ok) return { ok: false, problem: 'invalid', message: 'malformed request', issues: parsed.issues };
    // A content script (the seller-page reader's) may send only the reader's own messages.
    const fromPage = sender?.url !== undefined && !sender.url.startsWith(`${globalThis.location?.origin}/`);
    if (fromPage && parsed.request.type !== 'reader.picked' && parsed.request.type !== 'reader.total' && parsed.request.type !== 'reader.cancel') {
      return { ok: false, problem: 'forbidden', message: 'not a request a page may send' };
    }
    await activate();
    return handle(parsed.request, sender);
  }

  /** Keyboard shortcuts: they act on the cached state, so they work with the panel closed. */
  async function onKeyboardCommand(name: string): Promise<Response> {
    const room = await activeRoom();
    if (!room) return { ok: false, problem: 'no_room', message: 'Pair a room first.' };
    await activate();
    const state = latest?.roomKey === room.key ? latest.state : await getCachedState(room.key);
    let command: Command | null = null;
    if (name === 'sale-plus-one') {
      if (state?.currentProductId) command = { id: newCommandId('key'), type: 'sale.record', productId: state.currentProductId, quantity: 1 };
    } else if (name === 'card-next') {
      command = { id: newCommandId('key'), type: 'card.next' };
    } else if (name === 'card-toggle') {
      if (state?.cardVisible) command = { id: newCommandId('key'), type: 'card.hide' };
      else if (state?.currentProductId) command = { id: newCommandId('key'), type: 'card.show', productId: state.currentProductId };
      else command = { id: newCommandId('key'), type: 'card.next' };
    }
    if (!command) return { ok: false, problem: 'invalid', message: `Nothing to do for ${name}.` };
    return enqueue(room.key, command);
  }

  function start(): void {
    browser.runtime.onMessage.addListener((message: unknown, sender, sendResponse: (r: Response) => void) => {
      handleMessage(message, sender).then(sendResponse, (err: unknown) =>
        sendResponse({ ok: false, problem: 'invalid', message: err instanceof Error ? err.message : String(err) }),
      );
      return true; // answer asynchronously
    });
    browser.runtime.onConnect.addListener((port) => {
      if (port.name !== CONSOLE_PORT) return;
      ports.add(port);
      port.onDisconnect.addListener(() => ports.delete(port));
      // A page whose state a patch did not apply to asks for the whole state again.
      port.onMessage.addListener((m: unknown) => {
        if (isSyncRequest(m) && latest) port.postMessage({ type: 'room.state', roomKey: latest.roomKey, state: latest.state } satisfies StatePush);
      });
      // A page that opens gets the freshest state at once (the storage cache may lag by CACHE_WRITE_MS).
      void activate().then(() => {
        if (!ports.has(port)) return;
        if (latest) port.postMessage({ type: 'room.state', roomKey: latest.roomKey, state: latest.state } satisfies StatePush);
        port.postMessage(obs.current());
      });
    });
    // Pages write nothing the worker keeps in memory, but another worker instance could have.
    roomsItem.watch((v) => (roomsMemo = Promise.resolve(v)));
    activeRoomItem.watch((v) => (activeMemo = Promise.resolve(v)));
    browser.commands?.onCommand.addListener((name: string) => void onKeyboardCommand(name));
    // Wake the worker twice a minute: if Chrome stopped it while the relay was down, the
    // outbox is retried without anyone opening the panel.
    void browser.alarms?.create(RETRY_ALARM, { periodInMinutes: 0.5 });
    browser.alarms?.onAlarm.addListener((alarm) => {
      if (alarm.name !== RETRY_ALARM) return;
      void activate().then(() => {
        if (conn) conn.connection.reconnect();
        return outbox.flush();
      });
    });
    void activate();
    void reader.syncRegistrations().catch(() => undefined);
  }

  return {
    start,
    handleMessage,
    onKeyboardCommand,
    activate,
    outbox,
    stop: () => {
      if (cacheTimer) clearTimeout(cacheTimer);
      conn?.connection.close();
      void obs.stop();
    },
  };
}
