/**
 * Properties of the reducer over random command sequences, driven through processCommand
 * with the relay's bookkeeping (tests/unit/room-harness.ts). Sequences mix products, sales of
 * random quantities (many beyond stock), voids and refunds (many beyond what is left) of random
 * earlier sales, stock.set, manual
 * sold-out marks, removals, price changes, resends of earlier command ids and reuse of orderIds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../shared/commands.js';
import type { RoomState } from '../../shared/domain.js';
import type { CommandAnswer, ProcessOutcome } from '../../shared/room-reducer.js';
import { cmd, TestRelay } from './room-harness.js';

type Step =
  | { k: 'add'; sku: number; price: number; stock: number | null }
  | { k: 'sale'; ref: number; quantity: number; order: number | null; bySku: boolean; role: 'host' | 'sales' }
  | { k: 'void'; ref: number }
  | { k: 'refund'; ref: number; quantity: number; role: 'host' | 'sales' }
  | { k: 'stock'; ref: number; stock: number | null }
  | { k: 'soldOut'; ref: number; on: boolean }
  | { k: 'remove'; ref: number }
  | { k: 'price'; ref: number; price: number }
  | { k: 'next' }
  | { k: 'repeat'; ref: number };

const stockArb = fc.option(fc.integer({ min: 0, max: 12 }), { nil: null, freq: 4 });
const addArb = fc.record({ k: fc.constant('add' as const), sku: fc.integer({ min: 0, max: 6 }), price: fc.integer({ min: 0, max: 99_999 }), stock: stockArb });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: addArb },
  {
    weight: 8,
    arbitrary: fc.record({
      k: fc.constant('sale' as const),
      ref: fc.nat(),
      quantity: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 20 })),
      order: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
      bySku: fc.boolean(),
      role: fc.constantFrom('host' as const, 'sales' as const),
    }),
  },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('void' as const), ref: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({ k: fc.constant('refund' as const), ref: fc.nat(), quantity: fc.oneof(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 6 })), role: fc.constantFrom('host' as const, 'sales' as const) }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('stock' as const), ref: fc.nat(), stock: stockArb }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('soldOut' as const), ref: fc.nat(), on: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('remove' as const), ref: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('price' as const), ref: fc.nat(), price: fc.integer({ min: 0, max: 99_999 }) }) },
  { weight: 1, arbitrary: fc.constant({ k: 'next' as const }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('repeat' as const), ref: fc.nat() }) },
);
// A few products first, so most later steps have something to act on.
const sequenceArb = fc
  .tuple(fc.array(addArb, { minLength: 1, maxLength: 4 }), fc.array(stepArb, { minLength: 1, maxLength: 80 }))
  .map(([adds, rest]): Step[] => [...adds, ...rest]);

interface Sent {
  command: Command;
  by: 'host' | 'sales';
  out: ProcessOutcome;
}

/** Builds the command for a step against the current state; refs pick among what exists. */
function toCommand(r: TestRelay, step: Exclude<Step, { k: 'repeat' }>, id: string): { command: Command; by: 'host' | 'sales' } {
  const products = r.state.products;
  const pick = (ref: number) => products[ref % Math.max(products.length, 1)]?.id ?? 'p_missing';
  switch (step.k) {
    case 'add':
      return { by: 'host', command: cmd({ id, type: 'product.add', product: { sku: `SKU-${step.sku}`, name: `商品 ${step.sku}`, priceMinor: step.price, stock: step.stock } }) };
    case 'sale': {
      const product = products[step.ref % Math.max(products.length, 1)];
      const target = step.bySku && product ? { sku: product.sku } : { productId: product?.id ?? 'p_missing' };
      return {
        by: step.role,
        command: cmd({ id, type: 'sale.record', ...target, quantity: step.quantity, ...(step.order !== null && { orderId: `order-${step.order}` }) }),
      };
    }
    case 'void': {
      const ids = [...r.sales.keys()];
      return { by: 'host', command: cmd({ id, type: 'sale.void', saleId: ids[step.ref % Math.max(ids.length, 1)] ?? 'sale_missing' }) };
    }
    case 'refund': {
      const ids = [...r.sales.keys()];
      return { by: step.role, command: cmd({ id, type: 'sale.refund', saleId: ids[step.ref % Math.max(ids.length, 1)] ?? 'sale_missing', quantity: step.quantity }) };
    }
    case 'stock':
      return { by: 'host', command: cmd({ id, type: 'stock.set', productId: pick(step.ref), stock: step.stock }) };
    case 'soldOut':
      return { by: 'host', command: cmd({ id, type: 'product.soldOut', productId: pick(step.ref), soldOut: step.on }) };
    case 'remove':
      return { by: 'host', command: cmd({ id, type: 'product.remove', productId: pick(step.ref) }) };
    case 'price':
      return { by: 'host', command: cmd({ id, type: 'product.update', productId: pick(step.ref), changes: { priceMinor: step.price } }) };
    case 'next':
      return { by: 'host', command: cmd({ id, type: 'card.next' }) };
  }
}

/** The invariants every reachable state holds, computed from the recorded sales. */
function checkInvariants(r: TestRelay): void {
  const live = [...r.sales.values()].filter((s) => s.voidedAt === null);
  // [R9] a sale counts its units not refunded, never fewer than none
  for (const s of r.sales.values()) expect(s.refundedQuantity).toBeGreaterThanOrEqual(0);
  for (const s of r.sales.values()) expect(s.refundedQuantity).toBeLessThanOrEqual(s.quantity);
  const units = (s: { quantity: number; refundedQuantity: number }) => s.quantity - s.refundedQuantity;
  // [R6] [R9] totals equal the sum over non-voided sales of their counted units; orders, those that still count one
  expect(r.state.totals).toEqual({
    sold: live.reduce((n, s) => n + units(s), 0),
    revenueMinor: live.reduce((n, s) => n + units(s) * s.unitPriceMinor, 0),
    orders: live.filter((s) => units(s) > 0).length,
    // weightGrams is Σ units × the product's net weight (checked in tests/unit/farm-weight.test.ts).
    weightGrams: r.state.totals.weightGrams,
  });
  for (const p of r.state.products) {
    const mine = live.filter((s) => s.productId === p.id);
    expect(p.sold).toBe(mine.reduce((n, s) => n + units(s), 0));
    expect(p.revenueMinor).toBe(mine.reduce((n, s) => n + units(s) * s.unitPriceMinor, 0));
    // [R4] stock is never negative; [R5] soldOut is exactly stock 0 or a manual mark
    if (p.stock !== null) expect(p.stock).toBeGreaterThanOrEqual(0);
    expect(p.soldOut).toBe(p.stock === 0 || p.soldOutManual);
  }
  expect(new Set(r.state.products.map((p) => p.sku)).size).toBe(r.state.products.length);
  // [R7] an orderId belongs to at most one sale
  const orderIds = [...r.sales.values()].flatMap((s) => (s.orderId === null ? [] : [s.orderId]));
  expect(new Set(orderIds).size).toBe(orderIds.length);
}

function run(steps: Step[]): void {
  const r = new TestRelay();
  const sent: Sent[] = [];
  /** Stock as a separate model computes it: set by add/stock.set, moved by sales and voids. */
  const modelStock = new Map<string, number | null>();
  const firstAnswer = new Map<string, CommandAnswer>();

  steps.forEach((step, i) => {
    const before: RoomState = r.state;
    let command: Command;
    let by: 'host' | 'sales';
    if (step.k === 'repeat') {
      const earlier = sent[step.ref % Math.max(sent.length, 1)];
      if (!earlier) return;
      ({ command, by } = earlier);
    } else {
      ({ command, by } = toCommand(r, step, `cmd-${i}`));
    }
    const saleProduct = command.type === 'sale.record' ? before.products.find((p) => (command.type === 'sale.record' && command.productId !== undefined ? p.id === command.productId : p.sku === (command as { sku?: string }).sku)) : undefined;
    const refundTarget = command.type === 'sale.refund' ? r.sales.get(command.saleId) : undefined;
    const resent = firstAnswer.has(command.id);
    const knownOrder = command.type === 'sale.record' && command.orderId !== undefined ? r.orders.get(command.orderId) : undefined;

    const out = r.send(command, by);
    sent.push({ command, by, out });

    if (out.kind === 'applied') {
      // [R1] exactly one version per applied command, and the answer says which
      expect(r.state.version).toBe(before.version + 1);
      expect(out.answer).toMatchObject({ ok: true, duplicate: false, version: r.state.version });
      expect(firstAnswer.has(command.id)).toBe(false);
      // products no event names keep their object identity (the store writes only changed rows)
      const touched = new Set(out.events.flatMap((e) => ('productId' in e ? [e.productId] : 'sale' in e ? [e.sale.productId] : [])));
      const old = new Map(before.products.map((p) => [p.id, p]));
      for (const p of r.state.products) if (old.has(p.id) && !touched.has(p.id)) expect(p).toBe(old.get(p.id));
      firstAnswer.set(command.id, out.answer);
      // a resent command id or a reused orderId is never applied
      expect(knownOrder).toBeUndefined();
    } else {
      // [R1] a refused or duplicate command changes nothing, not even the object
      expect(r.state).toBe(before);
    }

    if (out.kind === 'duplicate') {
      const first = firstAnswer.get(command.id) ?? (knownOrder !== undefined ? firstAnswer.get(knownOrder) : undefined);
      // [R3] [R7] the first answer comes back, marked duplicate
      expect(first).toBeDefined();
      expect(out.answer).toEqual({ ...first, duplicate: true });
    }
    if (firstAnswer.has(command.id) && out.kind !== 'applied') expect(out.kind).toBe('duplicate');

    if (out.kind === 'applied') {
      for (const ev of out.events) {
        if (ev.type === 'product.added') modelStock.set(ev.productId, (command as Extract<Command, { type: 'product.add' }>).product.stock ?? null);
        if (ev.type === 'stock.changed') modelStock.set(ev.productId, ev.stock);
        if (ev.type === 'sale.recorded' || ev.type === 'sale.voided' || ev.type === 'sale.refunded') {
          // A sale takes its units; a refund gives back the units it refunds, a void the units still counted.
          const moved = ev.type === 'sale.recorded' ? -ev.sale.quantity : ev.type === 'sale.refunded' ? ev.quantity : ev.sale.quantity - ev.sale.refundedQuantity;
          const s = modelStock.get(ev.sale.productId);
          if (s !== undefined && s !== null) modelStock.set(ev.sale.productId, s + moved);
        }
      }
    }
    // [R9] a refund beyond the units its sale still counts is refused (a resent one is a duplicate)
    if (command.type === 'sale.refund' && !resent && refundTarget && refundTarget.voidedAt === null && command.quantity > refundTarget.quantity - refundTarget.refundedQuantity) {
      expect(out).toMatchObject({ kind: 'rejected', error: { reason: 'refund_too_large' } });
    }
    // [R4] a sale beyond the stock the model holds is never applied
    if (command.type === 'sale.record' && saleProduct && saleProduct.stock !== null && (command.quantity ?? 1) > saleProduct.stock) {
      expect(out.kind).not.toBe('applied');
    }
    for (const p of r.state.products) expect(p.stock).toBe(modelStock.get(p.id));
    checkInvariants(r);
  });
}

describe('room reducer properties', () => {
  it('[R1] [R3] [R4] [R5] [R6] [R7] [R9] hold over random command sequences', () => {
    fc.assert(fc.property(sequenceArb, (steps) => run(steps)), { numRuns: 400 });
  }, 30_000);

  it('[R3] resending every applied command of a sequence changes nothing and returns the first answers', () => {
    fc.assert(
      fc.property(sequenceArb.map((s) => s.filter((x): x is Exclude<Step, { k: 'repeat' }> => x.k !== 'repeat')), (steps) => {
        const r = new TestRelay();
        const applied: { command: Command; by: 'host' | 'sales'; answer: CommandAnswer }[] = [];
        steps.forEach((step, i) => {
          const { command, by } = toCommand(r, step, `cmd-${i}`);
          const out = r.send(command, by);
          if (out.kind === 'applied') applied.push({ command, by, answer: out.answer });
        });
        const final = r.state;
        for (const a of applied) {
          const out = r.send(a.command, a.by);
          expect(out).toEqual({ kind: 'duplicate', answer: { ...a.answer, duplicate: true } });
        }
        expect(r.state).toBe(final);
      }),
      { numRuns: 200 },
    );
  }, 30_000);

  it('[R7] a burst of webhook resends counts each orderId exactly once; a resend with another quantity is refused', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ order: fc.integer({ min: 0, max: 15 }), quantity: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 60 }),
        (sales) => {
          const r = new TestRelay();
          const productId = r.ok({ type: 'product.add', product: { sku: 'POM', name: '芦柑', priceMinor: 5990 } }).productId!;
          const firstQty = new Map<number, number>();
          for (const s of sales) {
            const out = r.send({ type: 'sale.record', productId, quantity: s.quantity, orderId: `shop-${s.order}` }, 'sales', 'webhook');
            const first = firstQty.get(s.order);
            expect(out.kind).toBe(first === undefined ? 'applied' : first === s.quantity ? 'duplicate' : 'rejected');
            if (first === undefined) firstQty.set(s.order, s.quantity);
          }
          const units = [...firstQty.values()].reduce((a, b) => a + b, 0);
          expect(r.state.totals).toEqual({ sold: units, revenueMinor: units * 5990, orders: firstQty.size, weightGrams: 0 });
        },
      ),
      { numRuns: 200 },
    );
  });
});
