/**
 * command.undo (issue 18): the host reverses one applied command, as a new, audited command.
 * Both halves of undoing live here, side by side, because they must agree: `inverseOf` (called
 * by the reducer when it applies a command: pure, from the state before and after) records what
 * the reversal needs, which the relay stores with the command's audit entry; `command.undo`
 * reads that record back through the batch look-ups (ApplyContext.logged, prefetched by the
 * store like the sales of sale.void) and applies it.
 *
 * Rules (cited by the tests):
 * [U1] card.show/hide/next restore the card before (product and visibility); ticker.push takes
 *      its line off; ticker.clear puts the cleared lines back; countdown.start/stop restore the
 *      countdown before; product.update restores the fields it changed; stock.set restores the
 *      stock (and the manual sold-out mark); sale.record voids the sale. Any other type: 400
 *      `not_undoable`.
 * [U2] superseded (409): what the command changed is no longer as it left it — a later command
 *      changed the same thing (the card shows another product, the line is gone, the price was
 *      changed again, a sale moved the stock…). The check compares values, so a thing changed and
 *      changed back to exactly what the command left may be undone.
 * [U3] a command is undone at most once (409 `already_undone`); an unknown id, or one applied
 *      before the log existed, is 404 `unknown_command`. The undo itself is not undoable.
 */
import { IdSchema, type Countdown, type Product, type RoomState, type TickerMessage } from '../domain.js';
import { findProduct, soldOutOf, withProduct, type Applied, type ApplyContext, type RoomEvent } from './apply.js';
import { defineCommand } from './define.js';
import type { CommandType } from './meta.js';
import { fail, type Refusal } from './refusals.js';
import { voidSale } from './sale.js';
import { refuseEndedRehearsalSale } from './rehearsal.js';

interface Card {
  currentProductId: string | null;
  cardVisible: boolean;
}

/** What reversing one applied command needs, recorded when it was applied. JSON, stored with its audit entry. */
export type Inverse =
  | { kind: 'card'; before: Card; after: Card }
  | { kind: 'ticker.push'; messageId: string }
  | { kind: 'ticker.clear'; before: TickerMessage[]; after: string[] }
  | { kind: 'countdown'; before: Countdown | null; after: Countdown | null }
  | { kind: 'product'; productId: string; before: Record<string, unknown>; after: Record<string, unknown> }
  | { kind: 'stock'; productId: string; before: StockOf; after: StockOf }
  | { kind: 'sale'; saleId: string };

type StockOf = Pick<Product, 'stock' | 'soldOutManual'>;

/** An applied command as the log holds it, for command.undo. */
export interface LoggedCommand {
  seq: number;
  type: CommandType;
  inverse?: Inverse;
  /** The id of the command.undo that undid it. */
  undoneBy?: string;
}

const cardOf = (s: RoomState): Card => ({ currentProductId: s.currentProductId, cardVisible: s.cardVisible });
const stockOf = (p: Product): StockOf => ({ stock: p.stock, soldOutManual: p.soldOutManual });

/** [U1] The reversal record of an applied command, or undefined for a type that is not undone. */
export function inverseOf(prev: RoomState, next: RoomState, command: { id: string; type: CommandType; productId?: string }): Inverse | undefined {
  switch (command.type) {
    case 'card.show':
    case 'card.hide':
    case 'card.next':
      return { kind: 'card', before: cardOf(prev), after: cardOf(next) };
    case 'ticker.push':
      return { kind: 'ticker.push', messageId: command.id };
    case 'ticker.clear':
      return { kind: 'ticker.clear', before: prev.ticker, after: next.ticker.map((m) => m.id) };
    case 'countdown.start':
    case 'countdown.stop':
      return { kind: 'countdown', before: prev.countdown, after: next.countdown };
    case 'product.update': {
      const a = prev.products.find((p) => p.id === command.productId);
      const b = next.products.find((p) => p.id === command.productId);
      if (!a || !b) return undefined;
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const k of Object.keys(b) as (keyof Product)[]) {
        if (!same(a[k], b[k])) {
          before[k] = a[k];
          after[k] = b[k];
        }
      }
      return { kind: 'product', productId: b.id, before, after };
    }
    case 'stock.set': {
      const a = prev.products.find((p) => p.id === command.productId);
      const b = next.products.find((p) => p.id === command.productId);
      return a && b ? { kind: 'stock', productId: b.id, before: stockOf(a), after: stockOf(b) } : undefined;
    }
    case 'sale.record':
      return { kind: 'sale', saleId: command.id };
    default:
      return undefined;
  }
}

/** Values of the state are JSON (numbers, strings, null, small arrays and objects). */
function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

const superseded = (what: string): Refusal => fail('superseded', `${what} changed since that command: undoing it would overwrite the later change`, 'commandId');

function reverse(state: RoomState, inv: Inverse, ctx: ApplyContext): Applied | Refusal {
  switch (inv.kind) {
    case 'card': {
      if (!same(cardOf(state), inv.after)) return superseded('the card');
      const back = inv.before.currentProductId;
      if (back !== null && !findProduct(state, back)) return superseded('the product shown before was removed: the card');
      const events: RoomEvent[] = [inv.before.cardVisible && back !== null ? { type: 'card.shown', productId: back } : { type: 'card.hidden' }];
      return { ok: true, state: { ...state, ...inv.before }, events };
    }
    case 'ticker.push': {
      if (!state.ticker.some((m) => m.id === inv.messageId)) return superseded('the ticker line is gone:');
      return { ok: true, state: { ...state, ticker: state.ticker.filter((m) => m.id !== inv.messageId) }, events: [{ type: 'ticker.changed' }] };
    }
    case 'ticker.clear': {
      if (!same(state.ticker.map((m) => m.id), inv.after)) return superseded('the ticker');
      return { ok: true, state: { ...state, ticker: inv.before }, events: [{ type: 'ticker.changed' }] };
    }
    case 'countdown': {
      if (!same(state.countdown, inv.after)) return superseded('the countdown');
      return { ok: true, state: { ...state, countdown: inv.before }, events: [{ type: 'countdown.changed' }] };
    }
    case 'product': {
      const found = findProduct(state, inv.productId);
      if (!found) return superseded('the product was removed:');
      const p = found.product as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(inv.after)) if (!same(p[k], v)) return superseded(`the product's ${k}`);
      const sku = inv.before.sku;
      if (typeof sku === 'string' && state.products.some((x) => x.sku === sku && x.id !== inv.productId)) return fail('duplicate_sku', `SKU "${sku}" is now another product's`, 'commandId');
      const next = { ...found.product, ...inv.before } as Product;
      return { ok: true, state: { ...state, products: withProduct(state, found.index, next) }, events: [{ type: 'product.updated', productId: next.id }] };
    }
    case 'stock': {
      const found = findProduct(state, inv.productId);
      if (!found) return superseded('the product was removed:');
      const p = found.product;
      if (!same(stockOf(p), inv.after)) return superseded('the stock');
      const next: Product = { ...p, ...inv.before };
      next.soldOut = soldOutOf(next);
      const events: RoomEvent[] = [{ type: 'stock.changed', productId: p.id, stock: next.stock }];
      if (next.soldOut !== p.soldOut) events.push({ type: 'product.soldOut', productId: p.id, soldOut: next.soldOut });
      return { ok: true, state: { ...state, products: withProduct(state, found.index, next) }, events };
    }
    case 'sale': {
      const sale = ctx.sale(inv.saleId);
      if (!sale) return fail('unknown_sale', `no sale "${inv.saleId}" in this room`, 'commandId');
      if (sale.voidedAt !== null) return fail('already_voided', `sale "${inv.saleId}" was already undone`, 'commandId');
      return refuseEndedRehearsalSale(state, sale, 'commandId') ?? voidSale(state, sale, ctx.now);
    }
  }
}

export const commandUndo = defineCommand('command.undo', {
  fields: { commandId: IdSchema },
  lookups(cmd, into) {
    into.auditIds.push(cmd.commandId);
    // Undoing a sale.record voids the sale of the same id: read it with the batch too.
    into.saleIds.push(cmd.commandId);
  },
  apply(state, cmd, ctx) {
    const logged = ctx.logged?.(cmd.commandId);
    if (!logged) return fail('unknown_command', `no applied command "${cmd.commandId}" in this room's log`, 'commandId');
    if (logged.undoneBy !== undefined) return fail('already_undone', `command "${cmd.commandId}" was already undone (by "${logged.undoneBy}")`, 'commandId');
    if (!logged.inverse) return fail('not_undoable', `a ${logged.type} command cannot be undone`, 'commandId');
    const out = reverse(state, logged.inverse, ctx);
    if (!out.ok) return out;
    return { ...out, events: [...out.events, { type: 'command.undone', commandId: cmd.commandId, seq: logged.seq }] };
  },
});

export const UNDO_COMMANDS = [commandUndo] as const;
