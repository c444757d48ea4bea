/** The queue command: moves a product to another place in the running order. */
import { z } from 'zod';
import { findProduct, unknownProduct } from './apply.js';
import { defineCommand, productRef } from './define.js';

export const queueMove = defineCommand('queue.move', {
  fields: { ...productRef, toIndex: z.number().int().min(0) },
  apply(state, cmd) {
    const found = findProduct(state, cmd.productId);
    if (!found) return unknownProduct(cmd.productId);
    const products = state.products.slice();
    products.splice(found.index, 1);
    products.splice(Math.min(cmd.toIndex, products.length), 0, found.product);
    return { ok: true, state: { ...state, products }, events: [{ type: 'queue.moved', productId: cmd.productId }] };
  },
});

export const QUEUE_COMMANDS = [queueMove] as const;
