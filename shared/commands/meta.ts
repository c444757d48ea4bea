/**
 * The zod-free half of the command registry: per command type, who may send it and the
 * message key that names it ("Sale not recorded."). It is split from the definitions
 * (shared/commands/*.ts, which need zod for their schemas) because the side panel's first
 * bundle reads the labels and the roles, and must not pull zod in. Each definition takes its
 * roles and label from here, so this table and the registry cannot disagree (registry.ts
 * fails to compile when a type here has no definition).
 *
 * Rule [R8] (shared/room-reducer.ts): cohost = cards, ticker, countdown; sales = sales and refunds;
 * overlay = nothing; the host may send every command, which the tuple type enforces.
 */
import type { Role } from '../domain.js';

/** Who may send a command: always the host first, then the other roles that may. Never the overlay. */
export type CommandRoles = readonly ['host', ...Exclude<Role, 'host' | 'overlay'>[]];

export interface CommandMeta {
  readonly roles: CommandRoles;
  /** The message key (shared/i18n/<locale>/console.ts) that says which action did not happen. */
  readonly label: string;
}

const HOST = ['host'] as const;
const COHOST = ['host', 'cohost'] as const;
const SALES = ['host', 'sales'] as const;

export const COMMAND_META = {
  'product.add': { roles: HOST, label: 'command.product.add' },
  'product.update': { roles: HOST, label: 'command.product.update' },
  'product.remove': { roles: HOST, label: 'command.product.remove' },
  'product.soldOut': { roles: HOST, label: 'command.product.soldOut' },
  'queue.move': { roles: HOST, label: 'command.queue.move' },
  'card.show': { roles: COHOST, label: 'command.card.show' },
  'card.hide': { roles: COHOST, label: 'command.card.hide' },
  'card.next': { roles: COHOST, label: 'command.card.next' },
  'sale.record': { roles: SALES, label: 'command.sale.record' },
  'sale.void': { roles: HOST, label: 'command.sale.void' },
  // A refund is reported by the shop, like the sale it lowers: the shop bridge that records
  // sales with the sales token must refund them too. Bounded by the units the sale still counts,
  // unlike sale.void (a host's correction of a sale that should not have been), which stays the host's.
  'sale.refund': { roles: SALES, label: 'command.sale.refund' },
  // The seller-page reader (issue 13, ./observe.ts says why the host's alone): the number is read
  // in the host's browser off the host's console, and the drops are the host's to settle.
  'sale.observe': { roles: HOST, label: 'command.sale.observe' },
  'sale.settle': { roles: HOST, label: 'command.sale.settle' },
  'sale.unobserve': { roles: HOST, label: 'command.sale.unobserve' },
  'stock.set': { roles: HOST, label: 'command.stock.set' },
  'presale.set': { roles: HOST, label: 'command.presale.set' },
  'presale.clear': { roles: HOST, label: 'command.presale.clear' },
  'ticker.push': { roles: COHOST, label: 'command.ticker.push' },
  'ticker.clear': { roles: COHOST, label: 'command.ticker.clear' },
  'countdown.start': { roles: COHOST, label: 'command.countdown.start' },
  'countdown.stop': { roles: COHOST, label: 'command.countdown.stop' },
  'room.update': { roles: HOST, label: 'command.room.update' },
  // The host prepares them; a co-host sends them as ticker.push / countdown.start.
  'presets.set': { roles: HOST, label: 'command.presets.set' },
  // Undo is the host's: a co-host may redo a card, not take back what someone else did.
  'command.undo': { roles: HOST, label: 'command.command.undo' },
  // Issue 19: the rehearsal is the host's (it takes sales back out of the counts at its end).
  'rehearsal.start': { roles: HOST, label: 'command.rehearsal.start' },
  'rehearsal.stop': { roles: HOST, label: 'command.rehearsal.stop' },
  'rehearsal.end': { roles: HOST, label: 'command.rehearsal.end' },
} as const satisfies Record<string, CommandMeta>;

export type CommandType = keyof typeof COMMAND_META;

export const isCommandType = (type: string): type is CommandType => Object.hasOwn(COMMAND_META, type);

/** Least privilege: which role may send which command (architecture rule 4, [R8]). */
export function roleMay(role: Role, type: CommandType): boolean {
  return (COMMAND_META[type].roles as readonly Role[]).includes(role);
}
