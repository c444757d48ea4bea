/**
 * The seller-page reader's commands (issue 13): `sale.observe` — "this page says `total` units
 * of this product are sold" — and what the host decides about a number that went down
 * (`sale.settle`) or a binding they removed (`sale.unobserve`). The room keeps one `Observed`
 * per (source, product) in its state (shared/domain.ts), so what was counted survives a
 * restart and is the same on every relay process.
 *
 * Who sends them: the host only. The number is read in the host's own browser, off the host's
 * own seller console, by the host's extension (which holds the host token); a co-host runs
 * cards and the ticker and never records sales ([R8]), and a shop's backend with the sales
 * token has `sale.record` with its own order ids, which says more than a total does.
 *
 * Rules (cited by tests/unit/sale-observe.test.ts):
 * [O1] the first observation of a (source, product) sets the baseline and counts nothing: the
 *      host binds a number that already reads 3,210, sold before LiveShelf was watching.
 * [O2] an observation above the last total records one sale of total − last units, counted as
 *      a fact ([R11]: beyond the stock, on a product marked sold out), with the source's name
 *      (`page:<site>`) and an id made from (source, product, base, total): the same total can
 *      never become two sales. It clears a pending refund and a dismissal (the number is back).
 * [O3] an observation that changes nothing (the same total again: a reload, a re-read, a second
 *      tab) is answered as a duplicate: no version, no log entry, no sale. The same total while
 *      a drop waits, or after one was dismissed, clears the drop and the dismissal (the number
 *      came back).
 * [O4] a rounded figure (exact: false, 1.2万) counts its lower bound; one at or below the last
 *      total is no evidence of a drop (1.2万 may well be 12,345) and changes nothing ([O3]).
 * [O5] an exact total below the last one records nothing: it is kept as the refund to confirm
 *      (`pending`, the latest such reading), unless it is at or above a total the host dismissed.
 * [O6] sale.settle `refund` takes last − pending units back from the binding's latest sales,
 *      newest first, through sale.refund's own path (stock comes back as [R9] [R11] say); the
 *      last total becomes the pending one and a new run (base) begins, so the totals counted
 *      again after it get new sale ids. Refused (`refund_changed`) when what the host saw is
 *      no longer the refund to confirm: another reading moved it on, or the sales it names
 *      are not the ones the plan takes from (refundPlan, which the side panel sends).
 * [O7] sale.settle `dismiss` refunds nothing and keeps the last total; a later reading at or
 *      above the dismissed total does not ask again (a page that showed 0 while loading), until
 *      the number is back at the count ([O2] [O3]).
 * [O8] sale.unobserve forgets the binding (its sales stay counted): the next observation is a
 *      baseline again ([O1]).
 */
import { z } from 'zod';
import { IdSchema, type Observed, type RoomState } from '../domain.js';
import { findProduct, unknownProduct, type Applied, type RoomEvent } from './apply.js';
import { defineCommand } from './define.js';
import { fail, type Refusal } from './refusals.js';
import { countedUnits, saleRecord, uncount } from './sale.js';

/** How many of a binding's latest sales it remembers for a refund (the room's meta is written whole per commit: kept small). */
export const OBSERVED_RECENT = 20;

const pageSource = z.custom<`page:${string}`>((v) => typeof v === 'string' && /^page:[A-Za-z0-9._-]{1,80}$/.test(v), {
  message: 'must be page:<site>, e.g. page:buyin.jinritemai.com',
});
const total = z
  .number({ error: 'must be a whole number of units' })
  .int('must be a whole number of units')
  .min(0, 'must not be negative')
  .max(1_000_000_000, 'must be at most 1000000000');

const binding = { productId: IdSchema, source: pageSource };

/** A 53-bit string hash (cyrb53): pure, no crypto, so shared/ stays free of Node and the browser. */
function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * [O2] The id of the sale that brings a binding's run to `total`: fits IdSchema (≤ 80
 * characters, so the host can void it like any other sale) whatever the site's name.
 */
export function observedSaleId(source: string, productId: string, base: number, total: number): string {
  return `obs-${hash53(`${source}\u0000${productId}\u0000${base}`)}-${total}`;
}

export function findObserved(state: RoomState, source: string, productId: string): Observed | undefined {
  return state.observed?.find((o) => o.source === source && o.productId === productId);
}

function withObserved(state: RoomState, next: Observed | undefined, source: string, productId: string): Observed[] {
  const others = (state.observed ?? []).filter((o) => !(o.source === source && o.productId === productId));
  return next ? [...others, next] : others;
}

/** The units a refund to confirm takes back: the drop from the last total to the pending one. */
export function pendingUnits(o: Observed): number {
  return o.pending ? o.total - o.pending.total : 0;
}

/**
 * [O6] Which of the binding's latest sales a confirmed refund takes back, newest first, and how
 * many units from each (as the room remembers them; the reducer re-reads the sales). The side
 * panel sends the ids, so a refund confirmed on a stale view is refused instead of guessed.
 */
export function refundPlan(o: Observed): { saleId: string; units: number }[] {
  let left = pendingUnits(o);
  const plan: { saleId: string; units: number }[] = [];
  for (let i = o.recent.length - 1; i >= 0 && left > 0; i--) {
    const [saleId, units] = o.recent[i]!;
    const take = Math.min(units, left);
    plan.push({ saleId, units: take });
    left -= take;
  }
  return plan;
}

const unchanged = (state: RoomState): Applied => ({ ok: true, state, events: [], unchanged: true });

export const saleObserve = defineCommand('sale.observe', {
  fields: { ...binding, total, exact: z.boolean().optional() },
  apply(state, cmd, ctx) {
    if (!findProduct(state, cmd.productId)) return unknownProduct(cmd.productId);
    const exact = cmd.exact ?? true;
    const last = findObserved(state, cmd.source, cmd.productId);
    if (!last) {
      // [O1] the baseline.
      const first: Observed = { source: cmd.source, productId: cmd.productId, total: cmd.total, exact, base: state.version, at: ctx.now, recent: [], pending: null, dismissed: null };
      return { ok: true, state: { ...state, observed: withObserved(state, first, cmd.source, cmd.productId) }, events: [] };
    }
    if (cmd.total === last.total) {
      // [O3]; the counted number shown again also ends a drop that was waiting (a glitch, not a
      // refund) and a dismissal ([O7]: a later drop is a new one, to ask about again).
      if (!last.pending && last.dismissed === null) return unchanged(state);
      return { ok: true, state: { ...state, observed: withObserved(state, { ...last, pending: null, dismissed: null }, cmd.source, cmd.productId) }, events: [] };
    }
    if (cmd.total < last.total) {
      // [O4] a rounded figure's lower bound below the count says nothing; [O5] an exact one is a drop to confirm.
      if (!exact) return unchanged(state);
      if (last.dismissed !== null && cmd.total >= last.dismissed) return unchanged(state);
      if (last.pending?.total === cmd.total) return unchanged(state);
      const next: Observed = { ...last, pending: { total: cmd.total, at: ctx.now } };
      return { ok: true, state: { ...state, observed: withObserved(state, next, cmd.source, cmd.productId) }, events: [] };
    }
    // [O2] the difference, as one sale through sale.record's own path (stock, presale, [R11]).
    const saleId = observedSaleId(cmd.source, cmd.productId, last.base, cmd.total);
    const units = cmd.total - last.total;
    const recorded = saleRecord.apply(state, { id: saleId, type: 'sale.record', productId: cmd.productId, quantity: units }, { ...ctx, source: cmd.source });
    if (!recorded.ok) return recorded;
    const recent = [...last.recent, [saleId, units] as [string, number]].slice(-OBSERVED_RECENT);
    const next: Observed = { ...last, total: cmd.total, exact, at: ctx.now, recent, pending: null, dismissed: null };
    return { ...recorded, state: { ...recorded.state, observed: withObserved(recorded.state, next, cmd.source, cmd.productId) } };
  },
});

const changed = (message: string): Refusal => fail('refund_changed', message, 'total');

export const saleSettle = defineCommand('sale.settle', {
  fields: {
    ...binding,
    /** The pending total the host decided on, as the side panel showed it. */
    total,
    decision: z.enum(['refund', 'dismiss'], { error: 'must be refund or dismiss' }),
    /** For `refund`: refundPlan's sale ids, in its order. */
    saleIds: z.array(IdSchema).max(OBSERVED_RECENT).optional(),
  },
  lookups(cmd, into) {
    for (const id of cmd.saleIds ?? []) into.saleIds.push(id);
  },
  apply(state, cmd, ctx) {
    const o = findObserved(state, cmd.source, cmd.productId);
    if (!o?.pending || o.pending.total !== cmd.total) {
      return changed(`no refund to confirm at ${cmd.total} for this page and product any more: the page's number moved; look again`);
    }
    if (cmd.decision === 'dismiss') {
      // [O7]
      const dismissed = Math.min(o.dismissed ?? cmd.total, cmd.total);
      return { ok: true, state: { ...state, observed: withObserved(state, { ...o, pending: null, dismissed }, cmd.source, cmd.productId) }, events: [] };
    }
    const plan = refundPlan(o);
    const asked = cmd.saleIds ?? [];
    if (plan.length !== asked.length || plan.some((p, i) => p.saleId !== asked[i])) {
      return changed('the sales this refund takes back changed since it was shown: look again');
    }
    // [O6] through sale.refund's path, sale by sale; a sale voided or refunded since gives what it still counts.
    let next = state;
    const events: RoomEvent[] = [];
    const recent = new Map(o.recent);
    for (const { saleId, units } of plan) {
      const sale = ctx.sale(saleId);
      const take = sale && sale.voidedAt === null ? Math.min(units, countedUnits(sale)) : 0;
      if (sale && take > 0) {
        const refunded = { ...sale, refundedQuantity: sale.refundedQuantity + take };
        const out = uncount(next, sale, take, take === countedUnits(sale), { type: 'sale.refunded', sale: refunded, quantity: take });
        next = out.state;
        events.push(...out.events);
      }
      const kept = (recent.get(saleId) ?? 0) - units;
      if (kept > 0) recent.set(saleId, kept);
      else recent.delete(saleId);
    }
    const settled: Observed = { ...o, total: o.pending.total, base: state.version, at: ctx.now, recent: [...recent], pending: null, dismissed: null };
    return { ok: true, state: { ...next, observed: withObserved(next, settled, cmd.source, cmd.productId) }, events };
  },
});

export const saleUnobserve = defineCommand('sale.unobserve', {
  fields: binding,
  apply(state, cmd) {
    // [O8] idempotent: a binding already forgotten (another device removed it) changes nothing.
    if (!findObserved(state, cmd.source, cmd.productId)) return unchanged(state);
    return { ok: true, state: { ...state, observed: withObserved(state, undefined, cmd.source, cmd.productId) }, events: [] };
  },
});

export const OBSERVE_COMMANDS = [saleObserve, saleSettle, saleUnobserve] as const;
