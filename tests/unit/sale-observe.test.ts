/**
 * The seller-page reader's commands (shared/commands/observe.ts, rules [O1]–[O8], [R12]):
 * a table of cases on the pure reducer, and a property over shuffled, repeated readings.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findObserved, observedSaleId, refundPlan, OBSERVED_RECENT } from '../../shared/commands/observe.js';
import { roleMay } from '../../shared/commands.js';
import { seededRelay, type TestRelay } from './room-harness.js';

const SITE = 'page:buyin.jinritemai.com';

function observe(r: TestRelay, productId: string, total: number, exact?: boolean, source = SITE) {
  return r.send({ type: 'sale.observe', productId, source, total, ...(exact !== undefined && { exact }) });
}
const binding = (r: TestRelay, productId: string, source = SITE) => findObserved(r.state, source, productId);
const pageSales = (r: TestRelay) => [...r.sales.values()].filter((s) => s.source === SITE);

describe('sale.observe', () => {
  it('[O1] the first reading sets the baseline and counts nothing', () => {
    const { r, rice } = seededRelay();
    const before = r.state.totals;
    const out = observe(r, rice, 3210);
    expect(out.kind).toBe('applied');
    expect(r.state.totals).toEqual(before);
    expect(binding(r, rice)).toMatchObject({ total: 3210, exact: true, pending: null, recent: [] });
  });

  it('[O2] a higher reading records one sale of the difference, from the page, with an id made of (source, product, base, total)', () => {
    const { r, rice } = seededRelay();
    observe(r, rice, 3210);
    const base = binding(r, rice)!.base;
    const out = observe(r, rice, 3215);
    expect(out).toMatchObject({ kind: 'applied', answer: { result: { saleId: observedSaleId(SITE, rice, base, 3215) } } });
    expect(r.product(rice)).toMatchObject({ sold: 5, revenueMinor: 5 * 12800 });
    expect(r.state.totals).toMatchObject({ sold: 5, orders: 1 });
    expect(pageSales(r)).toEqual([expect.objectContaining({ quantity: 5, source: SITE, by: 'host', id: observedSaleId(SITE, rice, base, 3215) })]);
    expect(binding(r, rice)!.recent).toEqual([[observedSaleId(SITE, rice, base, 3215), 5]]);
  });

  it('[O2] [R11] a page sale is counted beyond the stock and on a product marked sold out', () => {
    const { r, pom, egg } = seededRelay();
    observe(r, pom, 100);
    observe(r, pom, 108); // stock was 5
    expect(r.product(pom)).toMatchObject({ stock: 0, sold: 8, oversold: 3, soldOut: true });
    observe(r, egg, 0);
    expect(observe(r, egg, 2).kind).toBe('applied');
    expect(r.product(egg)).toMatchObject({ sold: 2, oversold: 2 });
  });

  it('[O3] [R12] the same total again (reload, re-read, a second tab) is a duplicate: no version, no sale', () => {
    const { r, rice } = seededRelay();
    observe(r, rice, 10);
    observe(r, rice, 12);
    const v = r.state.version;
    for (let i = 0; i < 3; i++) expect(observe(r, rice, 12)).toMatchObject({ kind: 'duplicate', answer: { duplicate: true, version: v } });
    expect(r.state.version).toBe(v);
    expect(r.state.totals.sold).toBe(2);
  });

  it('[O4] a rounded figure counts its lower bound; one below the count says nothing', () => {
    const { r, rice } = seededRelay();
    observe(r, rice, 12_000, false); // 1.2万
    expect(observe(r, rice, 13_000, false).kind).toBe('applied'); // 1.3万
    expect(r.state.totals.sold).toBe(1000);
    observe(r, rice, 13_456); // the page switches to the exact figure
    expect(r.state.totals.sold).toBe(1456);
    expect(observe(r, rice, 13_000, false).kind).toBe('duplicate'); // 1.3万 again: no drop
    expect(binding(r, rice)).toMatchObject({ total: 13_456, pending: null });
  });

  it('[O5] an exact lower total records nothing and waits as the refund to confirm (the latest one)', () => {
    const { r, rice } = seededRelay();
    observe(r, rice, 10);
    observe(r, rice, 15);
    const totals = r.state.totals;
    expect(observe(r, rice, 13).kind).toBe('applied');
    expect(r.state.totals).toEqual(totals);
    expect(binding(r, rice)).toMatchObject({ total: 15, pending: { total: 13 } });
    observe(r, rice, 12);
    expect(binding(r, rice)!.pending).toMatchObject({ total: 12 });
    // [O2] the number comes back up: the drop was a glitch, nothing to confirm any more.
    observe(r, rice, 16);
    expect(binding(r, rice)).toMatchObject({ total: 16, pending: null });
    expect(r.state.totals.sold).toBe(6);
  });

  it('[O6] a confirmed refund takes the units back from the latest page sales, newest first, and a new run begins', () => {
    const { r, pom } = seededRelay();
    observe(r, pom, 0);
    observe(r, pom, 2);
    observe(r, pom, 3);
    observe(r, pom, 1); // 2 fewer
    const o = binding(r, pom)!;
    const plan = refundPlan(o);
    expect(plan.map((p) => p.units)).toEqual([1, 1]);
    const out = r.send({ type: 'sale.settle', productId: pom, source: SITE, total: 1, decision: 'refund', saleIds: plan.map((p) => p.saleId) });
    expect(out.kind).toBe('applied');
    expect(r.product(pom)).toMatchObject({ sold: 1, stock: 4 });
    expect(r.state.totals).toMatchObject({ sold: 1, orders: 1 });
    const after = binding(r, pom)!;
    expect(after).toMatchObject({ total: 1, pending: null });
    expect(after.base).toBeGreaterThan(o.base);
    // The same totals reached again are new sales with new ids, counted once.
    observe(r, pom, 2);
    observe(r, pom, 3);
    expect(r.state.totals.sold).toBe(3);
    expect(new Set(pageSales(r).map((s) => s.id)).size).toBe(4);
  });

  it('[O6] a refund confirmed on a stale view is refused and changes nothing', () => {
    const { r, rice } = seededRelay();
    observe(r, rice, 0);
    observe(r, rice, 5);
    observe(r, rice, 3);
    const ids = refundPlan(binding(r, rice)!).map((p) => p.saleId);
    observe(r, rice, 2); // the page moved on
    const before = structuredClone(r.state);
    expect(r.send({ type: 'sale.settle', productId: rice, source: SITE, total: 3, decision: 'refund', saleIds: ids })).toMatchObject({ kind: 'rejected', error: { code: 'conflict', reason: 'refund_changed', field: 'total' } });
    expect(r.send({ type: 'sale.settle', productId: rice, source: SITE, total: 2, decision: 'refund', saleIds: ['obs-other-5'] })).toMatchObject({ kind: 'rejected', error: { reason: 'refund_changed' } });
    expect(r.state).toEqual(before);
  });

  it('[O6] a page sale the host voided meanwhile gives back nothing more', () => {
    const { r, rice } = seededRelay();
    observe(r, rice, 0);
    observe(r, rice, 4);
    const saleId = binding(r, rice)!.recent[0]![0];
    r.ok({ type: 'sale.void', saleId });
    observe(r, rice, 1);
    r.ok({ type: 'sale.settle', productId: rice, source: SITE, total: 1, decision: 'refund', saleIds: [saleId] });
    expect(r.state.totals).toMatchObject({ sold: 0, revenueMinor: 0, orders: 0 });
  });

  it('[O7] a dismissed drop refunds nothing, keeps the count, and is not asked again', () => {
    const { r, rice } = seededRelay();
    observe(r, rice, 3210);
    observe(r, rice, 3212);
    observe(r, rice, 0); // the console showed 0 while loading
    r.ok({ type: 'sale.settle', productId: rice, source: SITE, total: 0, decision: 'dismiss' });
    expect(binding(r, rice)).toMatchObject({ total: 3212, pending: null, dismissed: 0 });
    expect(observe(r, rice, 0).kind).toBe('duplicate');
    expect(observe(r, rice, 3000).kind).toBe('duplicate');
    observe(r, rice, 3212); // back: nothing counted twice, and the dismissal is over
    expect(binding(r, rice)).toMatchObject({ total: 3212, dismissed: null });
    observe(r, rice, 3210); // a new drop is asked about again
    expect(binding(r, rice)!.pending).toMatchObject({ total: 3210 });
    observe(r, rice, 3213);
    expect(r.state.totals.sold).toBe(3);
  });

  it('[O8] unbinding forgets the binding, keeps its sales, and the next reading is a baseline again', () => {
    const { r, rice } = seededRelay();
    observe(r, rice, 10);
    observe(r, rice, 12);
    r.ok({ type: 'sale.unobserve', productId: rice, source: SITE });
    expect(binding(r, rice)).toBeUndefined();
    expect(r.send({ type: 'sale.unobserve', productId: rice, source: SITE }).kind).toBe('duplicate');
    observe(r, rice, 20);
    expect(r.state.totals.sold).toBe(2);
    observe(r, rice, 21);
    expect(r.state.totals.sold).toBe(3);
  });

  it('keeps each (source, product) apart', () => {
    const { r, rice, pom } = seededRelay();
    observe(r, rice, 10);
    observe(r, rice, 10, true, 'page:live.kuaishou.com');
    observe(r, pom, 1);
    observe(r, rice, 12);
    observe(r, rice, 9, true, 'page:live.kuaishou.com');
    observe(r, pom, 2);
    expect(r.state.totals.sold).toBe(3);
    expect(binding(r, rice, 'page:live.kuaishou.com')!.pending).toMatchObject({ total: 9 });
  });

  it('remembers at most OBSERVED_RECENT sales per binding', () => {
    const { r, rice } = seededRelay();
    for (let t = 0; t <= OBSERVED_RECENT + 5; t++) observe(r, rice, t);
    expect(binding(r, rice)!.recent).toHaveLength(OBSERVED_RECENT);
  });

  // [field, input]
  const bad: [string, Record<string, unknown>][] = [
    ['source', { source: 'console' }],
    ['source', { source: 'feed:abc' }],
    ['source', { source: 'page:a b' }],
    ['total', { total: -1 }],
    ['total', { total: 1.5 }],
    ['total', { total: '12' }],
  ];
  it.each(bad)('refuses a bad %s before the reducer (400 naming the field)', async (field, input) => {
    const { parseCommand } = await import('../../shared/commands.js');
    const r = parseCommand({ id: 'c1', type: 'sale.observe', productId: 'p1', source: SITE, total: 1, ...input });
    expect(r).toMatchObject({ ok: false, issues: [expect.objectContaining({ field })] });
  });

  it('refuses an unknown product (404) and changes nothing', () => {
    const { r } = seededRelay();
    const before = structuredClone(r.state);
    expect(observe(r, 'p_gone', 1)).toMatchObject({ kind: 'rejected', error: { code: 'not_found', reason: 'unknown_product', field: 'productId' } });
    expect(r.state).toEqual(before);
  });

  it('[R8] is the host’s alone', () => {
    for (const t of ['sale.observe', 'sale.settle', 'sale.unobserve'] as const) {
      expect([roleMay('host', t), roleMay('cohost', t), roleMay('sales', t), roleMay('overlay', t)]).toEqual([true, false, false, false]);
    }
  });
});

describe('[O2] [O3] [O5] property: shuffled and repeated readings of a growing number', () => {
  it('count exactly max − first, whatever the order and however often each arrives', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.infiniteStream(fc.nat()),
        (first, steps, extra, order) => {
          const { r, rice } = seededRelay();
          // A growing sequence as the page showed it; then every reading arrives at least once,
          // some again, in any order (two tabs, reloads, a worker that resends).
          const seq = steps.reduce<number[]>((acc, s) => [...acc, acc[acc.length - 1]! + s], [first]);
          const deliveries = [...seq.slice(1), ...extra.map((i) => seq[i % seq.length]!)];
          const it = order[Symbol.iterator]();
          for (let i = deliveries.length - 1; i > 0; i--) {
            const j = it.next().value! % (i + 1);
            [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
          }
          observe(r, rice, first);
          for (const total of deliveries) observe(r, rice, total);
          const max = Math.max(...seq);
          expect(r.state.totals.sold).toBe(max - first);
          expect(r.product(rice).sold).toBe(max - first);
          // No total became two sales.
          const ids = pageSales(r).map((s) => s.id);
          expect(new Set(ids).size).toBe(ids.length);
          // A refund is waiting exactly when the last reading to arrive is below the count.
          const lastDelivered = deliveries[deliveries.length - 1] ?? first;
          expect(binding(r, rice)!.pending?.total ?? null).toBe(lastDelivered < max ? lastDelivered : null);
        },
      ),
      { numRuns: 300 },
    );
  });
});
