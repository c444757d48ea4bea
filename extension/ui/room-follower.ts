/**
 * The room state a console page shows, and how it moves forward. Two sources feed it: a cache
 * (in the extension, storage: the worker's cached state, read when the page opens and watched;
 * the web console has none) and the live pushes (the worker's over the page's port, or the web
 * console's own socket: a whole state when it opens, then the relay's patches).
 * Rules: a state of another room than the active one is not shown; a state never goes back to
 * an older version, nor is the version shown taken again ([R1]: same version, same state); a
 * patch applies only to the exact state it was made from, else the worker is asked for the
 * whole state; products that did not change keep their objects, so their rows skip rendering.
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import type { Product, RoomState } from '../../shared/domain';
import { applyPatch } from '../../shared/room-patch';
import type { PatchPush } from '../common/console-port';

/** Where a page reads a room's cached state and hears of its changes (the extension: storage). */
export interface StateCache {
  get(key: string): Promise<RoomState | null>;
  /** Returns the stop function. */
  watch(key: string, onChange: (s: RoomState | null) => void): () => void;
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

export interface RoomFollower {
  /** The state shown (null: none). */
  readonly room: ReadonlySignal<RoomState | null>;
  /** The room whose state `room` holds: it can lag behind the active room while a switch is read. */
  readonly shownKey: string | null;
  /**
   * A state read as a whole (the first-paint copy, then storage on open): it replaces what is
   * shown whatever the versions, storage being the source of truth. The same version of the same
   * room is the same state ([R1]), so the objects shown stay and nothing re-renders.
   */
  replace(key: string | null, s: RoomState | null): void;
  /** A state from the storage cache or the worker, under the rules above. */
  take(key: string, s: RoomState | null): void;
  /** A patch from the worker: applied, dropped (a version shown already), or `resync` is called. */
  patch(push: PatchPush, resync: () => void): void;
  /** Watches the cache of the active room `key` (none: shows nothing); the previous watch stops. */
  follow(key: string | null): Promise<void>;
  stop(): void;
}

/** `onShown` runs after every state `take`, `patch` or `follow` shows (the page saves its first-paint copy then). */
export function createRoomFollower(activeKey: ReadonlySignal<string | null>, onShown: () => void, cache: StateCache | null): RoomFollower {
  const room = signal<RoomState | null>(null);
  let shownKey: string | null = null;
  let unwatch: (() => void) | null = null;

  function show(key: string | null, s: RoomState | null): void {
    shownKey = s ? key : null;
    room.value = s;
    onShown();
  }

  function take(key: string, s: RoomState | null): void {
    if (activeKey.value !== key) return;
    const prev = shownKey === key ? room.value : null;
    if (s && prev && prev.id === s.id && s.version <= prev.version) return;
    show(key, s ? shareUnchanged(prev, s) : null);
  }

  return {
    room,
    get shownKey() {
      return shownKey;
    },
    replace(key, s) {
      const prev = key !== null && shownKey === key ? room.value : null;
      shownKey = s ? key : null;
      room.value = !s ? null : prev && prev.id === s.id && prev.version === s.version ? prev : shareUnchanged(prev, s);
    },
    take,
    patch(push, resync) {
      if (activeKey.value !== push.roomKey) return;
      const cur = shownKey === push.roomKey ? room.value : null;
      if (cur && cur.id === push.patch.id && push.patch.version <= cur.version) return;
      const next = cur ? applyPatch(cur, push.patch) : undefined;
      if (next) take(push.roomKey, next);
      else resync();
    },
    async follow(key) {
      unwatch?.();
      unwatch = null;
      if (!key) return show(null, null);
      if (!cache) return;
      unwatch = cache.watch(key, (s) => take(key, s));
      take(key, await cache.get(key));
    },
    stop() {
      unwatch?.();
    },
  };
}
