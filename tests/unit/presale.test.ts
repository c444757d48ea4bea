/**
 * Issue 17's presale, rule [R10] of shared/room-reducer.ts: what a product with and without a
 * presale does at stock 0, at the quota's edge, on a restock, and when a presale sale is voided
 * or refunded; and the command schemas' refusals.
 */
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../shared/commands.js';
import { TestRelay } from './room-harness.js';

function room(stock: number | null, presale?: { quota: number | null }) {
  const r = new TestRelay();
  const id = r.ok({ type: 'product.add', product: { sku: 'POM', name: '会理石榴', priceMinor: 5990, stock, netWeightGrams: 5000 } }).productId!;
  if (presale) r.ok({ type: 'presale.set', productId: id, shipBy: '2026-09-20', quota: presale.quota });
  const sell = (quantity: number, saleId?: string) => r.send({ ...(saleId ? { id: saleId } : {}), type: 'sale.record', productId: id, quantity });
  return { r, id, sell, p: () => r.product(id) };
}

const refusal = (out: ReturnType<TestRelay['send']>) => (out.kind === 'rejected' ? out.error : out.kind);

describe('[R10] presale at stock 0', () => {
  it.each([
    // stock, presale quota (undefined: none), order → applied?, stock after, presale.sold after, soldOut after
    ['no presale, stock 0: sold out, a sale refused', 0, undefined, 1, false, 0, null, true],
    ['presale, stock 0: not sold out, the sale is a presale sale', 0, 10, 3, true, 0, 3, false],
    ['presale without a limit takes any order', 0, null, 5000, true, 0, 5000, false],
    ['the last units of the quota: sold out after', 0, 10, 10, true, 0, 10, true],
    ['beyond the quota: refused, nothing changes', 0, 10, 11, false, 0, 0, false],
    ['stock left: the sale is from stock, the presale untouched', 5, 10, 2, true, 3, 0, false],
    ['straddling (2 left, 5 asked): refused, sell the 2 first', 2, 10, 5, false, 2, 0, false],
  ] as const)('%s', (_name, stock, quota, order, applied, stockAfter, presaleSold, soldOut) => {
    const { r, sell, p } = room(stock, quota === undefined ? undefined : { quota });
    const before = r.state;
    const out = sell(order);
    expect(out.kind === 'applied').toBe(applied);
    if (!applied) {
      expect(refusal(out)).toMatchObject({ code: 'conflict', reason: 'out_of_stock', field: 'quantity' });
      expect(r.state).toBe(before);
    }
    expect(p()).toMatchObject({ stock: stockAfter, soldOut });
    expect(p().presale?.sold ?? null).toBe(presaleSold);
  });

  it('counts a presale sale in sold, revenue, the totals and the weight, and marks the sale', () => {
    const { r, sell, p } = room(0, { quota: 10 });
    sell(4, 'pre-1');
    expect(p()).toMatchObject({ stock: 0, sold: 4, revenueMinor: 4 * 5990, presale: { shipBy: '2026-09-20', quota: 10, sold: 4 } });
    expect(r.state.totals).toEqual({ sold: 4, revenueMinor: 4 * 5990, orders: 1, weightGrams: 20_000 });
    expect(r.sales.get('pre-1')).toMatchObject({ presale: true, quantity: 4 });
  });

  it('marks a sale from stock as not presale', () => {
    const { r, sell } = room(5, { quota: 10 });
    sell(1, 'stock-1');
    expect(r.sales.get('stock-1')).toMatchObject({ presale: false });
  });

  it('sells the stock first, then the presale, then sold out, then a restock sells from stock again', () => {
    const { r, id, sell, p } = room(2, { quota: 3 });
    expect(sell(2).kind).toBe('applied');
    expect(p()).toMatchObject({ stock: 0, soldOut: false, presale: { sold: 0 } });
    expect(sell(3).kind).toBe('applied');
    expect(p()).toMatchObject({ stock: 0, soldOut: true, presale: { sold: 3 } });
    expect(refusal(sell(1))).toMatchObject({ reason: 'out_of_stock' });
    r.ok({ type: 'stock.set', productId: id, stock: 4 });
    expect(p()).toMatchObject({ stock: 4, soldOut: false });
    expect(sell(1).kind).toBe('applied');
    expect(p()).toMatchObject({ stock: 3, presale: { sold: 3 } });
  });

  it('a void of a presale sale gives back quota, not stock; it reopens a used-up presale', () => {
    const { r, sell, p } = room(0, { quota: 5 });
    sell(5, 'pre-5');
    expect(p().soldOut).toBe(true);
    const out = r.send({ type: 'sale.void', saleId: 'pre-5' });
    expect(out.kind).toBe('applied');
    expect(p()).toMatchObject({ stock: 0, sold: 0, soldOut: false, presale: { sold: 0 } });
    expect(r.state.totals).toEqual({ sold: 0, revenueMinor: 0, orders: 0, weightGrams: 0 });
  });

  it('a refund of a presale sale gives back its units of quota', () => {
    const { r, sell, p } = room(0, { quota: 5 });
    sell(5, 'pre-5');
    r.ok({ type: 'sale.refund', saleId: 'pre-5', quantity: 2 });
    expect(p()).toMatchObject({ stock: 0, sold: 3, soldOut: false, presale: { sold: 3 } });
    expect(sell(2).kind).toBe('applied');
    expect(refusal(sell(1))).toMatchObject({ reason: 'out_of_stock' });
  });

  it('a void of a stock sale after the presale began gives the stock back, not quota', () => {
    const { r, sell, p } = room(1, { quota: 5 });
    sell(1, 'stock-1');
    sell(2, 'pre-2');
    r.ok({ type: 'sale.void', saleId: 'stock-1' });
    expect(p()).toMatchObject({ stock: 1, presale: { sold: 2 }, soldOut: false });
  });

  it('presale.set keeps what was sold when the date or quota changes; a quota below it closes the presale', () => {
    const { r, id, sell, p } = room(0, { quota: 10 });
    sell(6);
    r.ok({ type: 'presale.set', productId: id, shipBy: '2026-10-01', quota: 5 });
    expect(p()).toMatchObject({ presale: { shipBy: '2026-10-01', quota: 5, sold: 6 }, soldOut: true });
    r.ok({ type: 'presale.set', productId: id, shipBy: '2026-10-01', quota: null });
    expect(p()).toMatchObject({ soldOut: false });
  });

  it('presale.set on a sold-out product clears the stamp; presale.clear brings it back; a void then gives back nothing to stock', () => {
    const { r, id, sell, p } = room(0);
    expect(p().soldOut).toBe(true);
    const set = r.send({ type: 'presale.set', productId: id, shipBy: '2026-09-20', quota: null });
    expect(set.kind === 'applied' && set.events.map((e) => e.type)).toEqual(['product.updated', 'product.soldOut']);
    sell(2, 'pre-2');
    r.ok({ type: 'presale.clear', productId: id });
    expect(p()).toMatchObject({ presale: null, soldOut: true, sold: 2 });
    r.ok({ type: 'sale.void', saleId: 'pre-2' });
    expect(p()).toMatchObject({ presale: null, stock: 0, sold: 0, soldOut: true });
  });

  it('a manual sold-out mark wins over a presale', () => {
    const { r, id, sell, p } = room(0, { quota: null });
    r.ok({ type: 'product.soldOut', productId: id });
    expect(p().soldOut).toBe(true);
    expect(refusal(sell(1))).toMatchObject({ reason: 'sold_out' });
  });

  it('only the host may set or clear a presale', () => {
    const { r, id } = room(0);
    for (const by of ['cohost', 'sales'] as const) {
      expect(refusal(r.send({ type: 'presale.set', productId: id, shipBy: '2026-09-20', quota: 1 }, by))).toMatchObject({ code: 'forbidden', reason: 'role' });
      expect(refusal(r.send({ type: 'presale.clear', productId: id }, by))).toMatchObject({ code: 'forbidden', reason: 'role' });
    }
  });

  it('presale.set by SKU (a catalog import\'s row), and an unknown SKU refused naming sku', () => {
    const { r, p } = room(0);
    r.ok({ type: 'presale.set', sku: 'POM', shipBy: '2026-09-20', quota: 7 });
    expect(p()).toMatchObject({ presale: { shipBy: '2026-09-20', quota: 7, sold: 0 }, soldOut: false });
    expect(refusal(r.send({ type: 'presale.set', sku: 'NOPE', shipBy: '2026-09-20', quota: 1 }))).toMatchObject({ code: 'not_found', reason: 'unknown_sku', field: 'sku' });
  });

  it('refuses an unknown product', () => {
    const { r } = room(0);
    expect(refusal(r.send({ type: 'presale.set', productId: 'nope', shipBy: '2026-09-20', quota: 1 }))).toMatchObject({ code: 'not_found', reason: 'unknown_product', field: 'productId' });
  });
});

describe('presale command schemas', () => {
  const set = (over: Record<string, unknown>) => parseCommand({ id: 'c1', type: 'presale.set', productId: 'p1', shipBy: '2026-09-20', quota: 10, ...over });
  it.each([
    ['shipBy not a real day', { shipBy: '2026-02-30' }, 'shipBy', 'must be a date written YYYY-MM-DD'],
    ['shipBy in another format', { shipBy: '20/09/2026' }, 'shipBy', 'must be a date written YYYY-MM-DD'],
    ['quota 0', { quota: 0 }, 'quota', 'must be at least 1'],
    ['quota not whole', { quota: 2.5 }, 'quota', 'must be a whole number of units'],
    ['quota missing (null is no limit, absent is a mistake)', { quota: undefined }, 'quota', 'or null for no limit'],
    ['neither productId nor sku', { productId: undefined }, 'productId', 'give productId or sku'],
  ])('refuses %s, naming the field', (_n, over, field, message) => {
    const r = set(over);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toEqual([{ field, message: expect.stringContaining(message) }]);
  });
  it('accepts a quota of null', () => {
    expect(set({ quota: null }).ok).toBe(true);
  });
});
