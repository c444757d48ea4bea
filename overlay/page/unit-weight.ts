/**
 * Weight per unit in kilograms, read from a product's unit text ("5 kg box", "500 g jar",
 * "6 jars × 425 g", "10斤"), for the optional "total weight sold" line. Null when the unit does
 * not say a weight (then the line is not shown rather than guessed).
 */
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
