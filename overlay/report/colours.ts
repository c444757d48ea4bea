/** One colour per product on air, in the order they first appear: the chart's bands and the table's swatches agree. */
const PALETTE = ['#c8102e', '#1f6fb2', '#2e8b57', '#d97706', '#7c3aed', '#0f766e', '#be185d', '#4b5563'];

export function productColours(productIds: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const id of productIds) if (!map.has(id)) map.set(id, PALETTE[map.size % PALETTE.length]!);
  return map;
}
