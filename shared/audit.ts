/**
 * The audit log's entry (issue 18): who applied which command, when, and a short machine-neutral
 * summary of what it did. The relay appends one per APPLIED command (never for a refusal or a
 * duplicate) in the same commit as the state it led to, so the log and the room cannot
 * disagree. The summary holds values, not words: the console words it in the viewer's language
 * ("王县长 showed 砀山酥梨 · 14:02:11") from `type`, `by` and these fields.
 *
 * Pure and zod-free (the console's first bundle may read these types).
 */
import type { Command } from './commands.js';
import type { CommandType } from './commands/meta.js';
import type { Role, RoomState } from './domain.js';
import type { CommandResult } from './room-reducer.js';

/** Who sent a command: a named person (id and name, issue 18) or a shared role token (role only). */
export interface Sender {
  role: Role;
  personId?: string;
  name?: string;
}

/** What a command did, as values; each type fills the fields that say it (see auditSummary). */
export interface AuditSummary {
  productId?: string;
  /** The product's name when the command was applied (it may be renamed or removed later). */
  name?: string;
  quantity?: number;
  stock?: number | null;
  saleId?: string;
  text?: string;
  seconds?: number;
  label?: string;
  /** product.update / room.update: the fields it changed. */
  fields?: string[];
  toIndex?: number;
  /** command.undo: the id of the command it reversed. */
  undone?: string;
  soldOut?: boolean;
  /** rehearsal.start: the simulated feed's pace (its rush in quantity and seconds). */
  perMinute?: number;
  /** rehearsal.end: the practice orders it took out of the counts. */
  orders?: number;
}

export interface AuditEntry {
  /** The room version the command led to ([R1]: one per applied command, so unique and ordered). */
  seq: number;
  at: number;
  commandId: string;
  type: CommandType;
  by: Sender;
  summary: AuditSummary;
  /** Set once a command.undo reversed this command: that undo's command id. */
  undoneBy?: string;
}

const nameOf = (state: RoomState, id: string | undefined): string | undefined => (id === undefined ? undefined : state.products.find((p) => p.id === id)?.name);

/** Drops undefined values: the entry is stored as JSON and compared in tests as written. */
function compact(s: AuditSummary): AuditSummary {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) if (v !== undefined) out[k] = v;
  return out as AuditSummary;
}

/**
 * The summary of one applied command, from the state before and after it. Cheap on purpose: it
 * runs for every sale (the relay's hot path), so it reads one product and builds one small object.
 */
export function auditSummary(prev: RoomState, next: RoomState, command: Command, result: CommandResult): AuditSummary {
  switch (command.type) {
    case 'product.add':
      return compact({ productId: result.productId, name: command.product.name });
    case 'product.update':
      return compact({ productId: command.productId, name: nameOf(next, command.productId), fields: Object.keys(command.changes) });
    case 'product.remove':
      return compact({ productId: command.productId, name: nameOf(prev, command.productId) });
    case 'product.soldOut':
      return compact({ productId: command.productId, name: nameOf(next, command.productId), soldOut: command.soldOut ?? true });
    case 'queue.move':
      return compact({ productId: command.productId, name: nameOf(next, command.productId), toIndex: command.toIndex });
    case 'card.show':
    case 'card.next':
      return compact({ productId: next.currentProductId ?? undefined, name: nameOf(next, next.currentProductId ?? undefined) });
    case 'card.hide':
      return compact({ productId: prev.currentProductId ?? undefined, name: nameOf(prev, prev.currentProductId ?? undefined) });
    case 'sale.record':
      return compact({ productId: result.productId, name: nameOf(next, result.productId), quantity: command.quantity ?? 1, saleId: result.saleId });
    case 'sale.void':
      return compact({ saleId: command.saleId, productId: result.productId, name: nameOf(next, result.productId) });
    case 'sale.observe':
      return compact({ productId: command.productId, name: nameOf(next, command.productId), quantity: command.total, saleId: result.saleId, label: command.source.slice('page:'.length) });
    case 'sale.settle':
      return compact({ productId: command.productId, name: nameOf(next, command.productId), quantity: command.total, label: command.source.slice('page:'.length) });
    case 'sale.unobserve':
      return compact({ productId: command.productId, name: nameOf(prev, command.productId), label: command.source.slice('page:'.length) });
    case 'sale.refund':
      return compact({ saleId: command.saleId, productId: result.productId, name: nameOf(next, result.productId), quantity: command.quantity });
    case 'stock.set':
      return compact({ productId: command.productId, name: nameOf(next, command.productId), stock: command.stock });
    case 'ticker.push':
      return { text: command.text };
    case 'ticker.clear':
      return compact({ text: command.messageId === undefined ? undefined : prev.ticker.find((m) => m.id === command.messageId)?.text });
    case 'countdown.start':
      return compact({ seconds: command.seconds, label: command.label });
    case 'countdown.stop':
      return {};
    case 'room.update':
      return { fields: Object.keys(command.changes) };
    case 'command.undo':
      return { undone: command.commandId };
    case 'presale.set': {
      const productId = result.productId ?? command.productId;
      return compact({ productId, name: nameOf(next, productId), quantity: command.quota ?? undefined, label: command.shipBy });
    }
    case 'rehearsal.start':
      return { perMinute: next.rehearsal?.ordersPerMinute ?? 0, quantity: next.rehearsal?.rushOrders ?? 0, seconds: next.rehearsal?.rushSeconds ?? 0 };
    case 'rehearsal.stop':
      return {};
    case 'rehearsal.end':
      return { orders: prev.rehearsal?.counted.orders ?? 0 };
    case 'presale.clear':
      return compact({ productId: command.productId, name: nameOf(prev, command.productId) });
    case 'presets.set':
      return { fields: [...(command.ticker ? ['ticker'] : []), ...(command.countdowns ? ['countdowns'] : [])] };
  }
}
