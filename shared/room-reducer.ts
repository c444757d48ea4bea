/**
 * The pure room reducer: `applyCommand(state, command, ctx)` returns a new state with the
 * events the command caused, or a typed error. It never mutates its input (unchanged products
 * keep their object identity, which the store uses to write only what changed), reads no
 * clock and makes no random ids: time, the sender and sale look-ups come from `ctx`.
 *
 * Rules (cited by the tests):
 * [R1] every applied command raises `version` by exactly 1; a refused one changes nothing.
 * [R2] a command with a stale `baseVersion` is refused with `stale_version` (409).
 * [R3] a repeated command id is not applied twice (see processCommand below).
 * [R4] a sale lowers stock; a sale beyond the remaining stock is refused (409, nothing changes).
 * [R5] stock reaching 0 (sale or stock.set) marks the product sold out; a restock clears it.
 * [R6] totals always equal the sum of non-voided sales; a voided sale gives its stock back.
 * [R7] a repeated sale orderId is answered with the first sale, not counted again.
 * [R8] roles: cohost = cards, ticker, countdown; sales = sales; overlay = nothing.
 */
import type { Command, CommandOf, CommandType } from './commands.js';
import { roleMay } from './commands.js';
import { MAX_PRODUCTS, MAX_TICKER, type Product, type Role, type RoomState, type Sale, type SaleSource } from './domain.js';
import { newProduct, withChanges } from './product-fields.js';

export type RoomErrorCode = 'invalid' | 'forbidden' | 'not_found' | 'conflict';

export interface RoomError {
  code: RoomErrorCode;
  /** Machine-readable reason, e.g. out_of_stock, stale_version, duplicate_sku. */
  reason: string;
  message: string;
  field?: string;
}

export const ERROR_STATUS: Record<RoomErrorCode, number> = { invalid: 400, forbidden: 403, not_found: 404, conflict: 409 };

export type RoomEvent =
  | { type: 'product.added'; productId: string }
  | { type: 'product.updated'; productId: string }
  | { type: 'product.removed'; productId: string }
  | { type: 'product.soldOut'; productId: string; soldOut: boolean }
  | { type: 'queue.moved'; productId: string }
  | { type: 'card.shown'; productId: string }
  | { type: 'card.hidden' }
  | { type: 'sale.recorded'; sale: Sale }
  | { type: 'sale.voided'; sale: Sale }
  | { type: 'stock.changed'; productId: string; stock: number | null }
  | { type: 'ticker.changed' }
  | { type: 'countdown.changed' }
  | { type: 'room.updated' };

export interface CommandResult {
  productId?: string;
  saleId?: string;
  messageId?: string;
}

export interface ApplyContext {
  now: number;
  by: Role;
  source: SaleSource;
  /** Look-ups of sales already recorded in this room (the relay keeps them in its store). */
  sale(id: string): Sale | undefined;
  saleByOrder(orderId: string): Sale | undefined;
}

export type ApplyOutcome =
  | { ok: true; state: RoomState; events: RoomEvent[]; result: CommandResult; duplicateOfSale?: undefined }
  | { ok: true; duplicateOfSale: Sale; state: RoomState; events: []; result: CommandResult }
  | { ok: false; error: RoomError };

const fail = (code: RoomErrorCode, reason: string, message: string, field?: string): { ok: false; error: RoomError } => ({
  ok: false,
  error: field === undefined ? { code, reason, message } : { code, reason, message, field },
});

function soldOutOf(p: Pick<Product, 'stock' | 'soldOutManual'>): boolean {
  return p.stock === 0 || p.soldOutManual;
}

function withProduct(state: RoomState, index: number, next: Product): Product[] {
  const products = state.products.slice();
  products[index] = next;
  return products;
}

function findProduct(state: RoomState, id: string): { index: number; product: Product } | undefined {
  const index = state.products.findIndex((p) => p.id === id);
  const product = state.products[index];
  return product ? { index, product } : undefined;
}

/** Ids the reducer makes are derived from the version they are created at: unique, deterministic. */
export function productIdAt(version: number): string {
  return `p${version.toString(36)}`;
}

type Handler<T extends CommandType> = (
  state: RoomState,
  cmd: CommandOf<T>,
  ctx: ApplyContext,
) => { ok: true; state: RoomState; events: RoomEvent[]; result?: CommandResult; duplicateOfSale?: Sale } | { ok: false; error: RoomError };

const handlers: { [T in CommandType]: Handler<T> } = {
  'product.add'(state, cmd) {
    if (state.products.length >= MAX_PRODUCTS) return fail('conflict', 'too_many_products', `a room holds at most ${MAX_PRODUCTS} products`);
    const input = cmd.product;
    if (state.products.some((p) => p.sku === input.sku)) {
      return fail('conflict', 'duplicate_sku', `SKU "${input.sku}" is already in this room`, 'product.sku');
    }
    const id = productIdAt(state.version + 1);
    const product = newProduct(id, input);
    const products = state.products.slice();
    products.splice(Math.min(cmd.position ?? products.length, products.length), 0, product);
    return { ok: true, state: { ...state, products }, events: [{ type: 'product.added', productId: id }], result: { productId: id } };
  },

  'product.update'(state, cmd) {
    const found = findProduct(state, cmd.productId);
    if (!found) return fail('not_found', 'unknown_product', `no product "${cmd.productId}" in this room`, 'productId');
    const c = cmd.changes;
    if (c.sku !== undefined && state.products.some((p) => p.sku === c.sku && p.id !== cmd.productId)) {
      return fail('conflict', 'duplicate_sku', `SKU "${c.sku}" is already in this room`, 'changes.sku');
    }
    const p = found.product;
    const next = withChanges(p, c);
    return { ok: true, state: { ...state, products: withProduct(state, found.index, next) }, events: [{ type: 'product.updated', productId: p.id }] };
  },

  'product.remove'(state, cmd) {
    const found = findProduct(state, cmd.productId);
    if (!found) return fail('not_found', 'unknown_product', `no product "${cmd.productId}" in this room`, 'productId');
    const products = state.products.filter((p) => p.id !== cmd.productId);
    const wasCurrent = state.currentProductId === cmd.productId;
    // Sales of a removed product stay in the totals: money taken is not undone by tidying the queue.
    return {
      ok: true,
      state: { ...state, products, ...(wasCurrent && { currentProductId: null, cardVisible: false }) },
      events: [{ type: 'product.removed', productId: cmd.productId }, ...(wasCurrent ? [{ type: 'card.hidden' } as const] : [])],
    };
  },

  'product.soldOut'(state, cmd) {
    const found = findProduct(state, cmd.productId);
    if (!found) return fail('not_found', 'unknown_product', `no product "${cmd.productId}" in this room`, 'productId');
    const manual = cmd.soldOut ?? true;
    const p = { ...found.product, soldOutManual: manual };
    p.soldOut = soldOutOf(p);
    return {
      ok: true,
      state: { ...state, products: withProduct(state, found.index, p) },
      events: [{ type: 'product.soldOut', productId: p.id, soldOut: p.soldOut }],
    };
  },

  'queue.move'(state, cmd) {
    const found = findProduct(state, cmd.productId);
    if (!found) return fail('not_found', 'unknown_product', `no product "${cmd.productId}" in this room`, 'productId');
    const products = state.products.slice();
    products.splice(found.index, 1);
    products.splice(Math.min(cmd.toIndex, products.length), 0, found.product);
    return { ok: true, state: { ...state, products }, events: [{ type: 'queue.moved', productId: cmd.productId }] };
  },

  'card.show'(state, cmd) {
    if (!findProduct(state, cmd.productId)) return fail('not_found', 'unknown_product', `no product "${cmd.productId}" in this room`, 'productId');
    return { ok: true, state: { ...state, currentProductId: cmd.productId, cardVisible: true }, events: [{ type: 'card.shown', productId: cmd.productId }] };
  },

  'card.hide'(state) {
    return { ok: true, state: { ...state, cardVisible: false }, events: [{ type: 'card.hidden' }] };
  },

  'card.next'(state) {
    const n = state.products.length;
    if (n === 0) return fail('conflict', 'empty_queue', 'the queue is empty: add a product first');
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
    if (!next) return fail('conflict', 'nothing_next', 'every other product is sold out');
    return { ok: true, state: { ...state, currentProductId: next.id, cardVisible: true }, events: [{ type: 'card.shown', productId: next.id }] };
  },

  'sale.record'(state, cmd, ctx) {
    if (cmd.orderId !== undefined) {
      const first = ctx.saleByOrder(cmd.orderId);
      if (first) return { ok: true, state, events: [], result: { saleId: first.id, productId: first.productId }, duplicateOfSale: first };
    }
    const found =
      cmd.productId !== undefined
        ? findProduct(state, cmd.productId)
        : (() => {
            const index = state.products.findIndex((p) => p.sku === cmd.sku);
            const product = state.products[index];
            return product ? { index, product } : undefined;
          })();
    if (!found) {
      return cmd.productId !== undefined
        ? fail('not_found', 'unknown_product', `no product "${cmd.productId}" in this room`, 'productId')
        : fail('not_found', 'unknown_sku', `no product with SKU "${cmd.sku}" in this room`, 'sku');
    }
    const p = found.product;
    const quantity = cmd.quantity ?? 1;
    if (cmd.unitPriceMinor !== undefined && cmd.unitPriceMinor !== p.priceMinor) {
      return fail('conflict', 'price_changed', `the price changed to ${p.priceMinor} minor units`, 'unitPriceMinor');
    }
    if (p.soldOutManual) return fail('conflict', 'sold_out', `"${p.name}" is marked sold out`, 'productId');
    if (p.stock !== null && quantity > p.stock) {
      return fail('conflict', 'out_of_stock', `only ${p.stock} of "${p.name}" left, ${quantity} asked`, 'quantity');
    }
    const amount = quantity * p.priceMinor;
    if (!Number.isSafeInteger(state.totals.revenueMinor + amount)) return fail('invalid', 'too_large', 'the amount is too large', 'quantity');
    const sale: Sale = {
      id: cmd.id,
      orderId: cmd.orderId ?? null,
      productId: p.id,
      quantity,
      unitPriceMinor: p.priceMinor,
      at: ctx.now,
      source: ctx.source,
      by: ctx.by,
      voidedAt: null,
    };
    const stock = p.stock === null ? null : p.stock - quantity;
    const next: Product = { ...p, stock, sold: p.sold + quantity, revenueMinor: p.revenueMinor + amount };
    next.soldOut = soldOutOf(next);
    const events: RoomEvent[] = [{ type: 'sale.recorded', sale }];
    if (next.soldOut && !p.soldOut) events.push({ type: 'product.soldOut', productId: p.id, soldOut: true });
    return {
      ok: true,
      state: {
        ...state,
        products: withProduct(state, found.index, next),
        totals: { sold: state.totals.sold + quantity, revenueMinor: state.totals.revenueMinor + amount, orders: state.totals.orders + 1 },
      },
      events,
      result: { saleId: sale.id, productId: p.id },
    };
  },

  'sale.void'(state, cmd, ctx) {
    const sale = ctx.sale(cmd.saleId);
    if (!sale) return fail('not_found', 'unknown_sale', `no sale "${cmd.saleId}" in this room`, 'saleId');
    if (sale.voidedAt !== null) return fail('conflict', 'already_voided', `sale "${cmd.saleId}" was already undone`, 'saleId');
    const voided: Sale = { ...sale, voidedAt: ctx.now };
    const amount = sale.quantity * sale.unitPriceMinor;
    const totals = {
      sold: state.totals.sold - sale.quantity,
      revenueMinor: state.totals.revenueMinor - amount,
      orders: state.totals.orders - 1,
    };
    const found = findProduct(state, sale.productId);
    const events: RoomEvent[] = [{ type: 'sale.voided', sale: voided }];
    if (!found) return { ok: true, state: { ...state, totals }, events, result: { saleId: sale.id } };
    const p = found.product;
    const next: Product = {
      ...p,
      stock: p.stock === null ? null : p.stock + sale.quantity,
      sold: p.sold - sale.quantity,
      revenueMinor: p.revenueMinor - amount,
    };
    next.soldOut = soldOutOf(next);
    if (p.soldOut && !next.soldOut) events.push({ type: 'product.soldOut', productId: p.id, soldOut: false });
    return { ok: true, state: { ...state, products: withProduct(state, found.index, next), totals }, events, result: { saleId: sale.id, productId: p.id } };
  },

  'stock.set'(state, cmd) {
    const found = findProduct(state, cmd.productId);
    if (!found) return fail('not_found', 'unknown_product', `no product "${cmd.productId}" in this room`, 'productId');
    const p = found.product;
    // A restock (stock above 0 or unlimited) clears a manual sold-out mark.
    const manual = cmd.stock === 0 ? p.soldOutManual : false;
    const next: Product = { ...p, stock: cmd.stock, soldOutManual: manual };
    next.soldOut = soldOutOf(next);
    const events: RoomEvent[] = [{ type: 'stock.changed', productId: p.id, stock: cmd.stock }];
    if (next.soldOut !== p.soldOut) events.push({ type: 'product.soldOut', productId: p.id, soldOut: next.soldOut });
    return { ok: true, state: { ...state, products: withProduct(state, found.index, next) }, events };
  },

  'ticker.push'(state, cmd, ctx) {
    const message = { id: cmd.id, text: cmd.text, at: ctx.now };
    const ticker = [...state.ticker, message].slice(-MAX_TICKER);
    return { ok: true, state: { ...state, ticker }, events: [{ type: 'ticker.changed' }], result: { messageId: message.id } };
  },

  'ticker.clear'(state, cmd) {
    if (cmd.messageId !== undefined && !state.ticker.some((m) => m.id === cmd.messageId)) {
      return fail('not_found', 'unknown_message', `no ticker message "${cmd.messageId}"`, 'messageId');
    }
    const ticker = cmd.messageId === undefined ? [] : state.ticker.filter((m) => m.id !== cmd.messageId);
    return { ok: true, state: { ...state, ticker }, events: [{ type: 'ticker.changed' }] };
  },

  'countdown.start'(state, cmd, ctx) {
    const countdown = { label: cmd.label ?? '', startedAt: ctx.now, endsAt: ctx.now + cmd.seconds * 1000 };
    return { ok: true, state: { ...state, countdown }, events: [{ type: 'countdown.changed' }] };
  },

  'countdown.stop'(state) {
    return { ok: true, state: { ...state, countdown: null }, events: [{ type: 'countdown.changed' }] };
  },

  'room.update'(state, cmd) {
    const c = cmd.changes;
    if (c.currency !== undefined && c.currency !== state.room.currency && (state.products.length > 0 || state.totals.orders > 0)) {
      // Prices and takings are minor units of the currency: changing it would silently reprice
      // every product and the totals (which keep the sales of removed products).
      return fail('conflict', 'currency_locked', 'the currency can only change while the room has no products and no sales', 'changes.currency');
    }
    const room = { ...state.room, ...c } as RoomState['room'];
    return { ok: true, state: { ...state, room }, events: [{ type: 'room.updated' }] };
  },
};

/**
 * Applies one validated command. [R1] [R2] [R8] live here; the per-command rules in `handlers`.
 */
export function applyCommand(state: RoomState, command: Command, ctx: ApplyContext): ApplyOutcome {
  if (!roleMay(ctx.by, command.type)) {
    return fail('forbidden', 'role', `the ${ctx.by} role may not send ${command.type}`);
  }
  if (command.baseVersion !== undefined && command.baseVersion !== state.version) {
    return fail('conflict', 'stale_version', `the room changed (version ${state.version}, command based on ${command.baseVersion}): reload and try again`, 'baseVersion');
  }
  const handler = handlers[command.type] as Handler<CommandType>;
  const out = handler(state, command, ctx);
  if (!out.ok) return out;
  if (out.duplicateOfSale) {
    return { ok: true, duplicateOfSale: out.duplicateOfSale, state, events: [], result: out.result ?? {} };
  }
  return {
    ok: true,
    state: { ...out.state, version: state.version + 1, updatedAt: ctx.now },
    events: out.events,
    result: out.result ?? {},
  };
}

/** What the sender of an applied command gets back (also for a duplicate, with duplicate: true). */
export interface CommandAnswer {
  ok: true;
  version: number;
  duplicate: boolean;
  result: CommandResult;
}

export interface ProcessContext extends ApplyContext {
  /** The answer given when this command id was first applied in this room, if ever. */
  answer(commandId: string): CommandAnswer | undefined;
}

export type ProcessOutcome =
  | { kind: 'applied'; state: RoomState; events: RoomEvent[]; answer: CommandAnswer }
  | { kind: 'duplicate'; answer: CommandAnswer }
  | { kind: 'rejected'; error: RoomError };

/**
 * Exactly-once on top of applyCommand: [R3] a command id seen before gets its first answer
 * back, [R7] so does a sale whose orderId was already recorded. Only applied commands are
 * remembered: a refused command changed nothing, so trying it again is still at-most-once.
 */
export function processCommand(state: RoomState, command: Command, ctx: ProcessContext): ProcessOutcome {
  const seen = ctx.answer(command.id);
  if (seen) return { kind: 'duplicate', answer: { ...seen, duplicate: true } };
  const out = applyCommand(state, command, ctx);
  if (!out.ok) return { kind: 'rejected', error: out.error };
  if (out.duplicateOfSale) {
    const first = ctx.answer(out.duplicateOfSale.id);
    return {
      kind: 'duplicate',
      answer: first ? { ...first, duplicate: true } : { ok: true, version: state.version, duplicate: true, result: out.result },
    };
  }
  return { kind: 'applied', state: out.state, events: out.events, answer: { ok: true, version: out.state.version, duplicate: false, result: out.result } };
}
