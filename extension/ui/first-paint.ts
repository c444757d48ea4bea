/**
 * The side panel's first paint without waiting for extension storage: a copy of what the
 * queue needs, kept in the extension origin's synchronous localStorage. Reading it costs
 * ~1–2 ms in the page; one chrome.storage round trip costs ~30 ms on this machine.
 *
 * Rules (console-state.ts and first-paint-cache.ts apply them):
 * - chrome.storage stays the source of truth. The copy only paints the first frame; as soon as
 *   storage has been read, the view shows what storage holds and the copy is rewritten from it.
 *   A copy for another room than storage's active one, or of an older version, is therefore
 *   shown for at most the one storage read and then replaced; a command clicked meanwhile
 *   waits for that read and is refused if the active room turned out to be another one.
 * - The copy never holds a secret: no room token, no overlay link (it carries the overlay
 *   token), no OBS password, no outbox. It is built field by field from an allow-list, never by
 *   copying a SavedRoom or a settings object whole.
 * - Any page that follows the active room (side panel, popup, options) rewrites the copy when
 *   the room changes and removes it when no room is active.
 */
import type { Role, RoomState } from '../../shared/domain';
import { isLocaleSetting, type LocaleSetting } from '../../shared/i18n/locale.js';
import type { SavedRoom } from '../common/storage-items';

/** Bump when the shape changes: a copy of another format is ignored. */
export const FIRST_PAINT_FORMAT = 1;
export const FIRST_PAINT_KEY = 'liveshelf:firstPaint';
/**
 * A few bytes written and removed together with the copy: its room and language. The side
 * panel's HTML snapshot (snapshot.ts) is painted only when it was taken with the same header, so
 * the snapshot script need not parse the whole copy to know the snapshot is still the right one.
 */
export const FIRST_PAINT_HEADER_KEY = 'liveshelf:firstPaint:header';

export function copyHeader(copy: Pick<FirstPaintCopy, 'roomKey' | 'locale'>): string {
  return `${FIRST_PAINT_FORMAT}\n${copy.roomKey}\n${copy.locale}`;
}

/** What the first frame shows of a remembered room: no token, no overlay link. */
export interface PublicRoom {
  key: string;
  /** The relay's address without user info, query or fragment (shown in connection messages). */
  relayUrl: string;
  room: string;
  role: Role;
  title: string | null;
  /** Whether an overlay link is saved (the preview keeps its place); the link itself is not copied. */
  hasOverlay: boolean;
}

export interface FirstPaintCopy {
  format: typeof FIRST_PAINT_FORMAT;
  /** The active room when the copy was written. */
  roomKey: string;
  rooms: PublicRoom[];
  locale: LocaleSetting;
  /** The active room's state as storage held it (RoomState carries no token). */
  state: RoomState;
}

/** A synchronous key-value store: the page's localStorage, or a Map in tests. */
export interface SyncStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const ROLES: readonly Role[] = ['host', 'cohost', 'sales', 'overlay'];

function bareUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.href.replace(/\/$/, '');
  } catch {
    return '';
  }
}

export function publicRoom(r: Pick<SavedRoom, 'key' | 'relayUrl' | 'room' | 'role' | 'title' | 'overlayUrl'>): PublicRoom {
  return { key: r.key, relayUrl: bareUrl(r.relayUrl), room: r.room, role: r.role, title: r.title, hasOverlay: r.overlayUrl !== null };
}

export function makeCopy(roomKey: string, rooms: readonly Pick<SavedRoom, 'key' | 'relayUrl' | 'room' | 'role' | 'title' | 'overlayUrl'>[], locale: LocaleSetting, state: RoomState): FirstPaintCopy {
  return { format: FIRST_PAINT_FORMAT, roomKey, rooms: rooms.map(publicRoom), locale, state };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isPublicRoom(v: unknown): v is PublicRoom {
  return (
    isRecord(v) &&
    typeof v['key'] === 'string' &&
    typeof v['relayUrl'] === 'string' &&
    typeof v['room'] === 'string' &&
    ROLES.includes(v['role'] as Role) &&
    (v['title'] === null || typeof v['title'] === 'string') &&
    typeof v['hasOverlay'] === 'boolean'
  );
}

/**
 * The copy, or null when there is none or it cannot be used (another format, malformed, its
 * room not among its rooms). It is a cache written by our own pages, so the check is of shape,
 * enough to render without throwing; storage decides everything a moment later.
 */
export function readCopy(store: SyncStore | null): FirstPaintCopy | null {
  let text: string | null = null;
  try {
    text = store?.getItem(FIRST_PAINT_KEY) ?? null;
  } catch {
    return null;
  }
  if (!text) return null;
  try {
    const v: unknown = JSON.parse(text);
    if (!isRecord(v) || v['format'] !== FIRST_PAINT_FORMAT || typeof v['roomKey'] !== 'string') return null;
    if (!Array.isArray(v['rooms']) || !v['rooms'].every(isPublicRoom) || !isLocaleSetting(v['locale'])) return null;
    const s = v['state'];
    if (!isRecord(s) || typeof s['id'] !== 'string' || typeof s['version'] !== 'number' || !Array.isArray(s['products']) || !isRecord(s['room']) || !isRecord(s['totals'])) return null;
    if (!Array.isArray(s['ticker'])) return null;
    const copy = v as unknown as FirstPaintCopy;
    return copy.rooms.some((r) => r.key === copy.roomKey) ? copy : null;
  } catch {
    return null;
  }
}

export function writeCopy(store: SyncStore | null, copy: FirstPaintCopy | null): void {
  try {
    // The header goes first and comes back last: should a write fail (quota), no header
    // vouches for a copy it was not written with.
    store?.removeItem(FIRST_PAINT_HEADER_KEY);
    if (copy) {
      store?.setItem(FIRST_PAINT_KEY, JSON.stringify(copy));
      store?.setItem(FIRST_PAINT_HEADER_KEY, copyHeader(copy));
    } else {
      store?.removeItem(FIRST_PAINT_KEY);
    }
  } catch {
    // Quota or no localStorage: the next open waits for storage, nothing else is lost.
  }
}

/** The page's own localStorage (the extension origin), or null where there is none (worker, unit tests). */
export function pageStore(): SyncStore | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}
