/**
 * What a command's `apply` is given and gives back, and the few state helpers several
 * commands share. An `apply` is one case of the pure reducer (shared/room-reducer.ts): it
 * never mutates the state it gets (a product it does not change keeps its object identity,
 * which the stores use to write only what changed), reads no clock and makes no random ids.
 * The reducer adds the version and time ([R1]) around it, so an `apply` never sets them.
 */
import type { Product, Role, RoomState, Sale, SaleSource } from '../domain.js';
import { fail, type Refusal } from './refusals.js';
import type { LoggedCommand } from './undo.js';

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
  /** `sale` as the refund left it; `quantity`: the units this refund took back. */
  | { type: 'sale.refunded'; sale: Sale; quantity: number }
  | { type: 'stock.changed'; productId: string; stock: number | null }
  | { type: 'ticker.changed' }
  | { type: 'countdown.changed' }
  | { type: 'room.updated' }
  /** Issue 19: rehearsal.start, .stop or .end changed the room's mode or its rehearsal. */
  | { type: 'rehearsal.changed' }
  /** command.undo reversed the command `commandId`, logged at `seq`: the stores mark its entry undone. */
  | { type: 'command.undone'; commandId: string; seq: number };

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
  /**
   * Look-up of an applied command in the room's audit log, for command.undo (./undo.ts). Absent
   * where no log is kept: an undo is then refused `unknown_command`.
   */
  logged?(commandId: string): LoggedCommand | undefined;
}

/**
 * `unchanged`: the command asked for what the room already holds (a seller page's same total
 * read again, [O3]); it is answered like a duplicate: no version, no log entry.
 */
export type Applied = { ok: true; state: RoomState; events: RoomEvent[]; result?: CommandResult; duplicateOfSale?: Sale; unchanged?: true };

/** One command's case of the reducer. */
export type Apply<C> = (state: RoomState, cmd: C, ctx: ApplyContext) => Applied | Refusal;

/** A presale that still takes orders: the product has one and its quota is not used up. */
export function presaleOpen(p: Pick<Product, 'presale'>): boolean {
  return p.presale !== null && (p.presale.quota === null || p.presale.sold < p.presale.quota);
}

/** [R5] sold out: marked by hand, or no stock left and no presale open to sell on. */
export function soldOutOf(p: Pick<Product, 'stock' | 'soldOutManual' | 'presale'>): boolean {
  return (p.stock === 0 && !presaleOpen(p)) || p.soldOutManual;
}

export function withProduct(state: RoomState, index: number, next: Product): Product[] {
  const products = state.products.slice();
  products[index] = next;
  return products;
}

export function findProduct(state: RoomState, id: string): { index: number; product: Product } | undefined {
  const index = state.products.findIndex((p) => p.id === id);
  const product = state.products[index];
  return product ? { index, product } : undefined;
}

/** The refusal of a command naming a product this room does not have (removed, perhaps on another device). */
export const unknownProduct = (productId: string): Refusal => fail('unknown_product', `no product "${productId}" in this room`, 'productId');

/** Ids the reducer makes are derived from the version they are created at: unique, deterministic. */
export function productIdAt(version: number): string {
  return `p${version.toString(36)}`;
}
