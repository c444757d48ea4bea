/**
 * Why the reducer refuses a command: a closed list of stable reasons, each with the one error
 * code (and so HTTP status) it is answered with. A typed union in the manner of tldraw's
 * `TLIncompatibilityReason`: `fail()` takes only a reason of this table, and the console's
 * texts (extension/ui/relay-errors.ts) are checked against it by the compiler, so a new
 * reason cannot reach a host without its words, and no test has to read the source for them.
 * Zod-free: the side panel's first bundle depends on it (type-only today).
 */

export type RoomErrorCode = 'invalid' | 'forbidden' | 'not_found' | 'conflict';

export const ERROR_STATUS: Record<RoomErrorCode, number> = { invalid: 400, forbidden: 403, not_found: 404, conflict: 409 };

/** Every reason a command is refused with → its code. The relay sends both; clients word the reason. */
export const REFUSAL_REASONS = {
  too_many_products: 'conflict',
  duplicate_sku: 'conflict',
  unknown_product: 'not_found',
  empty_queue: 'conflict',
  nothing_next: 'conflict',
  unknown_sku: 'not_found',
  price_changed: 'conflict',
  sold_out: 'conflict',
  out_of_stock: 'conflict',
  too_large: 'invalid',
  unknown_sale: 'not_found',
  already_voided: 'conflict',
  /** sale.refund of more units than the sale still counts. */
  refund_too_large: 'conflict',
  /** A sale's orderId sent again with another payload (product, quantity, price): nothing is applied (issue 13). */
  idempotency_mismatch: 'conflict',
  /** sale.settle of a seller page's drop that is no longer the one to confirm ([O6]): the host looks again. */
  refund_changed: 'conflict',
  unknown_message: 'not_found',
  currency_locked: 'conflict',
  /** [R8] the sender's role may not send this command type. */
  role: 'forbidden',
  /** command.undo (issue 18, shared/commands/undo.ts): [U2] a later command changed what it would restore. */
  superseded: 'conflict',
  /** [U1] a type that command.undo does not reverse. */
  not_undoable: 'invalid',
  /** [U3] no applied command of that id in the room's log. */
  unknown_command: 'not_found',
  /** [U3] that command was undone already. */
  already_undone: 'conflict',
  /** presets.set [P2]: the same ticker line or countdown twice in one list. */
  duplicate_preset: 'invalid',
  /** Issue 19 [Rh2]: rehearsal.stop or .end, or a simulated order, while the room is not rehearsing (or its feed is stopped). */
  not_rehearsing: 'conflict',
  /** [Rh6] a void or refund of a sale of a rehearsal that has ended: it was taken out already. */
  rehearsal_over: 'conflict',
  /** [R2] the command's baseVersion is not the room's version. */
  stale_version: 'conflict',
} as const satisfies Record<string, RoomErrorCode>;

export type RefusalReason = keyof typeof REFUSAL_REASONS;

export interface RoomError {
  code: RoomErrorCode;
  /** Machine-readable and stable (clients word it), e.g. out_of_stock, stale_version, duplicate_sku. */
  reason: RefusalReason;
  /** English, for logs and API users; the console words the reason instead. */
  message: string;
  field?: string;
}

export type Refusal = { ok: false; error: RoomError };

/** A refusal; its code comes from the reason, so the two cannot disagree. */
export function fail(reason: RefusalReason, message: string, field?: string): Refusal {
  const code = REFUSAL_REASONS[reason];
  return { ok: false, error: field === undefined ? { code, reason, message } : { code, reason, message, field } };
}
