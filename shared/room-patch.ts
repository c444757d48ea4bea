/**
 * Room patches: what changed between two room states, so the relay can send a client that
 * opted in (`patches: true` in the handshake) a few hundred bytes per sale instead of the
 * whole room. The reducer never mutates and keeps unchanged objects identical, so the diff
 * compares by reference: an object that is not the same object is sent whole (never wrong,
 * at worst larger). A patch applies only to the exact state it was computed from
 * (baseVersion); anything else returns undefined and the client asks 'room.sync'.
 *
 * The relay diffs once per commit (the room actor) and hands that patch to both the store and
 * the broadcast; when the broadcast throttle holds several commits back, it composes their
 * patches (composePatches) instead of diffing the states again.
 */
import type { Product, RoomState } from './domain.js';

/** The top-level fields of RoomState a patch may carry (id never changes, version always does). */
type PatchFields = Pick<RoomState, 'room' | 'currentProductId' | 'cardVisible' | 'ticker' | 'countdown' | 'presets' | 'totals' | 'mode' | 'rehearsal' | 'observed' | 'updatedAt'>;
const FIELDS = ['room', 'currentProductId', 'cardVisible', 'ticker', 'countdown', 'presets', 'totals', 'mode', 'rehearsal', 'observed', 'updatedAt'] as const satisfies readonly (keyof PatchFields)[];

export interface ProductsPatch {
  /** Products that are new or changed (whole objects). */
  upsert: Product[];
  /** The queue's ids in show order, only when the ids or their order changed. */
  order?: string[];
  /** Ids no longer in the queue. */
  removed?: string[];
}

export interface RoomPatch extends Partial<PatchFields> {
  /** The room (RoomState.id) this patch belongs to. */
  id: string;
  /** The version of the state this patch applies to. */
  baseVersion: number;
  /** The version of the state it produces. */
  version: number;
  products?: ProductsPatch;
}

function sameIds(a: Product[], b: Product[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.id !== b[i]!.id) return false;
  return true;
}

/** What changed from prev to next (both states of the same room). */
export function diffRoom(prev: RoomState, next: RoomState): RoomPatch {
  const patch: RoomPatch = { id: next.id, baseVersion: prev.version, version: next.version };
  for (const f of FIELDS) if (prev[f] !== next[f]) (patch as unknown as Record<string, unknown>)[f] = next[f];
  if (prev.products !== next.products) {
    const upsert: Product[] = [];
    const products: ProductsPatch = { upsert };
    if (sameIds(prev.products, next.products)) {
      for (let i = 0; i < next.products.length; i++) if (next.products[i] !== prev.products[i]) upsert.push(next.products[i]!);
    } else {
      const before = new Map(prev.products.map((p) => [p.id, p]));
      for (const p of next.products) {
        if (before.get(p.id) !== p) upsert.push(p);
        before.delete(p.id);
      }
      products.order = next.products.map((p) => p.id);
      if (before.size) products.removed = [...before.keys()];
    }
    if (upsert.length || products.order) patch.products = products;
  }
  return patch;
}

/** The state the patch produces from `state`, or undefined when it was computed from another state. */
export function applyPatch(state: RoomState, patch: RoomPatch): RoomState | undefined {
  if (patch.id !== state.id || patch.baseVersion !== state.version) return undefined;
  const next: RoomState = { ...state, version: patch.version };
  for (const f of FIELDS) if (f in patch) (next as unknown as Record<string, unknown>)[f] = patch[f];
  const pp = patch.products;
  if (pp) {
    const byId = new Map(state.products.map((p) => [p.id, p]));
    for (const id of pp.removed ?? []) byId.delete(id);
    for (const p of pp.upsert) byId.set(p.id, p);
    if (pp.order) {
      const products: Product[] = [];
      for (const id of pp.order) {
        const p = byId.get(id);
        if (!p) return undefined;
        products.push(p);
      }
      next.products = products;
    } else {
      next.products = state.products.map((p) => byId.get(p.id)!);
    }
  }
  return next;
}

/**
 * One patch doing what `a` then `b` do: applyPatch(s, composePatches(a, b)) equals
 * applyPatch(applyPatch(s, a), b) for every s that `a` applies to. Undefined when `b` does not
 * start where `a` ends (another room, or another version), as applyPatch refuses a misfit.
 * Neither patch is changed; the result may be larger than a fresh diff (a product added by
 * `a` and removed by `b` stays listed in `removed`, which applyPatch passes over).
 */
export function composePatches(a: RoomPatch, b: RoomPatch): RoomPatch | undefined {
  if (a.id !== b.id || a.version !== b.baseVersion) return undefined;
  const { products: pa, ...fieldsA } = a;
  const { products: pb, ...fieldsB } = b;
  const out: RoomPatch = { ...fieldsA, ...fieldsB, baseVersion: a.baseVersion };
  const products = pa && pb ? composeProducts(pa, pb) : (pb ?? pa);
  if (products) out.products = products;
  return out;
}

function composeProducts(a: ProductsPatch, b: ProductsPatch): ProductsPatch {
  // b's ids in show order are the final ones when it has them; else the queue kept a's.
  const order = b.order ?? a.order;
  const gone = b.removed ? new Set(b.removed) : undefined;
  const byId = new Map<string, Product>();
  for (const p of a.upsert) if (!gone?.has(p.id)) byId.set(p.id, p);
  for (const p of b.upsert) byId.set(p.id, p);
  const out: ProductsPatch = { upsert: [...byId.values()] };
  if (order) out.order = order;
  // Removed before or after, unless back in the queue (then it is upserted and applies whole).
  const removed = [...new Set([...(a.removed ?? []), ...(b.removed ?? [])])].filter((id) => !byId.has(id));
  if (removed.length) out.removed = removed;
  return out;
}
