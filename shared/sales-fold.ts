/**
 * The one fold of room events into sales and orders. The reducer says what happened to a
 * sale through events (`sale.recorded`, `sale.voided`, `sale.refunded`); the relay's room actor keeps what a
 * batch wrote as look-ups for the batch's later commands, both stores write that same record
 * in their commit, and the tests' harness keeps its bookkeeping with it: four readers that
 * must agree on what a batch of events did to the sales, so it is written once, here.
 *
 * No I/O and no clock: it only fills the accumulator it is given (a batch is folded command
 * by command, each one reading what the earlier ones wrote).
 */
import type { Sale } from './domain.js';
import type { RoomEvent } from './room-reducer.js';

/** What a run of events wrote to the sales. */
export interface SalesWritten {
  /** Sale id → the sale as the events left it (a sale recorded then voided comes voided), new or changed. */
  readonly sales: Map<string, Sale>;
  /** Ids of the sales these events recorded; the others in `sales` existed before and changed. */
  readonly recorded: Set<string>;
  /** orderId → sale id, for the sales these events recorded with an orderId. */
  readonly orders: Map<string, string>;
}

export function noSalesWritten(): SalesWritten {
  return { sales: new Map(), recorded: new Set(), orders: new Map() };
}

/** Adds what `events` did to the sales to `into` (later events win). */
export function foldSales(into: SalesWritten, events: readonly RoomEvent[]): void {
  for (const ev of events) {
    if (ev.type === 'sale.recorded') {
      into.sales.set(ev.sale.id, ev.sale);
      into.recorded.add(ev.sale.id);
      if (ev.sale.orderId !== null) into.orders.set(ev.sale.orderId, ev.sale.id);
    } else if (ev.type === 'sale.voided' || ev.type === 'sale.refunded') {
      // The event carries the whole sale as it left it: a store writes that record, whatever changed.
      into.sales.set(ev.sale.id, ev.sale);
    }
  }
}

/** What was there before a batch: the sales and orderIds the relay read from its store. */
export interface SalesBefore {
  readonly sales: ReadonlyMap<string, Sale>;
  readonly orders: ReadonlyMap<string, string>;
}

/** The reducer's sale look-ups (see ProcessContext) over what was written, on top of what was there before. */
export function saleLookups(written: SalesWritten, before?: SalesBefore): { sale(id: string): Sale | undefined; saleByOrder(orderId: string): Sale | undefined } {
  const sale = (id: string) => written.sales.get(id) ?? before?.sales.get(id);
  return {
    sale,
    saleByOrder: (orderId) => {
      const id = written.orders.get(orderId) ?? before?.orders.get(orderId);
      return id === undefined ? undefined : sale(id);
    },
  };
}
