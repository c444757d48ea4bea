/** The card commands: which product the overlay's price card shows, and whether it is shown. */
import type { Product } from '../domain.js';
import { findProduct, unknownProduct } from './apply.js';
import { defineCommand, productRef } from './define.js';
import { fail } from './refusals.js';

export const cardShow = defineCommand('card.show', {
  fields: productRef,
  apply(state, cmd) {
    if (!findProduct(state, cmd.productId)) return unknownProduct(cmd.productId);
    return { ok: true, state: { ...state, currentProductId: cmd.productId, cardVisible: true }, events: [{ type: 'card.shown', productId: cmd.productId }] };
  },
});

export const cardHide = defineCommand('card.hide', {
  fields: {},
  apply(state) {
    return { ok: true, state: { ...state, cardVisible: false }, events: [{ type: 'card.hidden' }] };
  },
});

export const cardNext = defineCommand('card.next', {
  fields: {},
  apply(state) {
    const n = state.products.length;
    if (n === 0) return fail('empty_queue', 'the queue is empty: add a product first');
    const start = state.currentProductId ? state.products.findIndex((p) => p.id === state.currentProductId) : -1;
    // The next product in queue order that can still be sold, wrapping around; sold-out ones are skipped.
    let next: Product | undefined;
    for (let step = 1; step <= n; step++) {
      const candidate = state.products[(start + step + n) % n];
      if (candidate && !candidate.soldOut && candidate.id !== state.currentProductId) {
        next = candidate;
        break;
      }
    }
    if (!next) return fail('nothing_next', 'every other product is sold out');
    return { ok: true, state: { ...state, currentProductId: next.id, cardVisible: true }, events: [{ type: 'card.shown', productId: next.id }] };
  },
});

export const CARD_COMMANDS = [cardShow, cardHide, cardNext] as const;
