/**
 * The presale commands (issue 17): a harvest sells out long before the season ends, so the host
 * opens a presale that takes over when the stock reaches 0 — sales go on, counted in
 * presale.sold and shipped from shipBy, until the quota is used. [R10] of
 * shared/room-reducer.ts lives here and in ./sale.ts (which decides stock or presale per sale).
 */
import { z } from 'zod';
import { IdSchema, type Product } from '../domain.js';
import { fail } from './refusals.js';
import { findProduct, soldOutOf, unknownProduct, withProduct, type RoomEvent } from './apply.js';
import { defineCommand, productRef } from './define.js';
import type { RoomState } from '../domain.js';

/** What a host gives for a presale: presale.set's fields, and a catalog row's presale columns (shared/catalog-csv.ts). */
export const PresaleInputSchema = z.strictObject({
  // z.iso.date: a real day written YYYY-MM-DD, as harvestDate.
  shipBy: z.iso.date('must be a date written YYYY-MM-DD'),
  quota: z
    .number({ error: 'must be a whole number of units, or null for no limit' })
    .int('must be a whole number of units')
    .min(1, 'must be at least 1')
    .max(10_000_000, 'must be at most 10000000')
    .nullable(),
});
export type PresaleInput = z.infer<typeof PresaleInputSchema>;

function findSku(state: RoomState, sku: string): { index: number; product: Product } | undefined {
  const index = state.products.findIndex((p) => p.sku === sku);
  const product = state.products[index];
  return product ? { index, product } : undefined;
}

/** The product with its presale changed, and the events: sold-out follows (no stamp while it runs). */
function withPresale(state: RoomState, index: number, p: Product, presale: Product['presale']) {
  const next: Product = { ...p, presale };
  next.soldOut = soldOutOf(next);
  const events: RoomEvent[] = [{ type: 'product.updated', productId: p.id }];
  if (next.soldOut !== p.soldOut) events.push({ type: 'product.soldOut', productId: p.id, soldOut: next.soldOut });
  return { ok: true as const, state: { ...state, products: withProduct(state, index, next) }, events, result: { productId: p.id } };
}

/**
 * Opens a presale, or changes the date or quota of the one running: what it sold so far stays
 * counted (a quota lowered below it closes the presale: sold out). `quota` null: no limit.
 */
export const presaleSet = defineCommand('presale.set', {
  // By productId, or by SKU as sale.record: a catalog import sets the presale of a row it has
  // just added through the outbox, before it knows the id the relay gave it.
  fields: { productId: IdSchema.optional(), sku: z.string().trim().min(1).max(64).optional(), ...PresaleInputSchema.shape },
  refine: { check: (c) => c.productId !== undefined || c.sku !== undefined, message: 'give productId or sku', path: ['productId'] },
  apply(state, cmd) {
    const found = cmd.productId !== undefined ? findProduct(state, cmd.productId) : findSku(state, cmd.sku!);
    if (!found) return cmd.productId !== undefined ? unknownProduct(cmd.productId) : fail('unknown_sku', `no product with SKU "${cmd.sku}" in this room`, 'sku');
    const p = found.product;
    return withPresale(state, found.index, p, { shipBy: cmd.shipBy, quota: cmd.quota, sold: p.presale?.sold ?? 0 });
  },
});

/**
 * Ends the presale: at stock 0 the product is sold out again. Its presale sales stay recorded
 * and counted in sold; a void of one afterwards has no quota to give back (./sale.ts uncount).
 * Clearing a product with none is accepted and changes nothing but the version.
 */
export const presaleClear = defineCommand('presale.clear', {
  fields: productRef,
  apply(state, cmd) {
    const found = findProduct(state, cmd.productId);
    if (!found) return unknownProduct(cmd.productId);
    return withPresale(state, found.index, found.product, null);
  },
});

export const PRESALE_COMMANDS = [presaleSet, presaleClear] as const;
