/**
 * The show's pulse in the host console (ui/show-pulse.ts): the last 30 minutes from the report's
 * timeline (gaps are minutes without an order), the feeds' health and the per-source split read
 * through the host calls, read again every 30 s and a few seconds after the orders change, the
 * last good figures kept when a read fails. A fake api and fake timers; no browser.
 */
import { signal } from '@preact/signals';
import { describe, expect, it } from 'vitest';
import type { RoomState } from '../../shared/domain';
import type { HostAnswer, HostCall } from '../../extension/common/host-calls';
import { hostRequest } from '../../extension/common/host-calls';
import { createShowPulse, feedHealthOf, lastMinutes, PULSE_EVERY_MS, PULSE_SETTLE_MS, pulseFrom } from '../../extension/ui/show-pulse';

const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 4, 11, 29, 30);

describe('lastMinutes', () => {
  it('is the 30 minutes up to the current one, oldest first, a minute without a row reading 0', () => {
    const from = pulseFrom(NOW);
    expect(from).toBe(Date.UTC(2026, 11, 4, 11, 0));
    const m = lastMinutes([{ at: from + 2 * MIN, orders: 40 }, { at: from + 29 * MIN, orders: 3 }, { at: from - MIN, orders: 99 }], NOW);
    expect(m).toHaveLength(30);
    expect(m[0]).toEqual({ at: from, orders: 0 });
    expect(m[2]!.orders).toBe(40);
    expect(m[29]).toEqual({ at: Date.UTC(2026, 11, 4, 11, 29), orders: 3 });
    expect(m.reduce((a, x) => a + x.orders, 0)).toBe(43);
  });
});

describe('the host calls it makes', () => {
  it('reads the report since the window, the feeds and the per-source totals', () => {
    expect(hostRequest('r 1', { kind: 'recent', from: 123 })).toEqual({ method: 'GET', path: '/api/rooms/r%201/report?from=123' });
    expect(hostRequest('r1', { kind: 'feeds' })).toEqual({ method: 'GET', path: '/api/rooms/r1/feeds' });
    expect(hostRequest('r1', { kind: 'sources' })).toEqual({ method: 'GET', path: '/api/rooms/r1?totals=bySource' });
    expect(hostRequest('r1', { kind: 'map', feed: 'f 1', sku: 'A', productId: 'p1' })).toEqual({ method: 'POST', path: '/api/rooms/r1/feeds/f%201/map', body: { sku: 'A', productId: 'p1' } });
  });

  it('a feed is shown by its counters and the number of lines waiting for a SKU', () => {
    expect(feedHealthOf({ feeds: [{ id: 'f1', platform: 'shopify', name: '抖店', received: 10, counted: 8, rejected: 1, unmatched: [{ sku: 'X', quantity: 1, orderId: 'o' }], lastAt: 5, lastError: null }] })).toEqual([
      { id: 'f1', platform: 'shopify', name: '抖店', received: 10, counted: 8, rejected: 1, unmatched: 1, unmatchedSkus: [{ sku: 'X', quantity: 1 }], lastAt: 5, lastError: null },
    ]);
    expect(feedHealthOf(null)).toEqual([]);
  });
});

describe('createShowPulse', () => {
  function harness() {
    const calls: HostCall[] = [];
    let fail = false;
    const timers: { fn: () => void; ms: number; id: number }[] = [];
    let id = 0;
    const room = signal<RoomState | null>({ totals: { orders: 1 } } as RoomState);
    let clock = NOW;
    const online = signal(true);
    const api = {
      async call(c: HostCall): Promise<HostAnswer> {
        calls.push(c);
        if (fail) return { ok: false, status: 503, code: 'unavailable', message: 'storage down' };
        if (c.kind === 'recent') return { ok: true, body: { timeline: [{ at: pulseFrom(NOW) + 29 * MIN, orders: 7 }] } };
        if (c.kind === 'feeds') return { ok: true, body: { feeds: [{ id: 'f1', platform: 'standard', name: '视频号', received: 3, counted: 3, rejected: 0, unmatched: [], lastAt: NOW - 5000, lastError: null }] } };
        return { ok: true, body: { totals: { bySource: [{ source: 'feed:f1', name: '视频号', orders: 3, units: 4, revenueMinor: 1200 }] } } };
      },
    };
    const pulse = createShowPulse({
      api,
      room,
      online,
      now: () => clock,
      setTimeout: (fn, ms) => (timers.push({ fn, ms, id: ++id }), id),
      clearTimeout: (t) => {
        const i = timers.findIndex((x) => x.id === t);
        if (i >= 0) timers.splice(i, 1);
      },
    });
    const settle = () => new Promise((r) => setTimeout(r, 0));
    return { pulse, calls, timers, room, settle, failNext: (v: boolean) => (fail = v), advance: (ms: number) => (clock += ms) };
  }

  it('reads all three at once when made, then every 30 s', async () => {
    const h = harness();
    await h.settle();
    expect(h.calls.map((c) => c.kind)).toEqual(['recent', 'feeds', 'sources']);
    expect(h.calls[0]).toEqual({ kind: 'recent', from: pulseFrom(NOW) });
    expect(h.pulse.minutes.value.at(-1)).toEqual({ at: pulseFrom(NOW) + 29 * MIN, orders: 7 });
    expect(h.pulse.feeds.value[0]).toMatchObject({ name: '视频号', counted: 3 });
    expect(h.pulse.sources.value).toEqual([{ source: 'feed:f1', name: '视频号', orders: 3, units: 4, revenueMinor: 1200 }]);
    expect(h.timers.map((t) => t.ms)).toEqual([PULSE_EVERY_MS]);
    h.timers.shift()!.fn();
    await h.settle();
    expect(h.calls).toHaveLength(6);
  });

  it('a change of the orders brings the next read to a few seconds away (once for a burst)', async () => {
    const h = harness();
    await h.settle();
    h.room.value = { totals: { orders: 2 } } as RoomState;
    h.room.value = { totals: { orders: 3 } } as RoomState;
    expect(h.timers.map((t) => t.ms)).toEqual([PULSE_SETTLE_MS]);
  });

  it('in a rush (orders changing every moment) the read is not postponed: a later change keeps the read already due', async () => {
    const h = harness();
    await h.settle();
    h.room.value = { totals: { orders: 2 } } as RoomState;
    const due = h.timers[0]!;
    for (let i = 0; i < 20; i++) {
      h.advance(200);
      h.room.value = { totals: { orders: 3 + i } } as RoomState;
    }
    expect(h.timers).toEqual([due]);
    expect(due.ms).toBe(PULSE_SETTLE_MS);
  });

  it('keeps the last good figures when a read fails, and says why', async () => {
    const h = harness();
    await h.settle();
    h.failNext(true);
    await h.pulse.refresh();
    expect(h.pulse.failure.value).toBe('storage down');
    expect(h.pulse.feeds.value).toHaveLength(1);
    h.pulse.stop();
    expect(h.timers).toEqual([]);
  });
});
