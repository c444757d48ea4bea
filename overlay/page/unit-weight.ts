/**
 * The weight a card shows sold: from the product's declared net weight (netWeightGrams,
 * shared/weight-sold.ts) and, only for a product without one, from its unit text ("5 kg box",
 * "500 g jar", "6 jars × 425 g", "10斤"), as before net weights existed. Null when neither says
 * a weight (then the line is not shown rather than guessed).
 */
import type { Product } from '../../shared/domain.js';
import { weightSoldGrams } from '../../shared/weight-sold.js';

const PER_KG: Record<string, number> = { kg: 1, 公斤: 1, 千克: 1, g: 0.001, 克: 0.001, 斤: 0.5 };

export function unitWeightKg(unit: string): number | null {
  const m = /(?:(\d+)\s*[^\d×x*]*[×x*]\s*)?(\d+(?:[.,]\d+)?)\s*(kg|公斤|千克|g|克|斤)(?![a-z])/i.exec(unit);
  if (!m) return null;
  const count = m[1] ? Number(m[1]) : 1;
  const amount = Number((m[2] ?? '').replace(',', '.'));
  const factor = PER_KG[(m[3] ?? '').toLowerCase()];
  if (!factor || !Number.isFinite(amount) || amount <= 0) return null;
  return count * amount * factor;
}

/** Grams sold of a product: declared net weight × sold, else the unit text's guess, else null. */
export function cardWeightGrams(p: Pick<Product, 'sold' | 'netWeightGrams' | 'unit'>): number | null {
  const declared = weightSoldGrams(p);
  if (declared !== null) return declared;
  const kg = unitWeightKg(p.unit);
  return kg === null ? null : kg * 1000 * p.sold;
}
