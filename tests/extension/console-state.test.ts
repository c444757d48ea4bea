import { describe, expect, it } from 'vitest';
import { emptyRoom, type Product, type RoomState } from '../../shared/domain';
import { shareUnchanged } from '../../extension/lib/console-state';

const product = (id: string, sold = 0): Product => ({
  id, sku: id, name: id, priceMinor: 100, originalPriceMinor: null, unit: '', stock: null, imageUrl: null,
  origin: '', tagline: '', obsScene: null, sold, revenueMinor: sold * 100, soldOutManual: false, soldOut: false,
});
const room = (products: Product[], version: number): RoomState => ({ ...emptyRoom('r', { title: 't', currency: 'CNY', locale: 'zh-CN' }, 0), products, version });

describe('console state', () => {
  it('keeps the objects of unchanged products so only the changed row renders', () => {
    const prev = room([product('a'), product('b'), product('c')], 1);
    // A state from the worker is a fresh copy (structured clone): equal values, new objects.
    const next = room(JSON.parse(JSON.stringify([product('a'), product('b', 1), product('c')])), 2);
    const shared = shareUnchanged(prev, next);
    expect(shared.products[0]).toBe(prev.products[0]);
    expect(shared.products[1]).not.toBe(prev.products[1]);
    expect(shared.products[1]).toMatchObject({ sold: 1 });
    expect(shared.products[2]).toBe(prev.products[2]);
    expect(shared.version).toBe(2);
  });

  it('keeps the very same list when nothing in the queue changed', () => {
    const prev = room([product('a'), product('b')], 1);
    const next = room(JSON.parse(JSON.stringify(prev.products)), 2);
    expect(shareUnchanged(prev, next).products).toBe(prev.products);
  });

  it('follows a reorder', () => {
    const prev = room([product('a'), product('b')], 1);
    const next = room(JSON.parse(JSON.stringify([product('b'), product('a')])), 2);
    const shared = shareUnchanged(prev, next);
    expect(shared.products.map((p) => p.id)).toEqual(['b', 'a']);
    expect(shared.products[0]).toBe(prev.products[1]);
  });
});
