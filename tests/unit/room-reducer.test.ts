import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES, type CommandType } from '../../shared/commands.js';
import { MAX_TICKER, type Role, type RoomState, type SaleSource } from '../../shared/domain.js';
import { applyCommand, ERROR_STATUS, type ApplyOutcome, type RoomEvent } from '../../shared/room-reducer.js';
import { cmd, deepFreeze, seededRelay, TestRelay, T0 } from './room-harness.js';

type Ids = { pom: string; rice: string; egg: string };
type Input = Record<string, unknown>;

/** One valid command of every type against the seeded room (POM stock 5, RICE unlimited, EGG sold out). */
const SAMPLE: Record<CommandType, (ids: Ids) => Input> = {
  'product.add': () => ({ type: 'product.add', product: { sku: 'HONEY', name: '苗家野蜂蜜', priceMinor: 6800 } }),
  'product.update': (i) => ({ type: 'product.update', productId: i.pom, changes: { name: '永春芦柑 5kg' } }),
  'product.remove': (i) => ({ type: 'product.remove', productId: i.rice }),
  'product.soldOut': (i) => ({ type: 'product.soldOut', productId: i.pom }),
  'queue.move': (i) => ({ type: 'queue.move', productId: i.egg, toIndex: 0 }),
  'card.show': (i) => ({ type: 'card.show', productId: i.pom }),
  'card.hide': () => ({ type: 'card.hide' }),
  'card.next': () => ({ type: 'card.next' }),
  'sale.record': (i) => ({ type: 'sale.record', productId: i.pom, quantity: 1 }),
  'sale.void': () => ({ type: 'sale.void', saleId: 'first-sale' }),
  'sale.refund': () => ({ type: 'sale.refund', saleId: 'first-sale', quantity: 1 }),
  'stock.set': (i) => ({ type: 'stock.set', productId: i.pom, stock: 10 }),
  'presale.set': (i) => ({ type: 'presale.set', productId: i.egg, shipBy: '2026-09-20', quota: 100 }),
  'presale.clear': (i) => ({ type: 'presale.clear', productId: i.egg }),
  'ticker.push': () => ({ type: 'ticker.push', text: '下单备注“直播间”' }),
  'ticker.clear': () => ({ type: 'ticker.clear' }),
  'countdown.start': () => ({ type: 'countdown.start', seconds: 60, label: '限时' }),
  'countdown.stop': () => ({ type: 'countdown.stop' }),
  'room.update': () => ({ type: 'room.update', changes: { title: 'Evening show' } }),
  'presets.set': () => ({ type: 'presets.set', ticker: ['下单备注口令：石榴'], countdowns: [{ label: '秒杀', seconds: 60 }] }),
  'command.undo': () => ({ type: 'command.undo', commandId: 'first-sale' }),
  'rehearsal.start': () => ({ type: 'rehearsal.start', ordersPerMinute: 60, rushOrders: 3000, rushSeconds: 60 }),
  // fixture(type) starts a rehearsal first for these two: in a live room they are refused ([Rh2]).
  'rehearsal.stop': () => ({ type: 'rehearsal.stop' }),
  'rehearsal.end': () => ({ type: 'rehearsal.end' }),
  'sale.observe': (i) => ({ type: 'sale.observe', productId: i.rice, source: 'page:buyin.jinritemai.com', total: 3210 }),
  'sale.settle': (i) => ({ type: 'sale.settle', productId: i.rice, source: 'page:buyin.jinritemai.com', total: 3209, decision: 'dismiss' }),
  'sale.unobserve': (i) => ({ type: 'sale.unobserve', productId: i.rice, source: 'page:buyin.jinritemai.com' }),
};

/** What a sample needs in the room first: a page binding (and for sale.settle, a drop to settle). */
const SETUP: Partial<Record<CommandType, (r: TestRelay, i: Ids) => void>> = {
  'sale.settle': (r, i) => {
    r.ok({ type: 'sale.observe', productId: i.rice, source: 'page:buyin.jinritemai.com', total: 3210 });
    r.ok({ type: 'sale.observe', productId: i.rice, source: 'page:buyin.jinritemai.com', total: 3209 });
  },
  'sale.unobserve': (r, i) => void r.ok({ type: 'sale.observe', productId: i.rice, source: 'page:buyin.jinritemai.com', total: 3210 }),
};
const NEEDS_REHEARSAL: readonly CommandType[] = ['rehearsal.stop', 'rehearsal.end'];

/** The permission table of the issue, written out (not derived from roleMay). */
const ALLOWED: Record<Exclude<Role, 'host'>, readonly CommandType[]> = {
  cohost: ['card.show', 'card.hide', 'card.next', 'ticker.push', 'ticker.clear', 'countdown.start', 'countdown.stop'],
  sales: ['sale.record', 'sale.refund'],
  overlay: [],
};

/**
 * Seeded room plus one recorded sale with id "first-sale" (2 × RICE), so sale.void has something
 * to undo; rehearsing, for a sample that needs it (NEEDS_REHEARSAL).
 */
function fixture(type?: CommandType) {
  const { r, pom, rice, egg } = seededRelay();
  r.ok({ id: 'first-sale', type: 'sale.record', productId: rice, quantity: 2 });
  if (type && NEEDS_REHEARSAL.includes(type)) r.ok({ type: 'rehearsal.start' });
  return { r, ids: { pom, rice, egg } };
}

function refused(out: ApplyOutcome) {
  if (out.ok) throw new Error(`expected a refusal, got ${JSON.stringify(out.events)}`);
  return out.error;
}

function applied(out: ApplyOutcome) {
  if (!out.ok) throw new Error(`expected the command to apply, got ${JSON.stringify(out.error)}`);
  return out;
}

const snapshot = (s: RoomState) => structuredClone(s);

describe('[R8] roles', () => {
  const cases = (['cohost', 'sales', 'overlay'] as const).flatMap((role) =>
    COMMAND_TYPES.map((type) => ({ role, type, allowed: ALLOWED[role].includes(type) })),
  );

  it('the schema knows every command type of the issue', () => {
    expect([...COMMAND_TYPES].sort()).toEqual(Object.keys(SAMPLE).sort());
  });

  it.each(cases.filter((c) => !c.allowed))('[R8] refuses $type from a $role token (403) and changes nothing', ({ role, type }) => {
    const { r, ids } = fixture(type);
    const before = snapshot(r.state);
    const err = refused(r.apply(SAMPLE[type](ids), role));
    expect(err).toMatchObject({ code: 'forbidden', reason: 'role' });
    expect(ERROR_STATUS[err.code]).toBe(403);
    expect(r.state).toEqual(before);
  });

  it.each(cases.filter((c) => c.allowed))('[R8] lets a $role token send $type', ({ role, type }) => {
    const { r, ids } = fixture(type);
    SETUP[type]?.(r, ids);
    const out = applied(r.apply(SAMPLE[type](ids), role));
    expect(out.state.version).toBe(r.state.version + 1);
  });

  it.each(COMMAND_TYPES)('[R8] lets the host send %s', (type) => {
    const { r, ids } = fixture(type);
    SETUP[type]?.(r, ids);
    const out = applied(r.apply(SAMPLE[type](ids), 'host'));
    expect(out.state.version).toBe(r.state.version + 1);
    expect(out.state.updatedAt).toBe(r.now);
  });
});

describe('refusals change nothing', () => {
  // [rule, what, command, code, reason, field]
  const cases: [string, string, (i: Ids) => Input, string, string, string | undefined][] = [
    ['[R2]', 'a stale baseVersion', (i) => ({ type: 'card.show', productId: i.pom, baseVersion: 1 }), 'conflict', 'stale_version', 'baseVersion'],
    ['[R2]', 'a baseVersion from the future', () => ({ type: 'card.hide', baseVersion: 99 }), 'conflict', 'stale_version', 'baseVersion'],
    ['[R4]', 'a sale beyond the remaining stock', (i) => ({ type: 'sale.record', productId: i.pom, quantity: 6 }), 'conflict', 'out_of_stock', 'quantity'],
    ['[R4]', 'a sale of a product whose stock is 0', (i) => ({ type: 'sale.record', productId: i.egg }), 'conflict', 'out_of_stock', 'quantity'],
    ['[R4]', 'a sale at a price the seller saw before it changed', (i) => ({ type: 'sale.record', productId: i.pom, unitPriceMinor: 4990 }), 'conflict', 'price_changed', 'unitPriceMinor'],
    ['', 'a duplicate SKU on product.add', () => ({ type: 'product.add', product: { sku: 'POM', name: 'again', priceMinor: 1 } }), 'conflict', 'duplicate_sku', 'product.sku'],
    ['', 'a duplicate SKU on product.update', (i) => ({ type: 'product.update', productId: i.rice, changes: { sku: 'POM' } }), 'conflict', 'duplicate_sku', 'changes.sku'],
    ['', 'product.update of an unknown product', () => ({ type: 'product.update', productId: 'nope', changes: { name: 'x' } }), 'not_found', 'unknown_product', 'productId'],
    ['', 'product.remove of an unknown product', () => ({ type: 'product.remove', productId: 'nope' }), 'not_found', 'unknown_product', 'productId'],
    ['', 'product.soldOut of an unknown product', () => ({ type: 'product.soldOut', productId: 'nope' }), 'not_found', 'unknown_product', 'productId'],
    ['', 'queue.move of an unknown product', () => ({ type: 'queue.move', productId: 'nope', toIndex: 0 }), 'not_found', 'unknown_product', 'productId'],
    ['', 'card.show of an unknown product', () => ({ type: 'card.show', productId: 'nope' }), 'not_found', 'unknown_product', 'productId'],
    ['', 'sale.record of an unknown product', () => ({ type: 'sale.record', productId: 'nope' }), 'not_found', 'unknown_product', 'productId'],
    ['', 'sale.record of an unknown SKU', () => ({ type: 'sale.record', sku: 'NOPE' }), 'not_found', 'unknown_sku', 'sku'],
    ['', 'sale.void of an unknown sale', () => ({ type: 'sale.void', saleId: 'nope' }), 'not_found', 'unknown_sale', 'saleId'],
    ['[R9]', 'sale.refund of an unknown sale', () => ({ type: 'sale.refund', saleId: 'nope', quantity: 1 }), 'not_found', 'unknown_sale', 'saleId'],
    ['[R9]', 'sale.refund of more units than the sale counts', () => ({ type: 'sale.refund', saleId: 'first-sale', quantity: 3 }), 'conflict', 'refund_too_large', 'quantity'],
    ['', 'stock.set of an unknown product', () => ({ type: 'stock.set', productId: 'nope', stock: 3 }), 'not_found', 'unknown_product', 'productId'],
    ['', 'ticker.clear of an unknown message', () => ({ type: 'ticker.clear', messageId: 'nope' }), 'not_found', 'unknown_message', 'messageId'],
    ['', 'a currency change while the room has products', () => ({ type: 'room.update', changes: { currency: 'USD' } }), 'conflict', 'currency_locked', 'changes.currency'],
  ];

  it.each(cases)('%s refuses %s and changes nothing', (_rule, _what, input, code, reason, field) => {
    const { r, ids } = fixture();
    const before = snapshot(r.state);
    const err = refused(r.apply(input(ids)));
    expect(err.code).toBe(code);
    expect(err.reason).toBe(reason);
    expect(err.field).toBe(field);
    expect(err.message.length).toBeGreaterThan(0);
    expect(r.state).toEqual(before);
  });

  it('[R4] refuses a sale beyond the remaining stock through processCommand too: state, totals and maps untouched', () => {
    const { r, ids } = fixture();
    const before = snapshot(r.state);
    const stateRef = r.state;
    const out = r.send({ type: 'sale.record', productId: ids.pom, quantity: 6, orderId: 'o-big' });
    expect(out).toMatchObject({ kind: 'rejected', error: { code: 'conflict', reason: 'out_of_stock' } });
    expect(ERROR_STATUS.conflict).toBe(409);
    expect(r.state).toBe(stateRef);
    expect(r.state).toEqual(before);
    expect(r.orders.has('o-big')).toBe(false);
  });

  it('card.next on an empty queue is refused', () => {
    const r = new TestRelay();
    expect(refused(r.apply({ type: 'card.next' }))).toMatchObject({ code: 'conflict', reason: 'empty_queue' });
  });
});

describe('applied commands', () => {
  type Check = (after: RoomState, before: RoomState, events: RoomEvent[], ids: Ids, r: TestRelay) => void;
  const p = (s: RoomState, id: string) => s.products.find((x) => x.id === id);
  // [rule, what, setup, command, check]
  const cases: [string, string, (r: TestRelay, i: Ids) => void, (i: Ids) => Input, Check][] = [
    ['', 'product.add appends with defaults and a fresh id', () => {}, SAMPLE['product.add'], (a, b, ev) => {
      const added = a.products.at(-1)!;
      expect(a.products).toHaveLength(b.products.length + 1);
      expect(added).toMatchObject({ sku: 'HONEY', stock: null, sold: 0, revenueMinor: 0, soldOut: false, soldOutManual: false, originalPriceMinor: null, obsScene: null, unit: '' });
      expect(b.products.some((x) => x.id === added.id)).toBe(false);
      expect(ev).toEqual([{ type: 'product.added', productId: added.id }]);
    }],
    ['', 'product.add at a position inserts there', () => {}, () => ({ type: 'product.add', product: { sku: 'H', name: 'h', priceMinor: 1 }, position: 1 }), (a) => {
      expect(a.products.map((x) => x.sku)).toEqual(['POM', 'H', 'RICE', 'EGG']);
    }],
    ['[R5]', 'product.add with stock 0 is sold out', () => {}, () => ({ type: 'product.add', product: { sku: 'Z', name: 'z', priceMinor: 1, stock: 0 } }), (a) => {
      expect(a.products.at(-1)).toMatchObject({ stock: 0, soldOut: true });
    }],
    ['', 'product.update changes only the given fields', () => {}, (i) => ({ type: 'product.update', productId: i.pom, changes: { priceMinor: 4990, originalPriceMinor: 5990 } }), (a, b, _e, i) => {
      expect(p(a, i.pom)).toEqual({ ...p(b, i.pom), priceMinor: 4990, originalPriceMinor: 5990 });
    }],
    ['', 'product.update may keep its own SKU', () => {}, (i) => ({ type: 'product.update', productId: i.pom, changes: { sku: 'POM' } }), (a, _b, _e, i) => {
      expect(p(a, i.pom)?.sku).toBe('POM');
    }],
    ['', 'product.remove of the current product hides the card', (r, i) => r.ok({ type: 'card.show', productId: i.rice }), SAMPLE['product.remove'], (a, _b, ev, i) => {
      expect(p(a, i.rice)).toBeUndefined();
      expect(a).toMatchObject({ currentProductId: null, cardVisible: false });
      expect(ev).toEqual([{ type: 'product.removed', productId: i.rice }, { type: 'card.hidden' }]);
    }],
    ['[R6]', 'product.remove keeps its sales in the totals', () => {}, SAMPLE['product.remove'], (a, b) => {
      expect(a.totals).toEqual(b.totals);
    }],
    ['', 'product.remove of another product leaves the card alone', (r, i) => r.ok({ type: 'card.show', productId: i.pom }), SAMPLE['product.remove'], (a, _b, _e, i) => {
      expect(a).toMatchObject({ currentProductId: i.pom, cardVisible: true });
    }],
    ['[R5]', 'product.soldOut marks by hand', () => {}, SAMPLE['product.soldOut'], (a, _b, ev, i) => {
      expect(p(a, i.pom)).toMatchObject({ stock: 5, soldOutManual: true, soldOut: true });
      expect(ev).toEqual([{ type: 'product.soldOut', productId: i.pom, soldOut: true }]);
    }],
    ['[R5]', 'product.soldOut false clears the mark but not a stock of 0', () => {}, (i) => ({ type: 'product.soldOut', productId: i.egg, soldOut: false }), (a, _b, _e, i) => {
      expect(p(a, i.egg)).toMatchObject({ soldOutManual: false, soldOut: true });
    }],
    ['', 'queue.move moves and clamps the index', () => {}, (i) => ({ type: 'queue.move', productId: i.pom, toIndex: 99 }), (a) => {
      expect(a.products.map((x) => x.sku)).toEqual(['RICE', 'EGG', 'POM']);
    }],
    ['', 'card.show shows a product', () => {}, SAMPLE['card.show'], (a, _b, ev, i) => {
      expect(a).toMatchObject({ currentProductId: i.pom, cardVisible: true });
      expect(ev).toEqual([{ type: 'card.shown', productId: i.pom }]);
    }],
    ['', 'card.hide keeps the current product', (r, i) => r.ok({ type: 'card.show', productId: i.pom }), SAMPLE['card.hide'], (a, _b, _e, i) => {
      expect(a).toMatchObject({ currentProductId: i.pom, cardVisible: false });
    }],
    ['', 'card.next with no current product starts at the first sellable one', () => {}, SAMPLE['card.next'], (a, _b, _e, i) => {
      expect(a).toMatchObject({ currentProductId: i.pom, cardVisible: true });
    }],
    ['', 'card.next skips a sold-out product and wraps', (r, i) => r.ok({ type: 'card.show', productId: i.rice }), SAMPLE['card.next'], (a, _b, _e, i) => {
      expect(a.currentProductId).toBe(i.pom);
    }],
    ['', 'card.next skips a product marked sold out by hand', (r, i) => {
      r.ok({ type: 'card.show', productId: i.egg });
      r.ok({ type: 'stock.set', productId: i.egg, stock: 3 });
      r.ok({ type: 'product.soldOut', productId: i.pom });
    }, SAMPLE['card.next'], (a, _b, _e, i) => {
      expect(a.currentProductId).toBe(i.rice);
    }],
    ['[R4]', 'sale.record lowers stock and adds to product and totals', () => {}, (i) => ({ type: 'sale.record', productId: i.pom, quantity: 2, orderId: 'o-1' }), (a, b, ev, i) => {
      expect(p(a, i.pom)).toMatchObject({ stock: 3, sold: 2, revenueMinor: 11980, soldOut: false });
      expect(a.totals).toEqual({ sold: b.totals.sold + 2, revenueMinor: b.totals.revenueMinor + 11980, orders: b.totals.orders + 1, weightGrams: 0 });
      expect(ev).toHaveLength(1);
      expect(ev[0]).toMatchObject({ type: 'sale.recorded', sale: { orderId: 'o-1', productId: i.pom, quantity: 2, unitPriceMinor: 5990, source: 'console', by: 'host', voidedAt: null } });
    }],
    ['[R4]', 'sale.record by SKU with the default quantity 1', () => {}, () => ({ type: 'sale.record', sku: 'POM' }), (a, _b, _e, i) => {
      expect(p(a, i.pom)).toMatchObject({ stock: 4, sold: 1 });
    }],
    ['[R4]', 'sale.record at the price the seller saw', () => {}, (i) => ({ type: 'sale.record', productId: i.pom, unitPriceMinor: 5990 }), (a, _b, _e, i) => {
      expect(p(a, i.pom)?.sold).toBe(1);
    }],
    ['[R4]', 'sale.record of an unlimited product keeps stock null', () => {}, (i) => ({ type: 'sale.record', productId: i.rice, quantity: 100_000 }), (a, _b, _e, i) => {
      expect(p(a, i.rice)).toMatchObject({ stock: null, sold: 100_002, soldOut: false });
    }],
    ['[R5]', 'a sale taking the stock to exactly 0 marks the product sold out', () => {}, (i) => ({ type: 'sale.record', productId: i.pom, quantity: 5 }), (a, _b, ev, i) => {
      expect(p(a, i.pom)).toMatchObject({ stock: 0, soldOut: true, soldOutManual: false });
      expect(ev.map((e) => e.type)).toEqual(['sale.recorded', 'product.soldOut']);
    }],
    ['[R6]', 'sale.void restores stock, product aggregates and totals', (r, i) => {
      r.ok({ id: 'sale-5', type: 'sale.record', productId: i.pom, quantity: 5 });
    }, () => ({ type: 'sale.void', saleId: 'sale-5' }), (a, _b, ev, i, r) => {
      expect(r.sales.get('sale-5')?.quantity).toBe(5);
      expect(p(a, i.pom)).toMatchObject({ stock: 5, sold: 0, revenueMinor: 0, soldOut: false });
      expect(a.totals).toEqual({ sold: 2, revenueMinor: 25600, orders: 1, weightGrams: 0 });
      expect(ev.map((e) => e.type)).toEqual(['sale.voided', 'product.soldOut']);
      expect(ev[0]).toMatchObject({ sale: { id: 'sale-5', voidedAt: r.now } });
    }],
    ['[R6]', 'sale.void of a removed product still corrects the totals', (r, i) => r.ok({ type: 'product.remove', productId: i.rice }), SAMPLE['sale.void'], (a) => {
      expect(a.totals).toEqual({ sold: 0, revenueMinor: 0, orders: 0, weightGrams: 0 });
    }],
    ['[R9]', 'sale.refund of part of a sale lowers its counted units, the product and the totals; it still counts as an order', () => {}, SAMPLE['sale.refund'], (a, _b, ev, i) => {
      expect(p(a, i.rice)).toMatchObject({ stock: null, sold: 1, revenueMinor: 12800, soldOut: false });
      expect(a.totals).toEqual({ sold: 1, revenueMinor: 12800, orders: 1, weightGrams: 0 });
      expect(ev).toEqual([{ type: 'sale.refunded', quantity: 1, sale: expect.objectContaining({ id: 'first-sale', quantity: 2, refundedQuantity: 1, unitPriceMinor: 12800, voidedAt: null }) }]);
    }],
    ['[R9]', 'sale.refund of every unit gives the stock back and the sale no longer counts as an order', (r, i) => {
      r.ok({ id: 'sale-3', type: 'sale.record', productId: i.pom, quantity: 3 });
    }, () => ({ type: 'sale.refund', saleId: 'sale-3', quantity: 3 }), (a, b, _ev, i) => {
      expect(b.totals).toEqual({ sold: 5, revenueMinor: 25600 + 17970, orders: 2, weightGrams: 0 });
      expect(p(a, i.pom)).toMatchObject({ stock: 5, sold: 0, revenueMinor: 0 });
      expect(a.totals).toEqual({ sold: 2, revenueMinor: 25600, orders: 1, weightGrams: 0 });
    }],
    ['[R9]', 'sale.refund counts at the sale’s own price, not the product’s price now', (r, i) => {
      r.ok({ type: 'product.update', productId: i.rice, changes: { priceMinor: 9900 } });
    }, SAMPLE['sale.refund'], (a, _b, _e, i) => {
      expect(p(a, i.rice)).toMatchObject({ sold: 1, revenueMinor: 12800 });
      expect(a.totals.revenueMinor).toBe(12800);
    }],
    ['[R9] [R5]', 'sale.refund of a sold-out product clears sold out as the units come back', (r, i) => {
      r.ok({ id: 'sale-5', type: 'sale.record', productId: i.pom, quantity: 5 });
    }, () => ({ type: 'sale.refund', saleId: 'sale-5', quantity: 2 }), (a, b, ev, i) => {
      expect(p(b, i.pom)).toMatchObject({ stock: 0, soldOut: true });
      expect(p(a, i.pom)).toMatchObject({ stock: 2, sold: 3, revenueMinor: 17970, soldOut: false });
      expect(ev.map((e) => e.type)).toEqual(['sale.refunded', 'product.soldOut']);
      expect(ev[1]).toEqual({ type: 'product.soldOut', productId: i.pom, soldOut: false });
    }],
    ['[R9] [R5]', 'sale.refund of a product marked sold out by hand gives the stock back and keeps the mark', (r, i) => {
      r.ok({ id: 'sale-2', type: 'sale.record', productId: i.pom, quantity: 2 });
      r.ok({ type: 'product.soldOut', productId: i.pom });
    }, () => ({ type: 'sale.refund', saleId: 'sale-2', quantity: 1 }), (a, _b, ev, i) => {
      expect(p(a, i.pom)).toMatchObject({ stock: 4, sold: 1, soldOutManual: true, soldOut: true });
      expect(ev.map((e) => e.type)).toEqual(['sale.refunded']);
    }],
    ['[R9]', 'sale.refund of a removed product still corrects the totals', (r, i) => r.ok({ type: 'product.remove', productId: i.rice }), () => ({ type: 'sale.refund', saleId: 'first-sale', quantity: 2 }), (a) => {
      expect(a.products.map((x) => x.sku)).toEqual(['POM', 'EGG']);
      expect(a.totals).toEqual({ sold: 0, revenueMinor: 0, orders: 0, weightGrams: 0 });
    }],
    ['[R5]', 'stock.set 0 marks sold out', () => {}, (i) => ({ type: 'stock.set', productId: i.pom, stock: 0 }), (a, _b, ev, i) => {
      expect(p(a, i.pom)).toMatchObject({ stock: 0, soldOut: true });
      expect(ev).toEqual([{ type: 'stock.changed', productId: i.pom, stock: 0 }, { type: 'product.soldOut', productId: i.pom, soldOut: true }]);
    }],
    ['[R5]', 'a restock clears sold out', () => {}, (i) => ({ type: 'stock.set', productId: i.egg, stock: 12 }), (a, _b, ev, i) => {
      expect(p(a, i.egg)).toMatchObject({ stock: 12, soldOut: false });
      expect(ev).toEqual([{ type: 'stock.changed', productId: i.egg, stock: 12 }, { type: 'product.soldOut', productId: i.egg, soldOut: false }]);
    }],
    ['[R5]', 'a restock to unlimited clears sold out', () => {}, (i) => ({ type: 'stock.set', productId: i.egg, stock: null }), (a, _b, _e, i) => {
      expect(p(a, i.egg)).toMatchObject({ stock: null, soldOut: false });
    }],
    ['[R5]', 'a restock clears a manual sold-out mark', (r, i) => r.ok({ type: 'product.soldOut', productId: i.pom }), (i) => ({ type: 'stock.set', productId: i.pom, stock: 8 }), (a, _b, _e, i) => {
      expect(p(a, i.pom)).toMatchObject({ stock: 8, soldOutManual: false, soldOut: false });
    }],
    ['[R5]', 'stock.set 0 keeps a manual mark', (r, i) => r.ok({ type: 'product.soldOut', productId: i.pom }), (i) => ({ type: 'stock.set', productId: i.pom, stock: 0 }), (a, _b, _e, i) => {
      expect(p(a, i.pom)).toMatchObject({ stock: 0, soldOutManual: true, soldOut: true });
    }],
    ['', 'ticker.push appends a message made from the command', () => {}, SAMPLE['ticker.push'], (a, _b, _e, _i, r) => {
      expect(a.ticker).toEqual([{ id: expect.any(String), text: '下单备注“直播间”', at: r.now }]);
    }],
    ['', 'ticker.clear of one message keeps the others', (r) => {
      r.ok({ id: 'msg-one', type: 'ticker.push', text: 'one' });
      r.ok({ type: 'ticker.push', text: 'two' });
    }, () => ({ type: 'ticker.clear', messageId: 'msg-one' }), (a) => {
      expect(a.ticker.map((m) => m.text)).toEqual(['two']);
    }],
    ['', 'ticker.clear without an id clears all', (r) => r.ok({ type: 'ticker.push', text: 'one' }), SAMPLE['ticker.clear'], (a) => {
      expect(a.ticker).toEqual([]);
    }],
    ['', 'countdown.start ends seconds after ctx.now', () => {}, SAMPLE['countdown.start'], (a, _b, _e, _i, r) => {
      expect(a.countdown).toEqual({ label: '限时', startedAt: r.now, endsAt: r.now + 60_000 });
    }],
    ['', 'countdown.stop clears it', (r) => r.ok({ type: 'countdown.start', seconds: 5 }), SAMPLE['countdown.stop'], (a) => {
      expect(a.countdown).toBeNull();
    }],
    ['', 'room.update changes the title and locale', () => {}, () => ({ type: 'room.update', changes: { title: 'Soirée', locale: 'fr' } }), (a, b) => {
      expect(a.room).toEqual({ ...b.room, title: 'Soirée', locale: 'fr' });
    }],
    ['', 'room.update may repeat the current currency while products exist', () => {}, () => ({ type: 'room.update', changes: { currency: 'CNY' } }), (a) => {
      expect(a.room.currency).toBe('CNY');
    }],
  ];

  it.each(cases)('%s %s', (_rule, _what, setup, input, check) => {
    const { r, ids } = fixture();
    setup(r, ids);
    const before = r.state;
    const copy = snapshot(before);
    const out = applied(r.apply(input(ids)));
    expect(out.state.version).toBe(before.version + 1);
    check(out.state, before, out.events, ids, r);
    expect(before).toEqual(copy);
  });
});

describe('sequences through processCommand', () => {
  it('[R4] a manual sold-out mark blocks sales and a restock lifts it', () => {
    const { r, ids } = fixture();
    r.ok({ type: 'product.soldOut', productId: ids.pom });
    expect(r.send({ type: 'sale.record', productId: ids.pom })).toMatchObject({ kind: 'rejected', error: { code: 'conflict', reason: 'sold_out' } });
    r.ok({ type: 'stock.set', productId: ids.pom, stock: 5 });
    expect(r.send({ type: 'sale.record', productId: ids.pom }).kind).toBe('applied');
  });

  describe('[R11] a paid order from a shop feed or a seller page is counted beyond the stock', () => {
    const recorded = (r: TestRelay, input: Record<string, unknown>, source: SaleSource, by: Role = 'sales') => {
      const out = r.send(input, by, source);
      if (out.kind !== 'applied') throw new Error(`expected applied, got ${JSON.stringify(out)}`);
      return out.answer.result!.saleId!;
    };
    it.each([['feed:shop-1' as const], ['page:douyin' as const]])('%s: stock 5, an order of 8 → counted 8, stock 0, sold out, oversold 3', (source) => {
      const { r, ids } = fixture();
      const totals = r.state.totals;
      recorded(r, { type: 'sale.record', productId: ids.pom, quantity: 8, orderId: `${source}:o1` }, source);
      expect(r.product(ids.pom)).toMatchObject({ stock: 0, sold: 8, revenueMinor: 8 * 5990, soldOut: true, oversold: 3 });
      expect(r.state.totals).toEqual({ ...totals, sold: totals.sold + 8, revenueMinor: totals.revenueMinor + 8 * 5990, orders: totals.orders + 1, weightGrams: totals.weightGrams + 8 * (r.product(ids.pom).netWeightGrams ?? 0) });
    });
    it('the same order from the console or the API is still refused (the stock limits what the host and the API ask)', () => {
      const { r, ids } = fixture();
      for (const source of ['console', 'api', 'webhook'] as const) {
        expect(r.send({ type: 'sale.record', productId: ids.pom, quantity: 8 }, 'host', source)).toMatchObject({ kind: 'rejected', error: { reason: 'out_of_stock' } });
      }
      r.ok({ type: 'product.soldOut', productId: ids.pom });
      expect(r.send({ type: 'sale.record', productId: ids.pom }, 'sales', 'api')).toMatchObject({ kind: 'rejected', error: { reason: 'sold_out' } });
      // A feed's order on a product the host marked sold out happened all the same.
      recorded(r, { type: 'sale.record', productId: ids.pom, quantity: 2 }, 'feed:shop-1');
      expect(r.product(ids.pom)).toMatchObject({ stock: 3, sold: 2, soldOut: true, soldOutManual: true });
      expect(r.product(ids.pom).oversold).toBeUndefined();
    });
    it('a void or refund of an oversold order gives back the units beyond the stock first: the stock never grows by units it never had', () => {
      const { r, ids } = fixture();
      const a = recorded(r, { type: 'sale.record', productId: ids.pom, quantity: 4 }, 'feed:shop-1'); // stock 5 → 1
      const b = recorded(r, { type: 'sale.record', productId: ids.pom, quantity: 3 }, 'feed:shop-1'); // 1 → 0, 2 beyond
      expect(r.product(ids.pom)).toMatchObject({ stock: 0, sold: 7, oversold: 2 });
      r.ok({ type: 'sale.refund', saleId: b, quantity: 1 });
      expect(r.product(ids.pom)).toMatchObject({ stock: 0, sold: 6, oversold: 1, soldOut: true });
      r.ok({ type: 'sale.void', saleId: b });
      expect(r.product(ids.pom)).toMatchObject({ stock: 1, sold: 4, soldOut: false });
      expect(r.product(ids.pom).oversold).toBeUndefined();
      r.ok({ type: 'sale.void', saleId: a });
      expect(r.product(ids.pom)).toMatchObject({ stock: 5, sold: 0 });
    });
    it('with a presale running, a paid order beyond its quota is counted as presale sales all the same; its void gives the quota back', () => {
      const { r, ids } = fixture();
      r.ok({ type: 'presale.set', productId: ids.egg, shipBy: '2026-09-20', quota: 2 });
      expect(r.send({ type: 'sale.record', productId: ids.egg, quantity: 5 }, 'sales', 'api')).toMatchObject({ kind: 'rejected', error: { reason: 'out_of_stock' } });
      const a = recorded(r, { type: 'sale.record', productId: ids.egg, quantity: 5 }, 'feed:shop-1');
      expect(r.product(ids.egg)).toMatchObject({ stock: 0, sold: 5, presale: { quota: 2, sold: 5 } });
      expect(r.product(ids.egg).oversold).toBeUndefined();
      r.ok({ type: 'sale.void', saleId: a });
      expect(r.product(ids.egg)).toMatchObject({ stock: 0, sold: 0, presale: { quota: 2, sold: 0 } });
    });
    it('a stock.set by the host supersedes the oversell: a later void gives its units to the new stock', () => {
      const { r, ids } = fixture();
      const a = recorded(r, { type: 'sale.record', productId: ids.pom, quantity: 7 }, 'feed:shop-1');
      expect(r.product(ids.pom).oversold).toBe(2);
      r.ok({ type: 'stock.set', productId: ids.pom, stock: 10 });
      expect(r.product(ids.pom).oversold).toBeUndefined();
      r.ok({ type: 'sale.void', saleId: a });
      expect(r.product(ids.pom)).toMatchObject({ stock: 17, sold: 0 });
    });
  });

  it('[R6] sale.void is refused the second time and changes nothing', () => {
    const { r, ids } = fixture();
    const saleId = r.ok({ type: 'sale.record', productId: ids.pom, quantity: 2 }).saleId!;
    r.ok({ type: 'sale.void', saleId });
    const before = r.state;
    const out = r.send({ type: 'sale.void', saleId });
    expect(out).toMatchObject({ kind: 'rejected', error: { code: 'conflict', reason: 'already_voided', field: 'saleId' } });
    expect(r.state).toBe(before);
    expect(r.product(ids.pom)).toMatchObject({ stock: 5, sold: 0 });
  });

  it('[R5] a void after a sell-out clears sold out; a void of a manually marked product keeps it', () => {
    const { r, ids } = fixture();
    const saleId = r.ok({ type: 'sale.record', productId: ids.pom, quantity: 5 }).saleId!;
    expect(r.product(ids.pom).soldOut).toBe(true);
    r.ok({ type: 'sale.void', saleId });
    expect(r.product(ids.pom)).toMatchObject({ stock: 5, soldOut: false });
    const second = r.ok({ type: 'sale.record', productId: ids.pom, quantity: 1 }).saleId!;
    r.ok({ type: 'product.soldOut', productId: ids.pom });
    r.ok({ type: 'sale.void', saleId: second });
    expect(r.product(ids.pom)).toMatchObject({ stock: 5, soldOut: true, soldOutManual: true });
  });

  it('[R9] sale.refund of a voided sale is refused and changes nothing', () => {
    const { r } = fixture();
    r.ok({ type: 'sale.void', saleId: 'first-sale' });
    const before = r.state;
    expect(r.send({ type: 'sale.refund', saleId: 'first-sale', quantity: 1 })).toMatchObject({ kind: 'rejected', error: { code: 'conflict', reason: 'already_voided', field: 'saleId' } });
    expect(r.state).toBe(before);
  });

  it('[R9] refunds add up to the sale’s quantity, then one more unit is refused saying none are left; the order stops counting once', () => {
    const { r, ids } = fixture();
    const saleId = r.ok({ type: 'sale.record', productId: ids.pom, quantity: 3 }).saleId!;
    r.ok({ type: 'sale.refund', saleId, quantity: 1 });
    expect(r.state.totals.orders).toBe(2);
    const over = r.send({ type: 'sale.refund', saleId, quantity: 3 });
    expect(over).toMatchObject({ kind: 'rejected', error: { code: 'conflict', reason: 'refund_too_large', field: 'quantity' } });
    expect(over.kind === 'rejected' && over.error.message).toContain('2 of its 3 units left');
    r.ok({ type: 'sale.refund', saleId, quantity: 2 });
    expect(r.state.totals).toEqual({ sold: 2, revenueMinor: 25600, orders: 1, weightGrams: 0 });
    expect(r.product(ids.pom)).toMatchObject({ stock: 5, sold: 0, revenueMinor: 0 });
    expect(r.sales.get(saleId)).toMatchObject({ quantity: 3, refundedQuantity: 3, voidedAt: null });
    const before = r.state;
    const none = r.send({ type: 'sale.refund', saleId, quantity: 1 });
    expect(none).toMatchObject({ kind: 'rejected', error: { reason: 'refund_too_large' } });
    expect(none.kind === 'rejected' && none.error.message).toContain('0 of its 3 units left');
    expect(r.state).toBe(before);
  });

  it('[R9] [R6] sale.void after a partial refund gives back only the units still counted', () => {
    const { r, ids } = fixture();
    const saleId = r.ok({ type: 'sale.record', productId: ids.pom, quantity: 4 }).saleId!;
    r.ok({ type: 'sale.refund', saleId, quantity: 1 });
    expect(r.product(ids.pom)).toMatchObject({ stock: 2, sold: 3, revenueMinor: 3 * 5990 });
    r.ok({ type: 'sale.void', saleId });
    expect(r.product(ids.pom)).toMatchObject({ stock: 5, sold: 0, revenueMinor: 0 });
    expect(r.state.totals).toEqual({ sold: 2, revenueMinor: 25600, orders: 1, weightGrams: 0 });
    expect(r.sales.get(saleId)).toMatchObject({ refundedQuantity: 1, voidedAt: expect.any(Number) });
  });

  it('[R9] [R6] sale.void of a sale refunded in full gives back nothing more and leaves the orders as they are', () => {
    const { r, ids } = fixture();
    r.ok({ type: 'sale.refund', saleId: 'first-sale', quantity: 2 });
    const refunded = r.state;
    expect(refunded.totals).toEqual({ sold: 0, revenueMinor: 0, orders: 0, weightGrams: 0 });
    r.ok({ type: 'sale.void', saleId: 'first-sale' });
    expect(r.state.totals).toEqual(refunded.totals);
    expect(r.product(ids.rice)).toMatchObject({ stock: null, sold: 0, revenueMinor: 0 });
  });

  it('[R9] [R3] a repeated sale.refund command id is a duplicate and refunds nothing more', () => {
    const { r, ids } = fixture();
    const saleId = r.ok({ type: 'sale.record', productId: ids.pom, quantity: 3 }).saleId!;
    const refund = cmd({ id: 'refund-1', type: 'sale.refund', saleId, quantity: 1 });
    const first = r.send(refund, 'sales');
    expect(first).toMatchObject({ kind: 'applied', answer: { duplicate: false, result: { saleId, productId: ids.pom } } });
    const state = r.state;
    const again = r.send(refund, 'sales');
    expect(again).toEqual({ kind: 'duplicate', answer: { ...(first.kind === 'applied' ? first.answer : {}), duplicate: true } });
    expect(r.state).toBe(state);
    expect(r.sales.get(saleId)?.refundedQuantity).toBe(1);
  });

  it('[R3] a repeated command id returns the first answer and is not applied again', () => {
    const { r, ids } = fixture();
    const command = cmd({ id: 'same', type: 'sale.record', productId: ids.pom, quantity: 2 });
    const first = r.send(command);
    expect(first.kind).toBe('applied');
    const state = r.state;
    const again = r.send(command);
    expect(again).toEqual({ kind: 'duplicate', answer: { ...(first.kind === 'applied' ? first.answer : {}), duplicate: true } });
    expect(r.state).toBe(state);
  });

  it('[R7] a repeated orderId with the same payload, under a new command id, is answered with the first sale', () => {
    const { r, ids } = fixture();
    const first = r.send({ type: 'sale.record', productId: ids.pom, quantity: 2, orderId: 'shop-42' });
    const state = r.state;
    const again = r.send({ type: 'sale.record', productId: ids.pom, quantity: 2, orderId: 'shop-42' }, 'sales', 'webhook');
    expect(first.kind).toBe('applied');
    expect(again).toMatchObject({ kind: 'duplicate', answer: { duplicate: true, version: state.version, result: { saleId: expect.any(String), productId: ids.pom } } });
    expect(r.state).toBe(state);
    expect(r.product(ids.pom).stock).toBe(3);
  });

  it('[R7] a repeated orderId with another quantity, product or price is refused (idempotency_mismatch, naming the field); nothing applied', () => {
    const { r, ids } = fixture();
    r.ok({ type: 'sale.record', productId: ids.pom, quantity: 2, orderId: 'shop-42' });
    const state = r.state;
    expect(refused(r.apply({ type: 'sale.record', productId: ids.pom, quantity: 3, orderId: 'shop-42' }, 'sales'))).toMatchObject({ code: 'conflict', reason: 'idempotency_mismatch', field: 'quantity' });
    expect(refused(r.apply({ type: 'sale.record', productId: ids.egg, quantity: 2, orderId: 'shop-42' }, 'sales'))).toMatchObject({ reason: 'idempotency_mismatch', field: 'productId' });
    expect(refused(r.apply({ type: 'sale.record', productId: ids.pom, quantity: 2, unitPriceMinor: 1, orderId: 'shop-42' }, 'sales'))).toMatchObject({ reason: 'idempotency_mismatch', field: 'unitPriceMinor' });
    expect(r.state).toBe(state);
  });

  it('[R7] applyCommand answers a repeated orderId with the same state object', () => {
    const { r, ids } = fixture();
    r.ok({ type: 'sale.record', productId: ids.pom, orderId: 'shop-1' });
    const out = r.apply({ type: 'sale.record', productId: ids.pom, orderId: 'shop-1' });
    expect(out.ok && out.duplicateOfSale?.orderId).toBe('shop-1');
    expect(out.ok && out.state).toBe(r.state);
  });

  it('card.next wraps to the start and refuses when every other product is sold out', () => {
    const { r, ids } = fixture();
    r.ok({ type: 'card.show', productId: ids.pom });
    r.ok({ type: 'card.next' });
    expect(r.state.currentProductId).toBe(ids.rice);
    r.ok({ type: 'card.next' });
    expect(r.state.currentProductId).toBe(ids.pom);
    r.ok({ type: 'product.soldOut', productId: ids.rice });
    expect(r.send({ type: 'card.next' })).toMatchObject({ kind: 'rejected', error: { reason: 'nothing_next' } });
  });

  it(`the ticker keeps at most MAX_TICKER (${MAX_TICKER}) messages, the newest`, () => {
    const r = new TestRelay();
    for (let n = 1; n <= MAX_TICKER + 5; n++) r.ok({ type: 'ticker.push', text: `msg ${n}` }, 'cohost');
    expect(r.state.ticker).toHaveLength(MAX_TICKER);
    expect(r.state.ticker[0]?.text).toBe('msg 6');
    expect(r.state.ticker.at(-1)?.text).toBe(`msg ${MAX_TICKER + 5}`);
  });

  it('room.update refuses a currency change once sales are counted, even after their products were removed', () => {
    const { r, ids } = fixture();
    for (const id of [ids.pom, ids.rice, ids.egg]) r.ok({ type: 'product.remove', productId: id });
    expect(r.state.products).toEqual([]);
    expect(r.state.totals.revenueMinor).toBe(25600);
    const before = r.state;
    expect(r.send({ type: 'room.update', changes: { currency: 'JPY' } })).toMatchObject({ kind: 'rejected', error: { code: 'conflict', reason: 'currency_locked', field: 'changes.currency' } });
    expect(r.state).toBe(before);
    // once the sale is undone nothing is priced in the old currency any more
    r.ok({ type: 'sale.void', saleId: 'first-sale' });
    expect(r.send({ type: 'room.update', changes: { currency: 'JPY' } }).kind).toBe('applied');
  });

  it('room.update may change the currency of a room with no products', () => {
    const r = new TestRelay();
    r.ok({ type: 'room.update', changes: { currency: 'EUR', locale: 'fr' } });
    expect(r.state.room).toMatchObject({ currency: 'EUR', locale: 'fr' });
  });

  it('[R2] a command based on the current version applies; the same command one version later is stale', () => {
    const { r, ids } = fixture();
    const baseVersion = r.state.version;
    expect(r.send({ type: 'sale.record', productId: ids.pom, baseVersion }).kind).toBe('applied');
    const before = r.state;
    expect(r.send({ type: 'sale.record', productId: ids.pom, baseVersion })).toMatchObject({ kind: 'rejected', error: { code: 'conflict', reason: 'stale_version', field: 'baseVersion' } });
    expect(r.state).toBe(before);
  });

  it('[R1] version and updatedAt follow applied commands only', () => {
    const { r, ids } = fixture();
    const v = r.state.version;
    r.send({ type: 'sale.record', productId: ids.egg });
    expect(r.state.version).toBe(v);
    r.ok({ type: 'card.hide' });
    expect(r.state.version).toBe(v + 1);
    expect(r.state.updatedAt).toBe(r.now - 1000);
    expect(r.state.updatedAt).toBeGreaterThan(T0);
  });
});

describe('immutability and identity', () => {
  it.each(COMMAND_TYPES)('%s never mutates its deep-frozen input', (type) => {
    const { r, ids } = fixture(type);
    SETUP[type]?.(r, ids);
    const frozen = deepFreeze(structuredClone(r.state));
    const copy = structuredClone(frozen);
    const out = applyCommand(frozen, cmd({ id: 'x1', ...SAMPLE[type](ids) }), r.ctx());
    expect(out.ok).toBe(true);
    expect(frozen).toEqual(copy);
  });

  it.each(COMMAND_TYPES)('%s keeps the identity of every product it does not change', (type) => {
    const { r, ids } = fixture(type);
    SETUP[type]?.(r, ids);
    const before = r.state;
    const out = applied(r.apply(SAMPLE[type](ids)));
    const touched = new Set(
      out.events.flatMap((e) => ('productId' in e ? [e.productId] : 'sale' in e ? [e.sale.productId] : [])),
    );
    for (const next of out.state.products) {
      const old = before.products.find((x) => x.id === next.id);
      if (old && !touched.has(next.id)) expect(next).toBe(old);
    }
    // command.undo reverses whichever command it names (here a sale): it may change products too.
    if (!type.startsWith('product.') && !type.startsWith('sale.') && !type.startsWith('queue.') && !type.startsWith('presale.') && type !== 'stock.set' && type !== 'command.undo') {
      expect(out.state.products).toBe(before.products);
    }
  });
});

describe('[R11] a shop feed reports paid orders as facts (issue 13): a product already at 0', () => {
  it('counts a feed sale past the stock: the stock stays at 0, the product sold out, the totals count it', () => {
    const { r, ids } = fixture();
    const before = r.state.totals;
    const out = r.send({ type: 'sale.record', productId: ids.pom, quantity: 7, orderId: 'shopify:1:1' }, 'sales', 'feed:fd_a');
    expect(out.kind).toBe('applied');
    expect(r.product(ids.pom)).toMatchObject({ stock: 0, sold: 7, soldOut: true });
    expect(r.state.totals).toMatchObject({ sold: before.sold + 7, orders: before.orders + 1 });
    // A product already at 0 and one marked sold out by hand are counted too, and stay at 0.
    expect(r.send({ type: 'sale.record', productId: ids.egg, orderId: 'shopify:1:2' }, 'sales', 'feed:fd_a').kind).toBe('applied');
    expect(r.product(ids.egg)).toMatchObject({ stock: 0, sold: 1, soldOut: true });
  });

  it('still refuses the same sale from the console or the API', () => {
    const { r, ids } = fixture();
    for (const source of ['console', 'api', 'webhook'] as const) {
      expect(r.send({ type: 'sale.record', productId: ids.egg }, 'sales', source)).toMatchObject({ kind: 'rejected', error: { reason: 'out_of_stock' } });
    }
  });
});
