/**
 * The rehearsal feed's pace (overlay/relay/rehearsal-feed.ts), with a seeded random source and
 * no clock: the steady stream's mean rate, the rush's exact count within its window, the share
 * a relay taking a feed over mid-rush sends, and the product a simulated buyer picks.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ArrivalSchedule, ON_AIR_SHARE, pickProduct } from '../../overlay/relay/rehearsal-feed.js';
import { seededRelay } from './room-harness.js';

/** A small deterministic generator (mulberry32), so the figures below are the same every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function arrivals(s: ArrivalSchedule, until: number): number[] {
  const out: number[] = [];
  while (s.next() < until) {
    out.push(s.next());
    s.take();
  }
  return out;
}

describe('ArrivalSchedule', () => {
  it('a rush brings exactly rushOrders within rushSeconds of the start, in time order, whatever the random draws', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 600 }), fc.integer(), (rushOrders, rushSeconds, seed) => {
        const s = new ArrivalSchedule({ ordersPerMinute: 0, rushOrders, rushSeconds, resumedAt: 1000 }, 1000, seeded(seed));
        const times = arrivals(s, Infinity);
        expect(times).toHaveLength(rushOrders);
        expect(times.every((t, i) => t >= 1000 && t < 1000 + rushSeconds * 1000 && (i === 0 || t >= times[i - 1]!))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('3,000 in 60 s: about 50 a second in every second of the rush (uniform, not front-loaded)', () => {
    const s = new ArrivalSchedule({ ordersPerMinute: 0, rushOrders: 3000, rushSeconds: 60, resumedAt: 0 }, 0, seeded(19));
    const perSecond = new Array<number>(60).fill(0);
    for (const t of arrivals(s, Infinity)) perSecond[Math.floor(t / 1000)]!++;
    expect(perSecond.reduce((a, b) => a + b, 0)).toBe(3000);
    // Poisson-like: sd ≈ √50 ≈ 7; every second within 5 sd of 50.
    for (const n of perSecond) expect(Math.abs(n - 50)).toBeLessThan(36);
  });

  it('the steady stream has exponential gaps at ordersPerMinute (mean over an hour within 3 %)', () => {
    const s = new ArrivalSchedule({ ordersPerMinute: 120, rushOrders: 0, rushSeconds: 60, resumedAt: 0 }, 0, seeded(7));
    const times = arrivals(s, 3_600_000);
    expect(Math.abs(times.length - 7200) / 7200).toBeLessThan(0.03);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // Exponential: the share of gaps longer than the mean is e^-1 ≈ 0.37.
    const mean = 500;
    expect(gaps.filter((g) => g > mean).length / gaps.length).toBeCloseTo(Math.exp(-1), 1);
  });

  it('taken over halfway through the rush (another relay, its holder dead), it sends the remaining half', () => {
    const s = new ArrivalSchedule({ ordersPerMinute: 0, rushOrders: 3000, rushSeconds: 60, resumedAt: 0 }, 30_000, seeded(3));
    const times = arrivals(s, Infinity);
    expect(times).toHaveLength(1500);
    expect(times[0]).toBeGreaterThanOrEqual(30_000);
  });

  it('no pace and no rush: nothing arrives', () => {
    expect(new ArrivalSchedule({ ordersPerMinute: 0, rushOrders: 0, rushSeconds: 60, resumedAt: 0 }, 0, seeded(1)).next()).toBe(Infinity);
  });
});

describe('pickProduct', () => {
  it('gives the product on air ON_AIR_SHARE of the orders, the others the rest, and never one that cannot sell', () => {
    const { r, pom, rice, egg } = seededRelay(); // egg: stock 0, sold out
    r.ok({ type: 'card.show', productId: rice });
    const random = seeded(5);
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const id = pickProduct(r.state, random)!;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect(counts.get(egg)).toBeUndefined();
    expect((counts.get(rice) ?? 0) / 10_000).toBeCloseTo(ON_AIR_SHARE, 1);
    expect((counts.get(pom) ?? 0) / 10_000).toBeCloseTo(1 - ON_AIR_SHARE, 1);
  });

  it('finds nothing when every product is sold out', () => {
    const { r, pom, rice } = seededRelay();
    r.ok({ type: 'stock.set', productId: pom, stock: 0 });
    r.ok({ type: 'product.soldOut', productId: rice });
    expect(pickProduct(r.state, Math.random)).toBeUndefined();
  });
});
