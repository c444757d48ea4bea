/**
 * Room patches (shared/room-patch.ts): for every command type, and over random command
 * sequences, applyPatch(prev, diffRoom(prev, next)) is exactly next; a patch computed from
 * another state is refused (undefined), so the client resyncs instead of diverging.
 * composePatches (what the relay's broadcast throttle sends for several commits) applies as
 * its two patches one after the other, over random runs of commits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES } from '../../shared/commands.js';
import type { RoomState } from '../../shared/domain.js';
import { applyPatch, composePatches, diffRoom, type RoomPatch } from '../../shared/room-patch.js';
import { deepFreeze, seededRelay, TestRelay } from './room-harness.js';

function roundTrip(prev: RoomState, next: RoomState): void {
  const patch = diffRoom(prev, next);
  // Through JSON, as on the wire.
  const wire = JSON.parse(JSON.stringify(patch)) as typeof patch;
  const out = applyPatch(deepFreeze(structuredClone(prev)), wire);
  expect(out).toEqual(next);
}

const stepArb = fc.oneof(
  fc.record({ k: fc.constant('add' as const), sku: fc.integer({ min: 0, max: 30 }), stock: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }), pos: fc.option(fc.nat(8), { nil: undefined }) }),
  fc.record({ k: fc.constant('sale' as const), ref: fc.nat(), q: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ k: fc.constant('void' as const), ref: fc.nat() }),
  fc.record({ k: fc.constant('stock' as const), ref: fc.nat(), stock: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }) }),
  fc.record({ k: fc.constant('remove' as const), ref: fc.nat() }),
  fc.record({ k: fc.constant('move' as const), ref: fc.nat(), to: fc.nat(10) }),
  fc.record({ k: fc.constant('show' as const), ref: fc.nat() }),
  fc.constantFrom({ k: 'next' as const }, { k: 'hide' as const }, { k: 'stop' as const }, { k: 'clear' as const }),
  fc.record({ k: fc.constant('ticker' as const), text: fc.string({ minLength: 1, maxLength: 10 }).filter((s) => s.trim().length > 0) }),
  fc.record({ k: fc.constant('countdown' as const), seconds: fc.integer({ min: 1, max: 600 }) }),
  fc.record({ k: fc.constant('update' as const), ref: fc.nat(), price: fc.integer({ min: 0, max: 9999 }) }),
  fc.record({ k: fc.constant('title' as const), title: fc.constantFrom('A', 'B', 'C') }),
);
type Step = typeof stepArb extends fc.Arbitrary<infer S> ? S : never;

/** Sends the command a random step stands for, picking among the products and sales there are. */
function sendStep(r: TestRelay, s: Step): void {
  const ps = r.state.products;
  const pick = (ref: number) => ps[ref % Math.max(ps.length, 1)]?.id ?? 'p_missing';
  const sales = [...r.sales.keys()];
  const input: Record<string, unknown> =
    s.k === 'add' ? { type: 'product.add', product: { sku: `S${s.sku}`, name: `商品 ${s.sku}`, priceMinor: 100 + s.sku, stock: s.stock }, ...(s.pos !== undefined && { position: s.pos }) }
    : s.k === 'sale' ? { type: 'sale.record', productId: pick(s.ref), quantity: s.q }
    : s.k === 'void' ? { type: 'sale.void', saleId: sales[s.ref % Math.max(sales.length, 1)] ?? 'sale_missing' }
    : s.k === 'stock' ? { type: 'stock.set', productId: pick(s.ref), stock: s.stock }
    : s.k === 'remove' ? { type: 'product.remove', productId: pick(s.ref) }
    : s.k === 'move' ? { type: 'queue.move', productId: pick(s.ref), toIndex: s.to }
    : s.k === 'show' ? { type: 'card.show', productId: pick(s.ref) }
    : s.k === 'next' ? { type: 'card.next' }
    : s.k === 'hide' ? { type: 'card.hide' }
    : s.k === 'stop' ? { type: 'countdown.stop' }
    : s.k === 'clear' ? { type: 'ticker.clear' }
    : s.k === 'ticker' ? { type: 'ticker.push', text: s.text }
    : s.k === 'countdown' ? { type: 'countdown.start', seconds: s.seconds }
    : s.k === 'update' ? { type: 'product.update', productId: pick(s.ref), changes: { priceMinor: s.price } }
    : { type: 'room.update', changes: { title: s.title } };
  r.send(input);
}

describe('diffRoom / applyPatch', () => {
  it('reproduces the next state for every command type', () => {
    const { r, pom, rice, egg } = seededRelay();
    r.ok({ type: 'product.add', product: { sku: 'TEA', name: '安溪铁观音', priceMinor: 8800, stock: 3 }, position: 1 });
    const steps: Record<string, unknown>[] = [
      { type: 'product.update', productId: pom, changes: { priceMinor: 4990, name: '永春芦柑 特级' } },
      { type: 'card.show', productId: rice },
      { type: 'sale.record', productId: rice, quantity: 2 },
      { type: 'sale.record', productId: pom, quantity: 1, orderId: 'o-1' },
      { type: 'card.next' },
      { type: 'card.hide' },
      { type: 'product.soldOut', productId: rice, soldOut: true },
      { type: 'product.soldOut', productId: rice, soldOut: false },
      { type: 'presale.set', productId: egg, shipBy: '2026-09-20', quota: 5 },
      { type: 'sale.record', productId: egg, quantity: 2 },
      { type: 'presale.clear', productId: egg },
      { type: 'stock.set', productId: egg, stock: 9 },
      { type: 'queue.move', productId: egg, toIndex: 0 },
      { type: 'ticker.push', text: '下单立减 10 元' },
      { type: 'ticker.push', text: '包邮' },
      { type: 'ticker.clear' },
      // Undoing the clear puts both lines back: a ticker change the patch must carry.
      { type: 'command.undo', commandId: '' },
      { type: 'countdown.start', seconds: 60, label: '秒杀' },
      { type: 'countdown.stop' },
      { type: 'room.update', changes: { title: 'Renamed room' } },
      { type: 'presets.set', ticker: ['关注直播间领券'], countdowns: [{ label: '秒杀', seconds: 60 }] },
      // Issue 19: the mode and the rehearsal ride in the patch, a rehearsal sale's share in its product.
      { type: 'rehearsal.start', ordersPerMinute: 60 },
      { type: 'sale.record', productId: rice, quantity: 3 },
      { type: 'rehearsal.stop' },
      { type: 'rehearsal.end' },
      // The seller-page reader (issue 13): a baseline, a sale, a drop to confirm, its dismissal, the unbinding.
      { type: 'sale.observe', productId: rice, source: 'page:buyin.jinritemai.com', total: 10 },
      { type: 'sale.observe', productId: rice, source: 'page:buyin.jinritemai.com', total: 12 },
      { type: 'sale.observe', productId: rice, source: 'page:buyin.jinritemai.com', total: 11 },
      { type: 'sale.settle', productId: rice, source: 'page:buyin.jinritemai.com', total: 11, decision: 'dismiss' },
      { type: 'sale.unobserve', productId: rice, source: 'page:buyin.jinritemai.com' },
      { type: 'product.remove', productId: pom },
      { type: 'product.add', product: { sku: 'NEW', name: '新品', priceMinor: 100, stock: null } },
    ];
    const covered = new Set<string>(['product.add']);
    let lastId = '';
    for (const step of steps) {
      const prev = r.state;
      const id = r.nextId('step');
      r.ok({ ...step, id, ...(step.type === 'command.undo' && { commandId: lastId }) });
      lastId = id;
      expect(r.state.version).toBeGreaterThan(prev.version);
      roundTrip(prev, r.state);
      covered.add(String(step.type));
    }
    // sale.refund and sale.void need a sale id from the harness's bookkeeping.
    for (const type of ['sale.refund', 'sale.void']) {
      const prev = r.state;
      r.ok({ type, saleId: [...r.sales.keys()][0]!, ...(type === 'sale.refund' && { quantity: 1 }) });
      roundTrip(prev, r.state);
      covered.add(type);
    }
    expect([...covered].sort()).toEqual([...COMMAND_TYPES].sort());
  });

  it('sends only the changed product for a sale, and no order when the queue kept its ids', () => {
    const { r, rice } = seededRelay();
    const prev = r.state;
    r.ok({ type: 'sale.record', productId: rice });
    const patch = diffRoom(prev, r.state);
    expect(patch.products?.upsert.map((p) => p.id)).toEqual([rice]);
    expect(patch.products?.order).toBeUndefined();
    expect(patch.products?.removed).toBeUndefined();
    expect(patch.totals).toEqual(r.state.totals);
    expect('ticker' in patch).toBe(false);
  });

  it('works across several commands at once (the throttle coalesces states)', () => {
    const { r, pom, rice, egg } = seededRelay();
    const prev = r.state;
    r.ok({ type: 'sale.record', productId: rice });
    r.ok({ type: 'queue.move', productId: egg, toIndex: 0 });
    r.ok({ type: 'product.remove', productId: pom });
    r.ok({ type: 'ticker.push', text: 'hi' });
    roundTrip(prev, r.state);
  });

  it('refuses a patch computed from another version or room', () => {
    const { r, rice } = seededRelay();
    const v0 = r.state;
    r.ok({ type: 'sale.record', productId: rice });
    const v1 = r.state;
    r.ok({ type: 'sale.record', productId: rice });
    const patch = diffRoom(v1, r.state);
    expect(applyPatch(v0, patch)).toBeUndefined();
    expect(applyPatch(r.state, patch)).toBeUndefined();
    expect(applyPatch({ ...v1, id: 'r_other' }, patch)).toBeUndefined();
    expect(applyPatch(v1, patch)).toEqual(r.state);
  });

  it('round-trips over random command sequences', () => {
    // Each step is one command; `every` says how many commands go into one broadcast (coalescing).
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 4 }), (steps, every) => {
        const r = new TestRelay();
        let prev = r.state;
        steps.forEach((s, i) => {
          sendStep(r, s);
          if ((i + 1) % every === 0 || i === steps.length - 1) {
            roundTrip(prev, r.state);
            prev = r.state;
          }
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('composePatches', () => {
  /** The states after each group of steps (a group = one commit), and the patch of each commit. */
  function commits(groups: Step[][]): { states: RoomState[]; patches: RoomPatch[] } {
    const r = new TestRelay();
    const states = [r.state];
    const patches: RoomPatch[] = [];
    for (const group of groups) {
      for (const s of group) sendStep(r, s);
      patches.push(diffRoom(states.at(-1)!, r.state));
      states.push(r.state);
    }
    return { states, patches };
  }
  const groupsArb = fc.array(fc.array(stepArb, { minLength: 0, maxLength: 5 }), { minLength: 2, maxLength: 12 });
  const wire = (p: RoomPatch) => JSON.parse(JSON.stringify(p)) as RoomPatch;

  it('applies as the two patches one after the other: applyPatch(applyPatch(s, a), b) == applyPatch(s, compose(a, b))', () => {
    fc.assert(
      fc.property(groupsArb, (groups) => {
        const { states, patches } = commits(groups);
        for (let i = 0; i + 1 < patches.length; i++) {
          const s = deepFreeze(structuredClone(states[i]!));
          const composed = composePatches(patches[i]!, patches[i + 1]!);
          expect(composed).toBeDefined();
          expect(applyPatch(s, wire(composed!))).toEqual(applyPatch(applyPatch(s, patches[i]!)!, patches[i + 1]!));
          expect(applyPatch(s, composed!)).toEqual(states[i + 2]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('folds a whole run of commits (as the throttle does) into one patch that gives the last state, grouped either way', () => {
    fc.assert(
      fc.property(groupsArb, (groups) => {
        const { states, patches } = commits(groups);
        const left = patches.slice(1).reduce<RoomPatch | undefined>((acc, p) => acc && composePatches(acc, p), patches[0]);
        const right = patches.slice(0, -1).reduceRight<RoomPatch | undefined>((acc, p) => acc && composePatches(p, acc), patches.at(-1));
        const s = deepFreeze(structuredClone(states[0]!));
        expect(applyPatch(s, wire(left!))).toEqual(states.at(-1));
        expect(applyPatch(s, wire(right!))).toEqual(states.at(-1));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps a run of sales small: the sold products and the totals, no queue', () => {
    const { r, pom, rice } = seededRelay();
    const v0 = r.state;
    r.ok({ type: 'sale.record', productId: rice });
    const v1 = r.state;
    r.ok({ type: 'sale.record', productId: pom });
    const v2 = r.state;
    r.ok({ type: 'sale.record', productId: rice, quantity: 2 });
    const composed = composePatches(composePatches(diffRoom(v0, v1), diffRoom(v1, v2))!, diffRoom(v2, r.state))!;
    expect(composed.products?.upsert.map((p) => p.id).sort()).toEqual([pom, rice].sort());
    expect(composed.products?.order).toBeUndefined();
    expect(composed.products?.removed).toBeUndefined();
    expect(composed).toMatchObject({ baseVersion: v0.version, version: r.state.version, totals: r.state.totals });
    expect(applyPatch(v0, composed)).toEqual(r.state);
  });

  it('refuses two patches that do not follow each other (another version or room), changing neither', () => {
    const { r, rice } = seededRelay();
    const v0 = r.state;
    r.ok({ type: 'sale.record', productId: rice });
    const v1 = r.state;
    r.ok({ type: 'sale.record', productId: rice });
    const a = deepFreeze(diffRoom(v0, v1));
    const b = deepFreeze(diffRoom(v1, r.state));
    expect(composePatches(b, a)).toBeUndefined();
    expect(composePatches(a, a)).toBeUndefined();
    expect(composePatches(a, { ...b, id: 'r_other' })).toBeUndefined();
    expect(composePatches(a, b)).toBeDefined();
  });
});
