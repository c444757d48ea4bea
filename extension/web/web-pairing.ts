/**
 * The web console's pairing: the link's fragment (`/pair#v=1&room=…&role=…&token=…`,
 * shared/pairing.ts) read once, kept in this browser's localStorage, and taken out of the address
 * bar so the token is not left in the history, a screenshot or a shared tab; it is never put in
 * a URL again (the socket carries it in its handshake auth). A page opened without a fragment
 * reconnects with the pairing it stored last.
 * The fragment is read here by hand rather than with parsePairingLink: that one brings zod (the
 * role schema) into the phone's first bundle, for four parameters.
 */
import type { OutboxStore } from '../common/outbox';
import type { LocaleSetting, Notice, OutboxEntry, SavedRoom } from '../common/storage-items';

/** A pairing as the extension saves a room (its key `room@host`, the relay, role, token, overlay link, title). */
export type WebPairing = SavedRoom;

export type PairingFromPage =
  | { ok: true; pairing: WebPairing; fromLink: boolean }
  /** `overlay`: the overlay's token (it drives OBS's card, not a console); `sales`: an integration's. */
  | { ok: false; reason: 'none' | 'cut_short' | 'overlay' | 'sales' };

const KEY = { pairings: 'liveshelf.pairings', active: 'liveshelf.active', outbox: 'liveshelf.outbox', settings: 'liveshelf.settings', notice: 'liveshelf.notice' } as const;

function read<T>(store: Storage, key: string, fallback: T): T {
  try {
    const raw = store.getItem(key);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback; // unreadable (another version, a hand edit): start again rather than break the page
  }
}
const write = (store: Storage, key: string, value: unknown) => store.setItem(key, JSON.stringify(value));

const isPairing = (p: unknown): p is WebPairing =>
  typeof p === 'object' && p !== null && ['key', 'relayUrl', 'room', 'role', 'token'].every((k) => typeof (p as Record<string, unknown>)[k] === 'string');

/**
 * Takes the pairing from the page's fragment (storing it, and clearing the fragment) or else the
 * one stored last. `location` is the page's; the relay serves the console at `<relay>/pair`.
 */
export function pairingFromPage(loc: Pick<Location, 'origin' | 'pathname' | 'hash' | 'search'>, store: Storage, history: Pick<History, 'replaceState'>, now: number): PairingFromPage {
  const relayUrl = `${loc.origin}${loc.pathname.replace(/\/+$/, '').replace(/\/pair$/, '')}`;
  if (loc.hash.length > 1) {
    const q = new URLSearchParams(loc.hash.slice(1));
    // Out of the address bar before anything else can fail: the token must not stay there.
    history.replaceState(null, '', `${loc.pathname}${loc.search}`);
    const room = q.get('room');
    const role = q.get('role');
    const token = q.get('token');
    if (!room || !role || !token) return { ok: false, reason: 'cut_short' };
    if (role === 'overlay' || role === 'sales') return { ok: false, reason: role };
    if (role !== 'host' && role !== 'cohost') return { ok: false, reason: 'cut_short' };
    const key = `${room}@${new URL(relayUrl).host}`;
    const all = storedPairings(store);
    const previous = all.find((p) => p.key === key);
    const pairing: WebPairing = { key, relayUrl, room, role, token, overlayUrl: previous?.overlayUrl ?? null, title: previous?.title ?? null, pairedAt: now };
    write(store, KEY.pairings, [...all.filter((p) => p.key !== key), pairing]);
    write(store, KEY.active, key);
    return { ok: true, pairing, fromLink: true };
  }
  const active = read<string | null>(store, KEY.active, null);
  const pairing = storedPairings(store).find((p) => p.key === active);
  return pairing ? { ok: true, pairing, fromLink: false } : { ok: false, reason: 'none' };
}

export function storedPairings(store: Storage): WebPairing[] {
  const v = read<unknown>(store, KEY.pairings, []);
  return Array.isArray(v) ? v.filter(isPairing) : [];
}

/** A stored pairing the relay refused (a token rotated or revoked): forgotten, so the page does not retry it forever. */
export function forgetPairing(store: Storage, key: string): void {
  write(store, KEY.pairings, storedPairings(store).filter((p) => p.key !== key));
  if (read<string | null>(store, KEY.active, null) === key) store.removeItem(KEY.active);
}

export function updatePairing(store: Storage, key: string, change: Partial<Pick<WebPairing, 'role' | 'title' | 'overlayUrl'>>): void {
  write(store, KEY.pairings, storedPairings(store).map((p) => (p.key === key ? { ...p, ...change } : p)));
}

/** The outbox in localStorage (the extension keeps the same entries in extension storage). */
export function localOutboxStore(store: Storage, onChange: (entries: OutboxEntry[]) => void): OutboxStore {
  return {
    getValue: async () => {
      const v = read<unknown>(store, KEY.outbox, []);
      return Array.isArray(v) ? (v as OutboxEntry[]) : [];
    },
    setValue: async (entries) => {
      write(store, KEY.outbox, entries);
      onChange(entries);
    },
  };
}

export const readLocaleSetting = (store: Storage): LocaleSetting => read<{ locale?: LocaleSetting }>(store, KEY.settings, {}).locale ?? 'auto';
export const writeLocaleSetting = (store: Storage, locale: LocaleSetting) => write(store, KEY.settings, { locale });
export const readNotice = (store: Storage): Notice | null => read<Notice | null>(store, KEY.notice, null);
export const writeNotice = (store: Storage, notice: Notice | null) => (notice ? write(store, KEY.notice, notice) : store.removeItem(KEY.notice));
