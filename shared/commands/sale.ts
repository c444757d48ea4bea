/**
 * The sale commands: record a sale (the relay's hot path: console clicks, the sales API,
 * webhooks) and undo one. Rules [R4]–[R7] of shared/room-reducer.ts live here. Both look up
 * sales already stored (`lookups`), which the relay reads for a whole batch before applying it.
 */
import { z } from 'zod';
import { IdSchema, MinorSchema, type Product, type Sale } from '../domain.js';
import { findProduct, soldOutOf, unknownProduct, withProduct, type RoomEvent } from './apply.js';
import { defineCommand } from './define.js';
import { fail } from './refusals.js';

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
    if (cmd.orderId !== undefined) {
      const first = ctx.saleByOrder(cmd.orderId);
      if (first) return { ok: true, state, events: [], result: { saleId: first.id, productId: first.productId }, duplicateOfSale: first };
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
    if (p.soldOutManual) return fail('sold_out', `"${p.name}" is marked sold out`, 'productId');
    if (p.stock !== null && quantity > p.stock) {
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
    };
    const stock = p.stock === null ? null : p.stock - quantity;
    const next: Product = { ...p, stock, sold: p.sold + quantity, revenueMinor: p.revenueMinor + amount };
    next.soldOut = soldOutOf(next);
    const events: RoomEvent[] = [{ type: 'sale.recorded', sale }];
    if (next.soldOut && !p.soldOut) events.push({ type: 'product.soldOut', productId: p.id, soldOut: true });
    return {
      ok: true,
      state: {
        ...state,
        products: withProduct(state, found.index, next),
        totals: { sold: state.totals.sold + quantity, revenueMinor: state.totals.revenueMinor + amount, orders: state.totals.orders + 1 },
      },
      events,
      result: { saleId: sale.id, productId: p.id },
    };
  },
});

export const saleVoid = defineCommand('sale.void', {
  fields: { saleId: IdSchema },
  lookups(cmd, into) {
    into.saleIds.push(cmd.saleId);
  },
  apply(state, cmd, ctx) {
    const sale = ctx.sale(cmd.saleId);
    if (!sale) return fail('unknown_sale', `no sale "${cmd.saleId}" in this room`, 'saleId');
    if (sale.voidedAt !== null) return fail('already_voided', `sale "${cmd.saleId}" was already undone`, 'saleId');
    const voided: Sale = { ...sale, voidedAt: ctx.now };
    const amount = sale.quantity * sale.unitPriceMinor;
    const totals = {
      sold: state.totals.sold - sale.quantity,
      revenueMinor: state.totals.revenueMinor - amount,
      orders: state.totals.orders - 1,
    };
    const found = findProduct(state, sale.productId);
    const events: RoomEvent[] = [{ type: 'sale.voided', sale: voided }];
    if (!found) return { ok: true, state: { ...state, totals }, events, result: { saleId: sale.id } };
    const p = found.product;
    const next: Product = {
      ...p,
      stock: p.stock === null ? null : p.stock + sale.quantity,
      sold: p.sold - sale.quantity,
      revenueMinor: p.revenueMinor - amount,
    };
    next.soldOut = soldOutOf(next);
    if (p.soldOut && !next.soldOut) events.push({ type: 'product.soldOut', productId: p.id, soldOut: false });
    return { ok: true, state: { ...state, products: withProduct(state, found.index, next), totals }, events, result: { saleId: sale.id, productId: p.id } };
  },
});

export const SALE_COMMANDS = [saleRecord, saleVoid] as const;
