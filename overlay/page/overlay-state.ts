/**
 * The overlay's one state factory (house rule 7): the last room state the relay sent (or the
 * one remembered from an earlier visit), the connection status and a setup problem, exposed
 * read-only; changed only through the named actions below. Components read the computed
 * views; main.tsx re-renders whenever one they read changes.
 */
import { batch, computed, signal, type ReadonlySignal } from '@preact/signals-core';
import type { Product, RoomState } from '../../shared/domain.js';
import type { SetupProblem } from './words.js';

export type LinkStatus = 'connecting' | 'live' | 'offline';

export interface TickerItem {
  key: string;
  text: string;
  /** The badge: a sold-out product, one selling on presale (issue 17), or none (a message). Part of the key, so a change shows at once. */
  mark?: 'soldOut' | 'presale';
}

export interface OverlayState {
  room: ReadonlySignal<RoomState | null>;
  link: ReadonlySignal<LinkStatus>;
  setup: ReadonlySignal<SetupProblem | null>;
  /** The product on the card, or null when the card is hidden. */
  card: ReadonlySignal<Product | null>;
  ticker: ReadonlySignal<TickerItem[]>;
  /** Relay clock minus page clock, in ms (for the countdown). */
  skew: ReadonlySignal<number>;
  receive(state: RoomState): void;
  restore(state: RoomState): void;
  linkChanged(status: LinkStatus): void;
  setupFailed(problem: SetupProblem): void;
  clockMeasured(skewMs: number): void;
}

export function createOverlayState(): OverlayState {
  const room = signal<RoomState | null>(null);
  const link = signal<LinkStatus>('connecting');
  const setup = signal<SetupProblem | null>(null);
  const skew = signal(0);

  const card = computed(() => {
    const s = room.value;
    if (!s || !s.cardVisible || !s.currentProductId) return null;
    return s.products.find((p) => p.id === s.currentProductId) ?? null;
  });

  let lastTicker: TickerItem[] = [];
  const ticker = computed(() => {
    const s = room.value;
    const next: TickerItem[] = s
      ? [
          ...s.products.filter((p) => p.soldOut || p.stock === 0).map((p) => {
            const mark = p.soldOut ? 'soldOut' : 'presale';
            return { key: mark + p.id, text: p.name, mark };
          }),
          ...s.ticker.map((m) => ({ key: 'm:' + m.id, text: m.text })),
        ]
      : [];
    // Keep the same array while the items are the same: a sale must not restart the marquee.
    const same = next.length === lastTicker.length && next.every((t, i) => t.key === lastTicker[i]?.key && t.text === lastTicker[i]?.text);
    if (!same) lastTicker = next;
    return lastTicker;
  });

  return {
    room,
    link,
    setup,
    card,
    ticker,
    skew,
    receive(state) {
      // The relay is the one writer: what it sends now is the truth, even after a restart.
      batch(() => {
        room.value = state;
        setup.value = null;
        link.value = 'live';
      });
    },
    restore(state) {
      // A remembered state only fills an empty page; it never replaces a live one.
      if (room.value === null) room.value = state;
    },
    linkChanged(status) {
      link.value = status;
    },
    setupFailed(problem) {
      setup.value = problem;
    },
    clockMeasured(skewMs) {
      skew.value = skewMs;
    },
  };
}
