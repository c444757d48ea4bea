/**
 * The sale commands: record a sale (the relay's hot path: console clicks, the sales API,
 * webhooks), undo one, and refund part or all of one. Rules [R4]–[R7] and [R9] of
 * shared/room-reducer.ts live here. All look up sales already stored (`lookups`), which the
 * relay reads for a whole batch before applying it.
 */
import { z } from 'zod';
import { IdSchema, isFactSource, MinorSchema, type Product, type RoomState, type Sale } from '../domain.js';
import { findProduct, soldOutOf, unknownProduct, withProduct, type Applied, type ApplyContext, type RoomEvent } from './apply.js';
import { defineCommand, type LookupKeys } from './define.js';
import { fail, type Refusal } from './refusals.js';
import { refuseEndedRehearsalSale, refuseSimulatedOrder } from './rehearsal.js';

const quantity = z
  .number({ error: 'must be a whole number of units' })
  .int('must be a whole number of units')
  .min(1, 'must be at least 1')
  .max(100_000, 'must be at most 100000 per sale');
const orderId = z.string().trim().min(1).max(128, 'must be at most 128 characters');

export const saleRecord = defineCommand('sale.record', {
  fields: {
    productId: IdSchema.optional(),
    sku: z.string().trim().min(1).max(64).optional(),
    quantity: quantity.optional(),
    orderId: orderId.optional(),
    /** Refused when the product's price changed since the seller saw it. */
    unitPriceMinor: MinorSchema.optional(),
  },
  refine: { check: (c) => c.productId !== undefined || c.sku !== undefined, message: 'give productId or sku', path: ['productId'] },
  lookups(cmd, into) {
    if (cmd.orderId !== undefined) into.orderIds.push(cmd.orderId);
  },
  apply(state, cmd, ctx) {
    // [Rh3] the simulated feed's orders count only while it runs.
    if (ctx.source === 'rehearsal') {
      const refused = refuseSimulatedOrder(state);
      if (refused) return refused;
    }
    if (cmd.orderId !== undefined) {
      const first = ctx.saleByOrder(cmd.orderId);
      if (first) {
        const differs = differsFrom(state, cmd, first);
        if (differs) return fail('idempotency_mismatch', `order "${cmd.orderId}" was already recorded with another ${differs}; nothing was applied`, differs);
        return { ok: true, state, events: [], result: { saleId: first.id, productId: first.productId }, duplicateOfSale: first };
      }
    }
    const found =
      cmd.productId !== undefined
        ? findProduct(state, cmd.productId)
        : (() => {
            const index = state.products.findIndex((p) => p.sku === cmd.sku);
            const product = state.products[index];
            return product ? { index, product } : undefined;
          })();
    if (!found) {
      return cmd.productId !== undefined ? unknownProduct(cmd.productId) : fail('unknown_sku', `no product with SKU "${cmd.sku}" in this room`, 'sku');
    }
    const p = found.product;
    const quantity = cmd.quantity ?? 1;
    if (cmd.unitPriceMinor !== undefined && cmd.unitPriceMinor !== p.priceMinor) {
      return fail('price_changed', `the price changed to ${p.priceMinor} minor units`, 'unitPriceMinor');
    }
    // [R11] A shop's paid order (a `feed:` source) or a seller page's count (`page:`) is a fact,
    // not a request: refusing it would only make the shop retry for hours. It is counted even
    // beyond the stock (which stays at 0: sold out, and the panel shows the oversell) or the
    // presale's quota. The limits hold for what the host and the API ask.
    const fact = isFactSource(ctx.source);
    if (!fact && p.soldOutManual) return fail('sold_out', `"${p.name}" is marked sold out`, 'productId');
    // [R10] a presale sells only once the stock is 0, and a sale is all stock or all presale:
    // one that straddles (2 left, 5 asked) is refused, so every sale ships at one date and a
    // void gives back to one place. The host sells the 2, then the presale takes the rest.
    const presale = p.stock === 0 && p.presale !== null;
    if (presale) {
      const left = p.presale!.quota === null ? Infinity : p.presale!.quota - p.presale!.sold;
      if (!fact && quantity > left) return fail('out_of_stock', `only ${Math.max(0, left)} of "${p.name}" left on presale, ${quantity} asked`, 'quantity');
    } else if (!fact && p.stock !== null && quantity > p.stock) {
      return fail('out_of_stock', `only ${p.stock} of "${p.name}" left, ${quantity} asked`, 'quantity');
    }
    const amount = quantity * p.priceMinor;
    if (!Number.isSafeInteger(state.totals.revenueMinor + amount)) return fail('too_large', 'the amount is too large', 'quantity');
    const sale: Sale = {
      id: cmd.id,
      orderId: cmd.orderId ?? null,
      productId: p.id,
      quantity,
      refundedQuantity: 0,
      unitPriceMinor: p.priceMinor,
      at: ctx.now,
      source: ctx.source,
      by: ctx.by,
      voidedAt: null,
      presale,
      // [Rh3] whatever its source: the room is rehearsing, so this sale is practice.
      ...(state.mode === 'rehearsal' && { rehearsal: true as const }),
    };
    const beyond = presale || p.stock === null ? 0 : Math.max(0, quantity - p.stock);
    const next: Product = presale
      ? { ...p, sold: p.sold + quantity, revenueMinor: p.revenueMinor + amount, presale: { ...p.presale!, sold: p.presale!.sold + quantity } }
      : { ...p, stock: p.stock === null ? null : p.stock - quantity + beyond, sold: p.sold + quantity, revenueMinor: p.revenueMinor + amount };
    if (beyond > 0) next.oversold = (p.oversold ?? 0) + beyond;
    next.soldOut = soldOutOf(next);
    const events: RoomEvent[] = [{ type: 'sale.recorded', sale }];
    if (next.soldOut && !p.soldOut) events.push({ type: 'product.soldOut', productId: p.id, soldOut: true });
    return {
      ok: true,
      state: {
        ...state,
        products: withProduct(state, found.index, next),
        totals: {
          sold: state.totals.sold + quantity,
          revenueMinor: state.totals.revenueMinor + amount,
          orders: state.totals.orders + 1,
          weightGrams: state.totals.weightGrams + quantity * (p.netWeightGrams ?? 0),
        },
      },
      events,
      result: { saleId: sale.id, productId: p.id },
    };
  },
});

/**
 * What a repeated orderId asks differently from the sale it first recorded, if anything:
 * answering it as a duplicate would silently drop the difference (Stripe's idempotency keys
 * refuse this case too). A SKU is compared through the first sale's product; a product removed
 * since cannot be compared, so only quantity and price are.
 */
function differsFrom(state: RoomState, cmd: { productId?: string | undefined; sku?: string | undefined; quantity?: number | undefined; unitPriceMinor?: number | undefined }, first: Sale): 'productId' | 'sku' | 'quantity' | 'unitPriceMinor' | undefined {
  if (cmd.productId !== undefined && cmd.productId !== first.productId) return 'productId';
  if (cmd.productId === undefined && cmd.sku !== undefined) {
    const product = findProduct(state, first.productId)?.product;
    if (product && product.sku !== cmd.sku) return 'sku';
  }
  if ((cmd.quantity ?? 1) !== first.quantity) return 'quantity';
  if (cmd.unitPriceMinor !== undefined && cmd.unitPriceMinor !== first.unitPriceMinor) return 'unitPriceMinor';
  return undefined;
}

/** The units a sale still counts: what a refund may still take back, and a void gives back. */
export function countedUnits(sale: Pick<Sale, 'quantity' | 'refundedQuantity'>): number {
  return sale.quantity - sale.refundedQuantity;
}

/**
 * Takes `units` of `sale` out of the counts, at the sale's own price: the room's totals and the
 * product's sold and revenue go down, its stock comes back (not for unlimited stock; not for a
 * product removed since, whose sales stay only in the totals), and a restock past 0 clears
 * sold-out ([R5]). `stopsCounting`: the sale has no counted units left, so it is no longer an
 * order. One path for sale.void and sale.refund, so the two cannot disagree on what undoing is.
 */
export function uncount(state: RoomState, sale: Sale, units: number, stopsCounting: boolean, event: RoomEvent): Applied {
  const amount = units * sale.unitPriceMinor;
  const found = findProduct(state, sale.productId);
  // The weight comes off at the product's net weight now (the sale does not keep one): a removed
  // product's sales keep their weight, as they keep their revenue; a net weight corrected since
  // re-weighs the units taken back, so the total never goes below 0.
  const grams = units * (found?.product.netWeightGrams ?? 0);
  const totals = {
    sold: state.totals.sold - units,
    revenueMinor: state.totals.revenueMinor - amount,
    orders: state.totals.orders - (stopsCounting ? 1 : 0),
    weightGrams: Math.max(0, state.totals.weightGrams - grams),
  };
  const events: RoomEvent[] = [event];
  if (!found) return { ok: true, state: { ...state, totals }, events, result: { saleId: sale.id } };
  const { oversold, ...p } = found.product;
  // [R10] a presale sale gives back quota (if the presale is still there; one cleared since has
  // none to take it), never stock: its units were never taken from stock. [R11] Units counted
  // beyond the stock come back first: they were never in it either.
  const notInStock = sale.presale ? 0 : Math.min(units, oversold ?? 0);
  const next: Product = {
    ...p,
    stock: p.stock === null || sale.presale ? p.stock : p.stock + units - notInStock,
    sold: p.sold - units,
    revenueMinor: p.revenueMinor - amount,
    presale: sale.presale && p.presale ? { ...p.presale, sold: Math.max(0, p.presale.sold - units) } : p.presale,
  };
  if ((oversold ?? 0) > notInStock) next.oversold = oversold! - notInStock;
  next.soldOut = soldOutOf(next);
  if (p.soldOut && !next.soldOut) events.push({ type: 'product.soldOut', productId: p.id, soldOut: false });
  return { ok: true, state: { ...state, products: withProduct(state, found.index, next), totals }, events, result: { saleId: sale.id, productId: p.id } };
}

/** What sale.void and sale.refund name, and read from the store before the batch (the sale they change). */
const saleRef = { saleId: IdSchema };
const lookUpSale = (cmd: { saleId: string }, into: LookupKeys): void => {
  into.saleIds.push(cmd.saleId);
};

/** A sale that sale.void or sale.refund may act on: recorded in this room and not undone. */
function liveSale(state: RoomState, saleId: string, ctx: ApplyContext, undone: string): Sale | Refusal {
  const sale = ctx.sale(saleId);
  if (!sale) return fail('unknown_sale', `no sale "${saleId}" in this room`, 'saleId');
  if (sale.voidedAt !== null) return fail('already_voided', `sale "${saleId}" was already undone${undone}`, 'saleId');
  return refuseEndedRehearsalSale(state, sale, 'saleId') ?? sale;
}

/**
 * Undoes a sale: it counts nothing any more. [R6] [R9] what it gives back is the units it still
 * counted, so a sale refunded in part gives back the rest, and one refunded in full, which no
 * longer counted as an order, gives back nothing.
 */
export const saleVoid = defineCommand('sale.void', {
  fields: saleRef,
  lookups: lookUpSale,
  apply(state, cmd, ctx) {
    const sale = liveSale(state, cmd.saleId, ctx, '');
    if ('ok' in sale) return sale;
    return voidSale(state, sale, ctx.now);
  },
});

/** A live sale voided at `now` (sale.void, and command.undo of a sale.record: one path, ./undo.ts). */
export function voidSale(state: RoomState, sale: Sale, now: number): Applied {
  const units = countedUnits(sale);
  return uncount(state, sale, units, units > 0, { type: 'sale.voided', sale: { ...sale, voidedAt: now } });
}

/**
 * [R9] Refunds `quantity` units of a recorded sale (a shop's partial refund, issue 13): the sale
 * keeps its quantity and price and counts `refundedQuantity` more units as refunded; the totals,
 * the product's sold and revenue go down by quantity and quantity × the sale's unitPriceMinor,
 * and the stock comes back by quantity, as a void would for those units (see `uncount`). The
 * refund that leaves the sale no counted units takes it out of the orders. Refused: an unknown
 * sale, a voided one, and more units than the sale still counts (`refund_too_large`, which says
 * how many are left). Exactly-once by command id, like every command ([R3]): a shop's refund
 * delivered twice must be sent with the same id. Host and sales may send it (./meta.ts says why).
 */
export const saleRefund = defineCommand('sale.refund', {
  fields: { ...saleRef, quantity },
  lookups: lookUpSale,
  apply(state, cmd, ctx) {
    const sale = liveSale(state, cmd.saleId, ctx, ': nothing is left to refund');
    if ('ok' in sale) return sale;
    const left = countedUnits(sale);
    if (cmd.quantity > left) {
      return fail('refund_too_large', `sale "${sale.id}" has ${left} of its ${sale.quantity} units left to refund, ${cmd.quantity} asked`, 'quantity');
    }
    const refunded: Sale = { ...sale, refundedQuantity: sale.refundedQuantity + cmd.quantity };
    return uncount(state, sale, cmd.quantity, cmd.quantity === left, { type: 'sale.refunded', sale: refunded, quantity: cmd.quantity });
  },
});

export const SALE_COMMANDS = [saleRecord, saleVoid, saleRefund] as const;
