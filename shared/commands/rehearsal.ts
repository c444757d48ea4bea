/**
 * The rehearsal commands (issue 19): a host practises a rush with the officials the evening
 * before, then goes live with clean counters. `rehearsal.start` puts the room in rehearsal and
 * sets the pace of the relay's simulated order feed (overlay/relay/rehearsal-feed.ts);
 * `rehearsal.stop` stops the feed; `rehearsal.end` takes every sale of the rehearsal back out.
 *
 * How the sales are taken back without reading them: while the room rehearses, every command
 * that records, voids or refunds a rehearsal sale leaves its share behind — its change of the
 * totals in `rehearsal.counted`, its change of the product in `Product.rehearsal` — and
 * rehearsal.end subtracts those shares. That is what voiding each sale would do (same units,
 * same amounts, same stock, quota and oversold), in one pass over the queue instead of
 * thousands of sale look-ups, and exact by construction: a share is the after − before of the
 * command that made it.
 *
 * Rules (cited by the tests, tests/unit/rehearsal.test.ts):
 * [Rh1] rehearsal.start (host only) puts a live room in rehearsal: mode 'rehearsal', the feed's
 *       pace (ordersPerMinute 0–600, default 30; rushOrders 0–10,000, default 0, within
 *       rushSeconds 1–600, default 60), running, startedAt = resumedAt = now, nothing counted.
 *       A value out of range is refused 400 naming the field.
 * [Rh2] start twice: a start while rehearsing goes on with the same rehearsal at the new pace
 *       (startedAt and what it counted stay; running again; resumedAt = now, so a new rush
 *       counts from this start). stop and end of a live room are refused `not_rehearsing`
 *       (409, nothing changes); a stop of a stopped feed is accepted and changes nothing else.
 * [Rh3] every sale applied while the room rehearses, whatever its source (the host's own +1,
 *       the API, a shop's feed), is a rehearsal sale: Sale.rehearsal = true. A sale of source
 *       `rehearsal` (the simulated feed) is refused `not_rehearsing` unless the feed runs, so
 *       an order still in flight at stop or end never counts.
 * [Rh4] the share: a command that records, voids or refunds a rehearsal sale adds its change of
 *       the totals to rehearsal.counted and its change of the product (sold, revenueMinor,
 *       stock, oversold, presale.sold) to Product.rehearsal.
 * [Rh5] a stock.set while rehearsing is the host's count of the real stock: it supersedes the
 *       rehearsal's stock and oversold shares of that product (reset to 0), so the units taken
 *       before it are not given back at the end (the host counted without them) and those taken
 *       after it are. At the end the stock is what it would be without the rehearsal's sales and
 *       with the host's stock.set — never above it. (Giving back every rehearsal unit, as
 *       voiding each sale would, would add the units sold before the count on top of it.)
 * [Rh6] a void or refund of a rehearsal sale during its rehearsal is an ordinary void (its share
 *       comes off too, so the end does not take it twice); of a sale of a rehearsal that has
 *       ended it is refused `rehearsal_over` (409): it was taken out already.
 * [Rh7] rehearsal.end subtracts every share: totals (sold, revenue, orders, weightGrams) go back
 *       by rehearsal.counted, each product's sold, revenue, stock, oversold and presale quota by
 *       its share (sold-out follows, [R5]); the room is live again with its queue, card, ticker,
 *       countdown, prices and settings as they are. The sales stay stored, marked rehearsal (no
 *       report or export shows them, [Rh3]). A presale opened or changed, a product added or
 *       removed, a price changed during the rehearsal: the host's own settings, kept.
 * [Rh8] a live sale voided or refunded during the rehearsal (a shop's refund of last week's
 *       order) stays voided or refunded: it is not the rehearsal's.
 */
import { z } from 'zod';
import type { Product, Rehearsal, RoomState, Sale, Totals } from '../domain.js';
import { soldOutOf, type Applied, type RoomEvent } from './apply.js';
import { defineCommand } from './define.js';
import { fail, type Refusal } from './refusals.js';
import { REHEARSAL_LIMITS } from './rehearsal-limits.js';

export { REHEARSAL_LIMITS };

const whole = (min: number, max: number, unit: string) =>
  z
    .number({ error: `must be a whole number of ${unit}` })
    .int(`must be a whole number of ${unit}`)
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const L = REHEARSAL_LIMITS;
const noneCounted = (): Totals => ({ sold: 0, revenueMinor: 0, orders: 0, weightGrams: 0 });
const changed: RoomEvent = { type: 'rehearsal.changed' };
const notRehearsing = (what: string): Refusal => fail('not_rehearsing', `the room is not rehearsing: nothing to ${what} (start a rehearsal first)`);

export const rehearsalStart = defineCommand('rehearsal.start', {
  fields: {
    ordersPerMinute: whole(L.ordersPerMinute.min, L.ordersPerMinute.max, 'orders per minute').optional(),
    rushOrders: whole(L.rushOrders.min, L.rushOrders.max, 'orders').optional(),
    rushSeconds: whole(L.rushSeconds.min, L.rushSeconds.max, 'seconds').optional(),
  },
  apply(state, cmd, ctx) {
    const pace = {
      ordersPerMinute: cmd.ordersPerMinute ?? L.ordersPerMinute.fallback,
      rushOrders: cmd.rushOrders ?? L.rushOrders.fallback,
      rushSeconds: cmd.rushSeconds ?? L.rushSeconds.fallback,
    };
    // [Rh2] a start while rehearsing goes on with the same rehearsal (its sales stay in it).
    const was = state.mode === 'rehearsal' ? state.rehearsal : null;
    const rehearsal: Rehearsal = { startedAt: was?.startedAt ?? ctx.now, ...pace, running: true, resumedAt: ctx.now, counted: was?.counted ?? noneCounted() };
    return { ok: true, state: { ...state, mode: 'rehearsal', rehearsal }, events: [changed] };
  },
});

export const rehearsalStop = defineCommand('rehearsal.stop', {
  fields: {},
  apply(state) {
    if (state.mode !== 'rehearsal' || !state.rehearsal) return notRehearsing('stop');
    if (!state.rehearsal.running) return { ok: true, state, events: [] };
    return { ok: true, state: { ...state, rehearsal: { ...state.rehearsal, running: false } }, events: [changed] };
  },
});

export const rehearsalEnd = defineCommand('rehearsal.end', {
  fields: {},
  apply(state) {
    if (state.mode !== 'rehearsal' || !state.rehearsal) return notRehearsing('end');
    return endRehearsal(state, state.rehearsal);
  },
});

export const REHEARSAL_COMMANDS = [rehearsalStart, rehearsalStop, rehearsalEnd] as const;

/** [Rh7] every share subtracted, the room live again. */
function endRehearsal(state: RoomState, r: Rehearsal): Applied {
  const events: RoomEvent[] = [changed];
  let products = state.products;
  for (let i = 0; i < state.products.length; i++) {
    const p = state.products[i]!;
    const share = p.rehearsal;
    if (!share) continue;
    const { rehearsal: _share, oversold, ...rest } = p;
    const next: Product = {
      ...rest,
      stock: p.stock === null ? null : Math.max(0, p.stock - share.stock),
      sold: p.sold - share.sold,
      revenueMinor: p.revenueMinor - share.revenueMinor,
      // A presale cleared during the rehearsal has no quota to give back (as a void, ./sale.ts).
      presale: p.presale && { ...p.presale, sold: Math.max(0, p.presale.sold - share.presaleSold) },
    };
    const over = (oversold ?? 0) - share.oversold;
    if (over > 0) next.oversold = over;
    next.soldOut = soldOutOf(next);
    if (next.soldOut !== p.soldOut) events.push({ type: 'product.soldOut', productId: p.id, soldOut: next.soldOut });
    if (products === state.products) products = state.products.slice();
    products[i] = next;
  }
  const t = state.totals;
  const c = r.counted;
  const totals: Totals = {
    sold: Math.max(0, t.sold - c.sold),
    revenueMinor: Math.max(0, t.revenueMinor - c.revenueMinor),
    orders: Math.max(0, t.orders - c.orders),
    weightGrams: Math.max(0, t.weightGrams - c.weightGrams),
  };
  return { ok: true, state: { ...state, products, totals, mode: 'live', rehearsal: null }, events };
}

/** [Rh3] the simulated feed's order is refused once the feed was stopped or the rehearsal ended. */
export function refuseSimulatedOrder(state: RoomState): Refusal | undefined {
  return state.mode === 'rehearsal' && state.rehearsal?.running ? undefined : notRehearsing('simulate: the rehearsal feed is stopped');
}

/** [Rh6] a rehearsal sale may be voided or refunded only during its own rehearsal. */
export function refuseEndedRehearsalSale(state: RoomState, sale: Sale, field: string): Refusal | undefined {
  if (!sale.rehearsal) return undefined;
  if (state.mode === 'rehearsal' && state.rehearsal && sale.at >= state.rehearsal.startedAt) return undefined;
  return fail('rehearsal_over', `sale "${sale.id}" was a rehearsal sale: it was taken out of the counts when its rehearsal ended`, field);
}

const ZERO_SHARE: NonNullable<Product['rehearsal']> = { sold: 0, revenueMinor: 0, stock: 0, oversold: 0, presaleSold: 0 };

/**
 * [Rh4] [Rh5] The shares a command applied while rehearsing leaves behind: called by the
 * reducer (shared/room-reducer.ts) with the state before and after every applied command of a
 * rehearsing room, other than the rehearsal commands themselves.
 */
export function trackRehearsal(before: RoomState, after: RoomState, events: readonly RoomEvent[]): RoomState {
  let state = after;
  for (const ev of events) {
    if ((ev.type === 'sale.recorded' || ev.type === 'sale.voided' || ev.type === 'sale.refunded') && ev.sale.rehearsal) {
      // One sale per command: the whole change of the totals and of its product is the sale's.
      state = withShare(state, ev.sale.productId, (share, p) => {
        const b = before.products.find((x) => x.id === p.id);
        if (!b) return share;
        return {
          sold: share.sold + p.sold - b.sold,
          revenueMinor: share.revenueMinor + p.revenueMinor - b.revenueMinor,
          stock: share.stock + (p.stock !== null && b.stock !== null ? p.stock - b.stock : 0),
          oversold: share.oversold + (p.oversold ?? 0) - (b.oversold ?? 0),
          presaleSold: share.presaleSold + (p.presale?.sold ?? 0) - (b.presale?.sold ?? 0),
        };
      });
      const r = state.rehearsal!;
      const t = after.totals;
      const u = before.totals;
      const counted = {
        sold: r.counted.sold + t.sold - u.sold,
        revenueMinor: r.counted.revenueMinor + t.revenueMinor - u.revenueMinor,
        orders: r.counted.orders + t.orders - u.orders,
        weightGrams: r.counted.weightGrams + t.weightGrams - u.weightGrams,
      };
      state = { ...state, rehearsal: { ...r, counted } };
    } else if (ev.type === 'stock.changed') {
      // [Rh5] the host's count supersedes what the rehearsal took from the stock before it.
      state = withShare(state, ev.productId, (share) => ({ ...share, stock: 0, oversold: 0 }));
    }
  }
  return state;
}

function withShare(state: RoomState, productId: string, change: (share: NonNullable<Product['rehearsal']>, p: Product) => NonNullable<Product['rehearsal']>): RoomState {
  const index = state.products.findIndex((p) => p.id === productId);
  const p = state.products[index];
  if (!p) return state; // removed since: its sales stay only in the totals, as a void's would
  const products = state.products.slice();
  products[index] = { ...p, rehearsal: change(p.rehearsal ?? ZERO_SHARE, p) };
  return { ...state, products };
}
