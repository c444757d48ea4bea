/**
 * The product commands: add, update, remove and the manual sold-out mark. Stock is not among
 * them: stock.set (./stock.ts) owns it, and product.update's schema refuses a stock field.
 */
import { z } from 'zod';
import { MAX_PRODUCTS, ProductChangesSchema, ProductInputSchema } from '../domain.js';
import { newProduct, withChanges } from '../product-fields.js';
import { findProduct, productIdAt, soldOutOf, unknownProduct, withProduct } from './apply.js';
import { defineCommand, productRef } from './define.js';
import { fail } from './refusals.js';

export const productAdd = defineCommand('product.add', {
  fields: { product: ProductInputSchema, position: z.number().int().min(0).optional() },
  apply(state, cmd) {
    if (state.products.length >= MAX_PRODUCTS) return fail('too_many_products', `a room holds at most ${MAX_PRODUCTS} products`);
    const input = cmd.product;
    if (state.products.some((p) => p.sku === input.sku)) {
      return fail('duplicate_sku', `SKU "${input.sku}" is already in this room`, 'product.sku');
    }
    const id = productIdAt(state.version + 1);
    const product = newProduct(id, input);
    const products = state.products.slice();
    products.splice(Math.min(cmd.position ?? products.length, products.length), 0, product);
    return { ok: true, state: { ...state, products }, events: [{ type: 'product.added', productId: id }], result: { productId: id } };
  },
});

export const productUpdate = defineCommand('product.update', {
  fields: { ...productRef, changes: ProductChangesSchema },
  apply(state, cmd) {
    const found = findProduct(state, cmd.productId);
    if (!found) return unknownProduct(cmd.productId);
    const c = cmd.changes;
    if (c.sku !== undefined && state.products.some((p) => p.sku === c.sku && p.id !== cmd.productId)) {
      return fail('duplicate_sku', `SKU "${c.sku}" is already in this room`, 'changes.sku');
    }
    const p = found.product;
    const next = withChanges(p, c);
    return { ok: true, state: { ...state, products: withProduct(state, found.index, next) }, events: [{ type: 'product.updated', productId: p.id }] };
  },
});

export const productRemove = defineCommand('product.remove', {
  fields: productRef,
  apply(state, cmd) {
    const found = findProduct(state, cmd.productId);
    if (!found) return unknownProduct(cmd.productId);
    const products = state.products.filter((p) => p.id !== cmd.productId);
    const wasCurrent = state.currentProductId === cmd.productId;
    // Sales of a removed product stay in the totals: money taken is not undone by tidying the queue.
    return {
      ok: true,
      state: { ...state, products, ...(wasCurrent && { currentProductId: null, cardVisible: false }) },
      events: [{ type: 'product.removed', productId: cmd.productId }, ...(wasCurrent ? [{ type: 'card.hidden' } as const] : [])],
    };
  },
});

export const productSoldOut = defineCommand('product.soldOut', {
  fields: { ...productRef, soldOut: z.boolean().optional() },
  apply(state, cmd) {
    const found = findProduct(state, cmd.productId);
    if (!found) return unknownProduct(cmd.productId);
    const manual = cmd.soldOut ?? true;
    const p = { ...found.product, soldOutManual: manual };
    p.soldOut = soldOutOf(p);
    return {
      ok: true,
      state: { ...state, products: withProduct(state, found.index, p) },
      events: [{ type: 'product.soldOut', productId: p.id, soldOut: p.soldOut }],
    };
  },
});

export const PRODUCT_COMMANDS = [productAdd, productUpdate, productRemove, productSoldOut] as const;
