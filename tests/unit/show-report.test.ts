/**
 * The after-show report (shared/show-report.ts) against the reducer: a scripted show whose
 * every number is known, properties that the report adds up to the room's totals and its
 * minutes to its totals, and the time a 200k-sale report takes (printed, not asserted).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sale } from '../../shared/domain.js';
import { onAirOf, reportCsv, showReport, timelineCsv, type CardChange } from '../../shared/show-report.js';
import { seededRelay, T0 } from './room-harness.js';

const MIN = 60_000;
/** A minute boundary after the harness's T0 (the timeline's rows start on whole minutes). */
const M0 = Math.ceil(T0 / MIN) * MIN + MIN;

describe('after-show report', () => {
  it('counts a scripted show: cards in turn, sources, a refund, a void, a sell-out', () => {
    const { r, pom, rice } = seededRelay();
    r.state = { ...r.state, products: r.state.products.map((p) => (p.id === rice ? { ...p, netWeightGrams: 5000 } : p)) };
    const cards: CardChange[] = [];
    r.now = M0 + MIN; // minute 1: POM on air
    r.ok({ type: 'card.show', productId: pom });
    cards.push({ at: M0 + MIN, productId: pom });
    r.now = M0 + MIN + 10_000;
    r.send({ type: 'sale.record', productId: pom, quantity: 2 }, 'sales', 'console');
    const refunded = [...r.sales.values()][0]!.id;
    r.send({ type: 'sale.record', productId: pom, quantity: 3 }, 'sales', 'webhook'); // stock 5 → 0
    r.now = M0 + 2 * MIN; // minute 2: RICE on air
    r.ok({ type: 'card.show', productId: rice });
    cards.push({ at: M0 + 2 * MIN, productId: rice });
    r.now = M0 + 2 * MIN + 5000;
    r.send({ type: 'sale.record', productId: rice, quantity: 1 }, 'sales', 'api');
    const voided = [...r.sales.values()].at(-1)!.id;
    r.send({ type: 'sale.record', productId: rice, quantity: 4 }, 'sales', 'api');
    r.send({ type: 'sale.void', saleId: voided }, 'host');
    r.send({ type: 'sale.refund', saleId: refunded, quantity: 1 }, 'sales');
    r.now = M0 + 3 * MIN;
    r.ok({ type: 'card.hide' });
    cards.push({ at: M0 + 3 * MIN, productId: null });

    const rep = showReport({ state: r.state, sales: r.sales.values(), cards, from: M0, to: M0 + 4 * MIN });
    expect(rep.totals).toEqual({ orders: 3, units: 8, revenueMinor: 4 * 5990 + 4 * 12800, refundedMinor: 5990, weightGrams: 20_000 });
    expect(rep.totals).toMatchObject({ orders: r.state.totals.orders, units: r.state.totals.sold, revenueMinor: r.state.totals.revenueMinor });
    const pomRow = rep.products.find((p) => p.productId === pom)!;
    expect(pomRow).toMatchObject({ sku: 'POM', units: 4, refundedUnits: 1, revenueMinor: 4 * 5990, weightGrams: null, onAirMs: MIN, unitsWhileOnAir: 4, soldOutAt: null }); // the refund gave a unit back: no longer sold out
    expect(rep.products.find((p) => p.productId === rice)).toMatchObject({ units: 4, weightGrams: 20_000, onAirMs: MIN, unitsWhileOnAir: 4, soldOutAt: null });
    expect(rep.sources).toEqual([
      { source: 'console', name: 'console', orders: 1, units: 1, revenueMinor: 5990 },
      { source: 'webhook', name: 'webhook', orders: 1, units: 3, revenueMinor: 3 * 5990 },
      { source: 'api', name: 'api', orders: 1, units: 4, revenueMinor: 4 * 12800 },
    ]);
    expect(rep.timeline.map((m) => [m.at - M0, m.orders, m.units, m.onAir])).toEqual([
      [0, 0, 0, null],
      [MIN, 2, 4, pom],
      [2 * MIN, 1, 4, rice],
      [3 * MIN, 0, 0, null],
    ]);
    const csv = reportCsv(rep, 'CNY');
    expect(csv.startsWith('\uFEFFproduct_id,sku,name,units,revenue,')).toBe(true);
    expect(csv).toContain(`${pom},POM,永春芦柑,4,239.60,1,,60,4,`);
    expect(timelineCsv(rep, 'CNY').split('\r\n')[2]).toBe(`${new Date(M0 + MIN).toISOString()},2,4,239.60,${pom},CNY`);
  });

  it('marks presale sales: a product that ran out and went on presale reports how many of its units ship later (#17)', () => {
    const { r, egg } = seededRelay(); // EGG: stock 0
    r.ok({ type: 'presale.set', productId: egg, shipBy: '2026-09-20', quota: 10 });
    r.send({ type: 'sale.record', productId: egg, quantity: 4 }, 'sales', 'api');
    r.ok({ type: 'stock.set', productId: egg, stock: 2 });
    r.send({ type: 'sale.record', productId: egg, quantity: 1 }, 'sales', 'api');
    const rep = showReport({ state: r.state, sales: r.sales.values(), cards: [], from: T0 - MIN, to: r.now + MIN });
    expect(rep.products.find((p) => p.productId === egg)).toMatchObject({ units: 5, presaleUnits: 4 });
    const csv = reportCsv(rep, r.state.room.currency).replace(/^\uFEFF/, '').split('\r\n');
    expect(csv[0]!.split(',').at(-1)).toBe('presale_units');
  });

  it('leaves out every rehearsal sale and the rehearsal’s card, so after rehearsal.end it adds up to the room totals (#19)', () => {
    const { r, pom, rice } = seededRelay();
    r.send({ type: 'sale.record', productId: rice, quantity: 2 }, 'sales', 'api');
    r.ok({ type: 'rehearsal.start', rushOrders: 3000 });
    r.ok({ type: 'card.show', productId: pom });
    expect(onAirOf(r.state)).toBeNull(); // the card shown while rehearsing is practice too
    r.send({ type: 'sale.record', productId: pom, quantity: 3 }, 'sales', 'rehearsal');
    r.send({ type: 'sale.record', productId: rice, quantity: 1 }, 'sales', 'feed:fd_a');
    r.ok({ type: 'rehearsal.end' });
    expect(onAirOf(r.state)).toBe(pom);
    const rep = showReport({ state: r.state, sales: r.sales.values(), cards: [], from: T0 - MIN, to: r.now + MIN });
    expect(rep.totals).toMatchObject({ orders: r.state.totals.orders, units: r.state.totals.sold, revenueMinor: r.state.totals.revenueMinor });
    expect(rep.totals).toMatchObject({ orders: 1, units: 2 });
    expect(rep.sources.map((x) => x.source)).toEqual(['api']);
  });

  it('adds up to the room totals, and its minutes to its totals, whatever the sales', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ op: fc.constantFrom('sale', 'sale', 'sale', 'void', 'refund', 'card'), p: fc.nat(2), q: fc.integer({ min: 1, max: 4 }), ref: fc.nat(), dt: fc.integer({ min: 0, max: 3 * MIN }) }), { maxLength: 60 }),
        (steps) => {
          const { r, pom, rice, egg } = seededRelay();
          const ids = [pom, rice, egg];
          const cards: CardChange[] = [];
          const start = r.now;
          for (const s of steps) {
            r.now += s.dt;
            const saleIds = [...r.sales.keys()];
            if (s.op === 'sale') r.send({ type: 'sale.record', productId: ids[s.p], quantity: s.q }, 'sales');
            else if (s.op === 'void' && saleIds.length) r.send({ type: 'sale.void', saleId: saleIds[s.ref % saleIds.length] });
            else if (s.op === 'refund' && saleIds.length) r.send({ type: 'sale.refund', saleId: saleIds[s.ref % saleIds.length], quantity: s.q });
            else if (s.op === 'card' && r.send({ type: 'card.show', productId: ids[s.p] }).kind === 'applied') cards.push({ at: r.now - 1000, productId: ids[s.p]! });
          }
          const rep = showReport({ state: r.state, sales: r.sales.values(), cards, from: start, to: r.now + 1 });
          expect(rep.totals.orders).toBe(r.state.totals.orders);
          expect(rep.totals.units).toBe(r.state.totals.sold);
          expect(rep.totals.revenueMinor).toBe(r.state.totals.revenueMinor);
          const sum = (k: 'orders' | 'units' | 'revenueMinor') => rep.timeline.reduce((a, m) => a + m[k], 0);
          expect([sum('orders'), sum('units'), sum('revenueMinor')]).toEqual([rep.totals.orders, rep.totals.units, rep.totals.revenueMinor]);
          for (const p of rep.products) expect(p.units).toBe(r.state.products.find((x) => x.id === p.productId)!.sold);
          expect(rep.sources.reduce((a, s) => a + s.revenueMinor, 0)).toBe(rep.totals.revenueMinor);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reports 200k sales in well under a second (figure printed)', () => {
    const { r } = seededRelay();
    const products = r.state.products;
    const sales: Sale[] = [];
    const cards: CardChange[] = [];
    for (let i = 0; i < 180; i++) cards.push({ at: M0 + i * MIN, productId: products[i % products.length]!.id });
    for (let i = 0; i < 200_000; i++) {
      sales.push({ id: `s${i}`, orderId: `o${i}`, productId: products[i % 3]!.id, quantity: 1 + (i % 3), refundedQuantity: i % 50 === 0 ? 1 : 0, unitPriceMinor: 5990, at: M0 + Math.floor((i * 180 * MIN) / 200_000), source: i % 2 ? 'webhook' : 'console', by: 'sales', voidedAt: i % 97 === 0 ? M0 : null, presale: false });
    }
    const t = performance.now();
    const rep = showReport({ state: r.state, sales, cards, from: M0, to: M0 + 180 * MIN });
    const ms = performance.now() - t;
    console.log(`show report over 200,000 sales, 180 minutes, 180 card changes: ${ms.toFixed(1)} ms`);
    expect(rep.timeline).toHaveLength(180);
    expect(rep.totals.orders).toBeGreaterThan(190_000);
  });
});
