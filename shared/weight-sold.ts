/**
 * The weight sold, from each product's declared net weight (netWeightGrams, per unit): what an
 * official reports in tonnes. Derived from the products wherever it is shown (the overlay's
 * card and room lines; the API's totals are to carry it too), not kept in the reducer's
 * totals: a product's `sold` is already kept exact under sale.record, void and refund
 * ([R6]), so Σ sold × netWeightGrams needs no second bookkeeping that every sale command (and
 * every future one) would have to keep in step, and no stored format or migration. Its cost,
 * said plainly: the sales of a removed product leave the weight (they stay in sold/revenue),
 * and a corrected net weight re-weighs what was already sold (the right figure for a report).
 * Type-only imports: the overlay bundles this without zod.
 */
import type { Product } from './domain.js';

/** Grams sold of one product, or null when it declares no net weight. */
export function weightSoldGrams(p: Pick<Product, 'sold' | 'netWeightGrams'>): number | null {
  return p.netWeightGrams === null ? null : p.sold * p.netWeightGrams;
}

/** The room's weight sold: Σ sold × netWeightGrams over the products that declare one. */
export function roomWeightGrams(products: readonly Pick<Product, 'sold' | 'netWeightGrams'>[]): number {
  let grams = 0;
  for (const p of products) grams += weightSoldGrams(p) ?? 0;
  return grams;
}
