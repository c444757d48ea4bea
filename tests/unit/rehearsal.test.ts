/**
 * Issue 19's rehearsal, rules [Rh1]–[Rh8] of shared/commands/rehearsal.ts, on the pure reducer:
 * what start, stop and end do, the sales marked, what the end takes back (counts, totals,
 * weight, stock, presale quota, oversold), and a property: start → any sales, voids and refunds
 * → end leaves every count as it was before the start.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../shared/commands.js';
import type { RoomState, SaleSource } from '../../shared/domain.js';
import { TestRelay } from './room-harness.js';

const refusal = (out: ReturnType<TestRelay['send']>) => (out.kind === 'rejected' ? out.error : out.kind);

/** What the end must give back: every count of the room and of its products. */
function counts(s: RoomState) {
  return {
    totals: s.totals,
    products: s.products.map((p) => ({ id: p.id, stock: p.stock, sold: p.sold, revenueMinor: p.revenueMinor, soldOut: p.soldOut, presale: p.presale, oversold: p.oversold })),
  };
}

/** POM: stock 5, 2.5 kg; RICE: unlimited, 5 kg; PEAR: stock 0 with a presale of 10, 1 kg. */
function room() {
  const r = new TestRelay();
  const add = (sku: string, name: string, priceMinor: number, stock: number | null, netWeightGrams: number) =>
    r.ok({ type: 'product.add', product: { sku, name, priceMinor, stock, netWeightGrams } }).productId!;
  const pom = add('POM', '会理石榴', 5990, 5, 2500);
  const rice = add('RICE', '五常大米', 12800, null, 5000);
  const pear = add('PEAR', '砀山酥梨', 3990, 0, 1000);
  r.ok({ type: 'presale.set', productId: pear, shipBy: '2026-09-20', quota: 10 });
  return { r, pom, rice, pear };
}

describe('[Rh1] rehearsal.start', () => {
  it('puts the room in rehearsal with the pace asked, the feed running, nothing counted', () => {
    const { r } = room();
    r.ok({ type: 'rehearsal.start', ordersPerMinute: 120, rushOrders: 3000, rushSeconds: 60 });
    expect(r.state.mode).toBe('rehearsal');
    expect(r.state.rehearsal).toEqual({
      startedAt: r.now - 1000,
      resumedAt: r.now - 1000,
      ordersPerMinute: 120,
      rushOrders: 3000,
      rushSeconds: 60,
      running: true,
      counted: { sold: 0, revenueMinor: 0, orders: 0, weightGrams: 0 },
    });
  });

  it('takes 30 orders a minute and no rush when nothing is given', () => {
    const { r } = room();
    r.ok({ type: 'rehearsal.start' });
    expect(r.state.rehearsal).toMatchObject({ ordersPerMinute: 30, rushOrders: 0, rushSeconds: 60, running: true });
  });

  it.each([
    ['ordersPerMinute', -1, 'must be at least 0'],
    ['ordersPerMinute', 601, 'must be at most 600'],
    ['ordersPerMinute', 1.5, 'must be a whole number of orders per minute'],
    ['rushOrders', 10_001, 'must be at most 10000'],
    ['rushSeconds', 0, 'must be at least 1'],
    ['rushSeconds', 601, 'must be at most 600'],
    ['rushSeconds', '60', 'must be a whole number of seconds'],
  ] as const)('refuses %s = %j with a message naming the field', (field, value, message) => {
    const r = parseCommand({ id: 'c1', type: 'rehearsal.start', [field]: value });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toContainEqual(expect.objectContaining({ field, message }));
  });

  it('is the host’s only: a co-host, the sales token and the overlay are refused 403', () => {
    const { r } = room();
    for (const role of ['cohost', 'sales', 'overlay'] as const) {
      for (const type of ['rehearsal.start', 'rehearsal.stop', 'rehearsal.end']) {
        expect(refusal(r.send({ type }, role))).toMatchObject({ code: 'forbidden', reason: 'role' });
      }
    }
    expect(r.state.mode).toBe('live');
  });
});

describe('[Rh2] start twice, stop, end without start', () => {
  it('a second start goes on with the same rehearsal at the new pace: its sales stay in it', () => {
    const { r, pom } = room();
    r.ok({ type: 'rehearsal.start', ordersPerMinute: 10 });
    const startedAt = r.state.rehearsal!.startedAt;
    r.ok({ type: 'sale.record', productId: pom, quantity: 2 });
    r.ok({ type: 'rehearsal.stop' });
    r.ok({ type: 'rehearsal.start', ordersPerMinute: 200, rushOrders: 500, rushSeconds: 30 });
    expect(r.state.rehearsal).toMatchObject({ startedAt, resumedAt: r.now - 1000, ordersPerMinute: 200, rushOrders: 500, rushSeconds: 30, running: true, counted: { sold: 2, orders: 1 } });
    r.ok({ type: 'rehearsal.end' });
    expect(r.product(pom)).toMatchObject({ stock: 5, sold: 0 });
  });

  it('stop stops the feed and keeps the rehearsal; a second stop changes nothing but the version', () => {
    const { r } = room();
    r.ok({ type: 'rehearsal.start' });
    r.ok({ type: 'rehearsal.stop' });
    expect(r.state).toMatchObject({ mode: 'rehearsal', rehearsal: { running: false } });
    const before = r.state;
    r.ok({ type: 'rehearsal.stop' });
    expect({ ...r.state, version: 0, updatedAt: 0 }).toEqual({ ...before, version: 0, updatedAt: 0 });
  });

  it.each(['rehearsal.stop', 'rehearsal.end'])('%s of a live room is refused not_rehearsing (409) and changes nothing', (type) => {
    const { r } = room();
    const before = r.state;
    expect(refusal(r.send({ type }))).toMatchObject({ code: 'conflict', reason: 'not_rehearsing' });
    expect(r.state).toBe(before);
  });

  it('end after end is refused too: the rehearsal is over', () => {
    const { r } = room();
    r.ok({ type: 'rehearsal.start' });
    r.ok({ type: 'rehearsal.end' });
    expect(refusal(r.send({ type: 'rehearsal.end' }))).toMatchObject({ reason: 'not_rehearsing' });
  });
});

describe('[Rh3] every sale while rehearsing is a rehearsal sale', () => {
  it.each([
    ['the host’s +1 on the console', 'host', 'console'],
    ['the sales API', 'sales', 'api'],
    ['a shop feed', 'sales', 'feed:fd_a'],
    ['the simulated feed', 'sales', 'rehearsal'],
  ] as const)('%s is marked rehearsal: true', (_what, by, source) => {
    const { r, pom } = room();
    r.ok({ type: 'rehearsal.start' });
    const out = r.send({ id: 'sale-1', type: 'sale.record', productId: pom }, by, source as SaleSource);
    expect(out.kind).toBe('applied');
    expect(r.sales.get('sale-1')).toMatchObject({ rehearsal: true, source });
  });

  it('a live sale carries no mark', () => {
    const { r, pom } = room();
    r.ok({ id: 'live-1', type: 'sale.record', productId: pom });
    expect(r.sales.get('live-1')).not.toHaveProperty('rehearsal');
  });

  it.each([
    ['in a live room', () => {}],
    ['after stop', (r: TestRelay) => (r.ok({ type: 'rehearsal.start' }), r.ok({ type: 'rehearsal.stop' }))],
    ['after end', (r: TestRelay) => (r.ok({ type: 'rehearsal.start' }), r.ok({ type: 'rehearsal.end' }))],
  ])('refuses a simulated order %s (one still in flight never counts)', (_when, setup) => {
    const { r, pom } = room();
    setup(r);
    const before = r.state;
    expect(refusal(r.send({ type: 'sale.record', productId: pom }, 'sales', 'rehearsal'))).toMatchObject({ code: 'conflict', reason: 'not_rehearsing' });
    expect(r.state).toBe(before);
  });
});

describe('[Rh4] [Rh7] rehearsal.end takes every rehearsal sale out', () => {
  it('gives back the counts, totals, weight and stock, and leaves the queue, card and settings', () => {
    const { r, pom, rice } = room();
    r.ok({ type: 'sale.record', productId: pom, quantity: 1 });
    r.ok({ type: 'card.show', productId: pom });
    const before = counts(r.state);
    r.ok({ type: 'rehearsal.start', rushOrders: 3000 });
    r.ok({ type: 'sale.record', productId: pom, quantity: 4 });
    r.send({ type: 'sale.record', productId: rice, quantity: 3 }, 'sales', 'rehearsal');
    expect(r.product(pom)).toMatchObject({ stock: 0, sold: 5, soldOut: true });
    expect(r.state.totals).toMatchObject({ sold: 8, orders: 3, weightGrams: 5 * 2500 + 3 * 5000 });
    r.ok({ type: 'card.next' });
    r.ok({ type: 'ticker.push', text: '包邮' });
    const kept = r.state;
    r.ok({ type: 'rehearsal.end' });
    expect(counts(r.state)).toEqual(before);
    expect(r.state).toMatchObject({ mode: 'live', rehearsal: null, currentProductId: kept.currentProductId, cardVisible: true, ticker: kept.ticker, room: kept.room });
    expect(r.state.products.map((p) => p.id)).toEqual(kept.products.map((p) => p.id));
    for (const p of r.state.products) expect(p).not.toHaveProperty('rehearsal');
  });

  it('gives back the presale quota of a presale sale made while rehearsing', () => {
    const { r, pear } = room();
    r.ok({ type: 'rehearsal.start' });
    r.ok({ type: 'sale.record', productId: pear, quantity: 10 });
    expect(r.product(pear)).toMatchObject({ stock: 0, soldOut: true, presale: { sold: 10 } });
    r.ok({ type: 'rehearsal.end' });
    expect(r.product(pear)).toMatchObject({ stock: 0, sold: 0, soldOut: false, presale: { quota: 10, sold: 0 } });
  });

  it('a presale opened while rehearsing stays open after the end (the host’s setting); its quota comes back', () => {
    const { r, pom } = room();
    r.ok({ type: 'rehearsal.start' });
    r.ok({ type: 'sale.record', productId: pom, quantity: 5 });
    r.ok({ type: 'presale.set', productId: pom, shipBy: '2026-10-01', quota: 20 });
    r.ok({ type: 'sale.record', productId: pom, quantity: 7 });
    r.ok({ type: 'rehearsal.end' });
    expect(r.product(pom)).toMatchObject({ stock: 5, sold: 0, presale: { shipBy: '2026-10-01', quota: 20, sold: 0 }, soldOut: false });
  });

  it('takes out a shop feed’s order counted beyond the stock, oversold included ([R11])', () => {
    const { r, pom } = room();
    r.ok({ type: 'rehearsal.start' });
    r.send({ type: 'sale.record', productId: pom, quantity: 8, orderId: 'shop:1' }, 'sales', 'feed:fd_a');
    expect(r.product(pom)).toMatchObject({ stock: 0, oversold: 3 });
    r.ok({ type: 'rehearsal.end' });
    expect(r.product(pom)).toMatchObject({ stock: 5, sold: 0 });
    expect(r.product(pom)).not.toHaveProperty('oversold');
  });
});

describe('[Rh5] stock.set while rehearsing, then end', () => {
  it.each([
    // sold before the count, the host's count, sold after it → stock at the end
    ['the host counts 10 after 3 practice sales, 2 more after it: 10 at the end', 3, 10, 2, 10],
    ['the host counts 0 (sold out in the warehouse): 0 at the end, not 5', 2, 0, 0, 0],
    ['the host counts unlimited: unlimited at the end', 2, null, 4, null],
    ['the host counts 4 before any practice sale, 4 sold after it: 4 at the end', 0, 4, 4, 4],
  ] as const)('%s', (_name, soldBefore, count, soldAfter, stockAtEnd) => {
    const { r, pom } = room();
    r.ok({ type: 'rehearsal.start' });
    if (soldBefore) r.ok({ type: 'sale.record', productId: pom, quantity: soldBefore });
    r.ok({ type: 'stock.set', productId: pom, stock: count });
    if (soldAfter) r.ok({ type: 'sale.record', productId: pom, quantity: soldAfter });
    r.ok({ type: 'rehearsal.end' });
    // Never above what the stock would be without the rehearsal's sales and with the host's count.
    expect(r.product(pom)).toMatchObject({ stock: stockAtEnd, sold: 0, revenueMinor: 0 });
    expect(r.state.totals).toEqual({ sold: 0, revenueMinor: 0, orders: 0, weightGrams: 0 });
  });

  it('a rehearsal sale voided after the host’s count gives its units back to the counted stock once', () => {
    const { r, pom } = room();
    r.ok({ type: 'rehearsal.start' });
    r.ok({ id: 'practice-1', type: 'sale.record', productId: pom, quantity: 2 });
    r.ok({ type: 'stock.set', productId: pom, stock: 10 });
    r.ok({ type: 'sale.void', saleId: 'practice-1' });
    expect(r.product(pom).stock).toBe(12);
    r.ok({ type: 'rehearsal.end' });
    expect(r.product(pom)).toMatchObject({ stock: 10, sold: 0 });
  });
});

describe('[Rh6] [Rh8] voids and refunds around a rehearsal', () => {
  it('a rehearsal sale voided during the rehearsal is not taken out twice at the end', () => {
    const { r, pom } = room();
    const before = counts(r.state);
    r.ok({ type: 'rehearsal.start' });
    r.ok({ id: 'practice-1', type: 'sale.record', productId: pom, quantity: 2 });
    r.ok({ id: 'practice-2', type: 'sale.record', productId: pom, quantity: 3 });
    r.ok({ type: 'sale.void', saleId: 'practice-1' });
    r.ok({ type: 'sale.refund', saleId: 'practice-2', quantity: 1 });
    expect(r.state.rehearsal!.counted).toEqual({ sold: 2, revenueMinor: 2 * 5990, orders: 1, weightGrams: 2 * 2500 });
    r.ok({ type: 'rehearsal.end' });
    expect(counts(r.state)).toEqual(before);
  });

  it('the host’s undo of a practice sale counts as its void', () => {
    const { r, pom } = room();
    r.ok({ type: 'rehearsal.start' });
    r.ok({ id: 'practice-1', type: 'sale.record', productId: pom, quantity: 2 });
    r.ok({ type: 'command.undo', commandId: 'practice-1' });
    r.ok({ type: 'rehearsal.end' });
    expect(r.product(pom)).toMatchObject({ stock: 5, sold: 0 });
  });

  it.each([
    ['sale.void', { saleId: 'practice-1' }, 'saleId'],
    ['sale.refund', { saleId: 'practice-1', quantity: 1 }, 'saleId'],
    ['command.undo', { commandId: 'practice-1' }, 'commandId'],
  ] as const)('%s of a sale of an ended rehearsal is refused rehearsal_over, also during a later one', (type, fields, field) => {
    const { r, pom } = room();
    r.ok({ type: 'rehearsal.start' });
    r.ok({ id: 'practice-1', type: 'sale.record', productId: pom, quantity: 2 });
    r.ok({ type: 'rehearsal.end' });
    const before = r.state;
    expect(refusal(r.send({ type, ...fields }))).toMatchObject({ code: 'conflict', reason: 'rehearsal_over', field });
    expect(r.state).toBe(before);
    r.ok({ type: 'rehearsal.start' });
    expect(refusal(r.send({ type, ...fields }))).toMatchObject({ reason: 'rehearsal_over' });
  });

  it('a live sale refunded during the rehearsal stays refunded after it', () => {
    const { r, pom } = room();
    r.ok({ id: 'live-1', type: 'sale.record', productId: pom, quantity: 2 });
    r.ok({ type: 'rehearsal.start' });
    r.ok({ type: 'sale.record', productId: pom, quantity: 1 });
    r.send({ type: 'sale.refund', saleId: 'live-1', quantity: 2 }, 'sales', 'feed:fd_a');
    r.ok({ type: 'rehearsal.end' });
    expect(r.product(pom)).toMatchObject({ stock: 5, sold: 0 });
    expect(r.state.totals).toMatchObject({ sold: 0, orders: 0 });
  });
});

describe('[Rh7] property: start → any sales, voids and refunds → end', () => {
  type Step =
    | { k: 'sale'; product: number; quantity: number; source: SaleSource }
    | { k: 'void'; ref: number }
    | { k: 'refund'; ref: number; quantity: number };
  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ k: fc.constant('sale' as const), product: fc.nat(3), quantity: fc.integer({ min: 1, max: 6 }), source: fc.constantFrom<SaleSource>('console', 'api', 'rehearsal', 'feed:fd_a', 'page:douyin') }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('void' as const), ref: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('refund' as const), ref: fc.nat(), quantity: fc.integer({ min: 1, max: 3 }) }) },
  );
  const liveArb = fc.array(fc.record({ product: fc.nat(3), quantity: fc.integer({ min: 1, max: 4 }), feed: fc.boolean() }), { maxLength: 8 });

  it('leaves every count, total and stock as it was before the start', () => {
    fc.assert(
      fc.property(liveArb, fc.array(stepArb, { maxLength: 60 }), (live, steps) => {
        const { r, pom, rice, pear } = room();
        // A sold-out product too.
        const egg = r.ok({ type: 'product.add', product: { sku: 'EGG', name: '土鸡蛋', priceMinor: 3500, stock: 0, netWeightGrams: 600 } }).productId!;
        const ids = [pom, rice, pear, egg];
        // A live show before: sales from the console and from a feed (some beyond the stock).
        for (const s of live) r.send({ type: 'sale.record', productId: ids[s.product]!, quantity: s.quantity, ...(s.feed && { orderId: r.nextId('o') }) }, 'sales', s.feed ? 'feed:fd_a' : 'console');
        const before = counts(r.state);
        r.ok({ type: 'rehearsal.start' });
        const practice: string[] = [];
        for (const step of steps) {
          if (step.k === 'sale') {
            const id = r.nextId('s');
            const out = r.send({ id, type: 'sale.record', productId: ids[step.product]!, quantity: step.quantity }, step.source === 'console' ? 'host' : 'sales', step.source);
            if (out.kind === 'applied') practice.push(id);
          } else if (practice.length) {
            const saleId = practice[step.ref % practice.length]!;
            r.send(step.k === 'void' ? { type: 'sale.void', saleId } : { type: 'sale.refund', saleId, quantity: step.quantity });
          }
        }
        r.ok({ type: 'rehearsal.end' });
        expect(counts(r.state)).toEqual(before);
        expect(r.state.mode).toBe('live');
      }),
      { numRuns: 300 },
    );
  });
});
