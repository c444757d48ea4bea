/**
 * The room's sales as a host reconciles them after the stream (GET /api/rooms/:room/sales):
 * one record per sale with the product's SKU and name as the queue has them now, the amount
 * in minor units, and a CSV for a spreadsheet (UTF-8 with a BOM so Excel reads the Chinese
 * names, prices as plain decimals like the catalog import takes them). A voided sale stays in
 * the list with its void time and counts nothing; a refunded one keeps its quantity and amount
 * as recorded and says how many of its units were refunded (it counts the rest). Pure: the
 * relay passes the sales and state.
 */
import Papa from 'papaparse';
import type { Product, RoomState, Sale } from './domain.js';
import { minorToDecimal } from './money.js';

export interface SaleRecord extends Sale {
  /** SKU and name of the product now; null when it was removed from the queue since. */
  sku: string | null;
  name: string | null;
  /**
   * quantity × unitPriceMinor, as recorded: a voided sale keeps it (`voidedAt` says it counts
   * nothing), so does a refunded one (it counts (quantity − refundedQuantity) × unitPriceMinor).
   */
  amountMinor: number;
}

export function saleRecords(sales: readonly Sale[], products: readonly Product[]): SaleRecord[] {
  const byId = new Map(products.map((p) => [p.id, p]));
  return sales.map((s) => {
    const p = byId.get(s.productId);
    return { ...s, sku: p?.sku ?? null, name: p?.name ?? null, amountMinor: s.quantity * s.unitPriceMinor };
  });
}

/** Columns are only ever added at the end (integrations read them by name or by position). */
export const SALES_CSV_COLUMNS = ['time', 'order_id', 'sku', 'name', 'quantity', 'unit_price', 'amount', 'currency', 'source', 'by', 'voided_at', 'sale_id', 'product_id', 'refunded_quantity', 'presale'] as const;

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

/** The CSV of the records, header first, with the BOM; `header: false` for a following page. */
export function salesCsv(records: readonly SaleRecord[], state: Pick<RoomState, 'room'>, opts: { header?: boolean } = {}): string {
  const header = opts.header ?? true;
  const currency = state.room.currency;
  const rows = records.map((r) => [
    iso(r.at),
    r.orderId ?? '',
    r.sku ?? '',
    r.name ?? '',
    String(r.quantity),
    minorToDecimal(r.unitPriceMinor, currency),
    minorToDecimal(r.amountMinor, currency),
    currency,
    r.source,
    r.by,
    iso(r.voidedAt),
    r.id,
    r.productId,
    // Last, where it was added: a sheet or script that reads the columns by position still finds the others.
    String(r.refundedQuantity),
    // Issue 17: a presale sale ships at the presale's date, not from stock (1/0, as a sheet sums it).
    r.presale ? '1' : '0',
  ]);
  // escapeFormulae: a name or an order id starting with = + - @ is not run as a formula by a spreadsheet.
  const body = Papa.unparse({ fields: [...SALES_CSV_COLUMNS], data: rows }, { header, newline: '\r\n', escapeFormulae: true });
  return header ? '\uFEFF' + body + '\r\n' : rows.length ? body + '\r\n' : '';
}
