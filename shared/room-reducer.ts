/**
 * The pure room reducer: `applyCommand(state, command, ctx)` returns a new state with the
 * events the command caused, or a typed error. It never mutates its input (unchanged products
 * keep their object identity, which the store uses to write only what changed), reads no
 * clock and makes no random ids: time, the sender and sale look-ups come from `ctx`.
 * Each command's own case (`apply`) is defined with the command in the registry
 * (shared/commands/); this module adds what holds for every command, and exactly-once.
 *
 * Rules (cited by the tests):
 * [R1] every applied command raises `version` by exactly 1; a refused one changes nothing.
 * [R2] a command with a stale `baseVersion` is refused with `stale_version` (409).
 * [R3] a repeated command id is not applied twice (see processCommand below).
 * [R4] a sale lowers stock; a sale beyond the remaining stock is refused (409, nothing changes).
 * [R5] stock reaching 0 (sale or stock.set) marks the product sold out; a restock clears it.
 * [R6] totals always equal the sum of non-voided sales; a voided sale gives its stock back.
 * [R7] a repeated sale orderId is answered with the first sale, not counted again; repeated with
 *      another product, quantity or price it is refused (idempotency_mismatch, naming the field).
 * [R8] roles: cohost = cards, ticker, countdown; sales = sales and refunds; overlay = nothing.
 * [R9] a sale counts its quantity − refundedQuantity units: totals = Σ over non-voided sales of
 *      those units (sold) and units × unitPriceMinor (revenueMinor), orders = how many of them
 *      still count a unit; a product's sold and revenueMinor likewise over its own sales. A
 *      refund (sale.refund) lowers a sale's counted units and gives their stock back; one beyond
 *      them is refused (refund_too_large); a void gives back only the units still counted.
 * [R10] presale (issue 17): a product with a presale is not sold out at stock 0 until its quota
 *      is used (soldOut = manual mark, or stock 0 and no open presale). At stock 0 a sale is a
 *      presale sale (Sale.presale; presale.sold += quantity, stock stays 0); one beyond the
 *      quota left is refused (out_of_stock, nothing changes). A sale is all stock or all
 *      presale: with stock left, one above it is refused as before. A restock sells from stock
 *      again; a void or refund of a presale sale gives back quota, not stock.
 * [R11] a sale from a shop feed or a seller page (`feed:…`, `page:…` sources) reports an order
 *      already paid: it is counted even beyond the stock or on a product marked sold out; the
 *      stock stops at 0. A void or refund of it gives back only what it took from the stock.
 * [Rh1]–[Rh8] the rehearsal (issue 19): in shared/commands/rehearsal.ts; the shares a command
 *      leaves while the room rehearses are added here, after its case, for every command alike.
 * [R12] a seller page's number (sale.observe, issue 13) counts what it grew by since the room
 *      last read it, as one sale, once; a drop waits for the host (rules [O1]–[O8] in
 *      shared/commands/observe.ts). A command that would change nothing (the same total read
 *      again) is answered as a duplicate: no version, no log entry.
 */
import type { Command } from './commands.js';
import { roleMay } from './commands.js';
import { HANDLERS } from './commands/registry.js';
import type { Apply, ApplyContext, CommandResult, RoomEvent } from './commands/apply.js';
import { fail, type RoomError } from './commands/refusals.js';
import { inverseOf, type Inverse } from './commands/undo.js';
import { trackRehearsal } from './commands/rehearsal.js';
import type { RoomState, Sale } from './domain.js';

export { ERROR_STATUS, REFUSAL_REASONS, type RefusalReason, type RoomError, type RoomErrorCode } from './commands/refusals.js';
export { productIdAt, type ApplyContext, type CommandResult, type RoomEvent } from './commands/apply.js';

export type ApplyOutcome =
  | { ok: true; state: RoomState; events: RoomEvent[]; result: CommandResult; duplicateOfSale?: undefined; inverse?: Inverse }
  | { ok: true; duplicateOfSale: Sale; state: RoomState; events: []; result: CommandResult }
  | { ok: true; unchanged: true; duplicateOfSale?: undefined; state: RoomState; events: []; result: CommandResult }
  | { ok: false; error: RoomError };

/**
 * Applies one validated command. [R1] [R2] [R8] live here; the per-command rules in each
 * command's `apply` (shared/commands/*.ts).
 */
export function applyCommand(state: RoomState, command: Command, ctx: ApplyContext): ApplyOutcome {
  if (!roleMay(ctx.by, command.type)) {
    return fail('role', `the ${ctx.by} role may not send ${command.type}`);
  }
  if (command.baseVersion !== undefined && command.baseVersion !== state.version) {
    return fail('stale_version', `the room changed (version ${state.version}, command based on ${command.baseVersion}): reload and try again`, 'baseVersion');
  }
  const handler = HANDLERS[command.type] as Apply<Command>;
  const out = handler(state, command, ctx);
  if (!out.ok) return out;
  if (out.duplicateOfSale) {
    return { ok: true, duplicateOfSale: out.duplicateOfSale, state, events: [], result: out.result ?? {} };
  }
  if (out.unchanged) return { ok: true, unchanged: true, state, events: [], result: out.result ?? {} };
  // [Rh4] [Rh5] a rehearsing room keeps the rehearsal's share of what this command changed.
  const applied = state.mode === 'rehearsal' && out.state.mode === 'rehearsal' ? trackRehearsal(state, out.state, out.events) : out.state;
  const next = { ...applied, version: state.version + 1, updatedAt: ctx.now };
  // What command.undo needs to reverse it, recorded now (shared/commands/undo.ts [U1]).
  const inverse = inverseOf(state, next, command);
  return { ok: true, state: next, events: out.events, result: out.result ?? {}, ...(inverse && { inverse }) };
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
  | { kind: 'applied'; state: RoomState; events: RoomEvent[]; answer: CommandAnswer; inverse?: Inverse }
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
  // [R12] nothing to change: answered as a duplicate at the room's version, nothing committed.
  if ('unchanged' in out) return { kind: 'duplicate', answer: { ok: true, version: state.version, duplicate: true, result: out.result } };
  if (out.duplicateOfSale) {
    const first = ctx.answer(out.duplicateOfSale.id);
    return {
      kind: 'duplicate',
      answer: first ? { ...first, duplicate: true } : { ok: true, version: state.version, duplicate: true, result: out.result },
    };
  }
  return { kind: 'applied', state: out.state, events: out.events, answer: { ok: true, version: out.state.version, duplicate: false, result: out.result }, ...(out.inverse && { inverse: out.inverse }) };
}
