/**
 * The overlay page's pure parts: reading the OBS URL (unknown values fall back to defaults) and
 * the state factory (the relay's state always wins over a remembered one; the ticker keeps its
 * identity across sales so the marquee does not restart).
 */
import { describe, expect, it } from 'vitest';
import { emptyRoom, type Product, type RoomState } from '../../shared/domain.js';
import { readOptions } from '../../overlay/page/overlay-options.js';
import { createOverlayState } from '../../overlay/page/overlay-state.js';
import { slim } from '../../overlay/page/last-state.js';
import { unitWeightKg } from '../../overlay/page/unit-weight.js';

describe('overlay URL options', () => {
  it.each([
    ['?room=r1&token=t1', { room: 'r1', token: 't1', layout: 'landscape', lang: 'zh-CN', theme: 'dark', scale: 1 }],
    ['?room=r1&token=t1&layout=portrait&lang=fr&theme=light&scale=1.5', { layout: 'portrait', lang: 'fr', theme: 'light', scale: 1.5 }],
    ['?layout=PORTRAIT&lang=EN&theme=Festive', { layout: 'portrait', lang: 'en', theme: 'festive' }],
    ['?lang=zh&layout=diagonal&theme=neon&scale=abc', { lang: 'zh-CN', layout: 'landscape', theme: 'dark', scale: 1 }],
    ['?lang=zh-Hans&scale=0.2', { lang: 'zh-CN', scale: 1 }],
    ['?lang=de&scale=3', { lang: 'zh-CN', scale: 1 }],
    ['?room=%20r1%20&token=', { room: 'r1', token: '', revenue: false, weight: false }],
    ['?stats=revenue,weight', { revenue: true, weight: true }],
    ['?stats=Weight', { revenue: false, weight: true }],
    ['?room=r1&token=t1', { ticker: 'flip' }],
    ['?ticker=CRAWL', { ticker: 'crawl' }],
    ['?ticker=scroll', { ticker: 'flip' }],
  ])('reads %s', (search, want) => {
    expect(readOptions(search)).toMatchObject(want);
  });
});

describe('weight per unit from the unit text', () => {
  it.each([
    ['5 kg box', 5],
    ['500 g jar', 0.5],
    ['6 jars × 425 g', 2.55],
    ['10斤', 5],
    ['2,5 kg', 2.5],
    ['10 kg bag', 10],
    ['30 eggs', null],
    ['', null],
    ['1 kgs', null],
  ])('%s → %s kg', (unit, kg) => {
    const got = unitWeightKg(unit);
    if (kg === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(kg, 6);
  });
});

function product(id: string, over: Partial<Product> = {}): Product {
  return {
    id, sku: id, name: `name-${id}`, priceMinor: 100, originalPriceMinor: null, unit: '', stock: null, imageUrl: null,
    origin: '', tagline: '', obsScene: null, netWeightGrams: null, grade: '', harvestDate: null, producer: '', traceUrl: null, sold: 0, revenueMinor: 0, soldOutManual: false, soldOut: false, presale: null, ...over,
  };
}

function room(version: number, over: Partial<RoomState> = {}): RoomState {
  return { ...emptyRoom('r1', { title: 't', currency: 'CNY', locale: 'zh-CN' }, 0), version, ...over };
}

describe('overlay state', () => {
  it('shows the card only when it is visible and the product exists', () => {
    const s = createOverlayState();
    s.receive(room(1, { products: [product('a')], currentProductId: 'a', cardVisible: false }));
    expect(s.card.value).toBeNull();
    s.receive(room(2, { products: [product('a')], currentProductId: 'a', cardVisible: true }));
    expect(s.card.value?.id).toBe('a');
    s.receive(room(3, { products: [product('b')], currentProductId: 'a', cardVisible: true }));
    expect(s.card.value).toBeNull();
  });

  it('lists sold-out products, then pushed messages, in the ticker', () => {
    const s = createOverlayState();
    s.receive(room(1, { products: [product('a', { soldOut: true }), product('b')], ticker: [{ id: 'm1', text: 'hello', at: 0 }] }));
    expect(s.ticker.value.map((t) => [t.text, t.mark])).toEqual([['name-a', 'soldOut'], ['hello', undefined]]);
  });

  it('lists a product selling on presale (stock 0, not sold out) with the presale badge, and a new ticker when it sells out', () => {
    const s = createOverlayState();
    const pre = { stock: 0, presale: { shipBy: '2026-09-20', quota: 5, sold: 4 } };
    s.receive(room(1, { products: [product('a', pre), product('b', { stock: 3 })] }));
    const before = s.ticker.value;
    expect(before.map((t) => [t.text, t.mark])).toEqual([['name-a', 'presale']]);
    s.receive(room(2, { products: [product('a', { ...pre, soldOut: true, presale: { ...pre.presale, sold: 5 } }), product('b', { stock: 3 })] }));
    expect(s.ticker.value.map((t) => [t.text, t.mark])).toEqual([['name-a', 'soldOut']]);
    expect(s.ticker.value).not.toBe(before);
  });

  it('keeps the same ticker array across a sale, so the marquee does not restart', () => {
    const s = createOverlayState();
    const base = { products: [product('a', { soldOut: true }), product('b')], ticker: [{ id: 'm1', text: 'hi', at: 0 }] };
    s.receive(room(1, base));
    const before = s.ticker.value;
    s.receive(room(2, { ...base, products: [product('a', { soldOut: true }), product('b', { sold: 5 })] }));
    expect(s.ticker.value).toBe(before);
  });

  it('never lets a remembered state replace the live one, and the relay always wins', () => {
    const s = createOverlayState();
    s.restore(room(9));
    expect(s.room.value?.version).toBe(9);
    // After a relay restart from a backup the version may be lower: the relay is still the truth.
    s.receive(room(3));
    expect(s.room.value?.version).toBe(3);
    s.restore(room(12));
    expect(s.room.value?.version).toBe(3);
    expect(s.link.value).toBe('live');
  });

  it('clears a setup problem once the relay accepts the connection', () => {
    const s = createOverlayState();
    s.setupFailed('unauthorized');
    expect(s.setup.value).toBe('unauthorized');
    s.receive(room(1));
    expect(s.setup.value).toBeNull();
  });

  it('remembers only what it draws: the current product and sold-out ones', () => {
    const big = room(1, { products: [product('a'), product('b', { soldOut: true }), product('c')], currentProductId: 'c' });
    expect(slim(big).products.map((p) => p.id)).toEqual(['b', 'c']);
  });
});
