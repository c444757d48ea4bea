/**
 * When a console page writes its first-paint copy (first-paint.ts holds the copy's format and
 * its rules): only from what storage (or the worker) gave this page, never before the storage
 * read, and only for the room whose state is shown; at most once a second while sales arrive,
 * at once when the page goes away; removed when the active room changes, so the copy of the
 * previous room never paints the next open. After each write or removal the page hears the
 * copy's header (the side panel takes its HTML snapshot then: snapshot.ts).
 */
import type { RoomState } from '../../shared/domain';
import type { LocaleSetting } from '../../shared/i18n/locale.js';
import { copyHeader, makeCopy, writeCopy, type FirstPaintCopy, type SyncStore } from './first-paint';
import type { SavedRoom } from '../common/storage-items';

/** What the page shows, as the copy takes it. */
export interface ShownForCopy {
  /** The active room. */
  roomKey: string | null;
  /** The state shown, when it is the active room's (null otherwise). */
  state: RoomState | null;
  rooms: readonly Pick<SavedRoom, 'key' | 'relayUrl' | 'room' | 'role' | 'title' | 'overlayUrl'>[];
  locale: LocaleSetting;
}

export interface FirstPaintCacheDeps {
  /** Where the copy lives; null: nowhere (every open waits for storage). */
  store: SyncStore | null;
  /** Whether extension storage has been read: until then nothing is written. */
  synced(): boolean;
  shown(): ShownForCopy;
  /** After the copy was written (its header) or removed (null). */
  onSaved?: ((header: string | null) => void) | undefined;
}

export function createFirstPaintCache(deps: FirstPaintCacheDeps) {
  const { store } = deps;
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** What the stored copy was made from ('none': there is none), so an unchanged one is not rewritten. */
  let last = '';

  function cancel(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  function remove(): void {
    if (last !== 'none') (writeCopy(store, null), deps.onSaved?.(null));
    last = 'none';
  }

  function saveNow(): void {
    cancel();
    if (!store || !deps.synced()) return;
    const { roomKey, state, rooms, locale } = deps.shown();
    if (!roomKey || !state) return remove();
    const copy: FirstPaintCopy = makeCopy(roomKey, rooms, locale, state);
    const sig = `${roomKey}|${state.id}|${state.version}|${copy.locale}|${JSON.stringify(copy.rooms)}`;
    if (sig !== last) writeCopy(store, copy);
    last = sig;
    // Also when the copy did not change: what the page shows may have (connection, an opened row).
    deps.onSaved?.(copyHeader(copy));
  }

  return {
    saveNow,
    /** Sales can arrive many times a second: one write per second at most. */
    saveSoon(): void {
      if (store && deps.synced() && timer === null) timer = setTimeout(saveNow, 1000);
    },
    /** The active room changed: the copy of the previous one goes. */
    drop(): void {
      cancel();
      if (store) remove();
    },
  };
}
