/**
 * The weight sold, from each product's declared net weight (netWeightGrams, per unit): what an
 * official reports in tonnes. The room's figure is kept by the sale commands in
 * `totals.weightGrams` (shared/commands/sale.ts), so the sales of a removed product keep their
 * weight as they keep their revenue; the products' sum here is the card's line and the
 * overlay's fallback for a relay from before totals carried it.
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
