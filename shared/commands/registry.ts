/**
 * The command registry: every command's definition (one per type, in modules by area), and
 * what is derived from them — the zod union that parses commands at every trust boundary, the
 * `Command` types, the reducer's handler map and the look-up keys of a batch. `roleMay` and
 * the labels come from the zod-free ./meta.ts, which the definitions read their roles and
 * label from. Nothing else lists the command types: shared/commands.ts and
 * shared/room-reducer.ts re-export from here for the relay, the extension and the tests.
 *
 * How to add a command (say `sale.refund`):
 * 1. a row in ./meta.ts: its roles and label key (the compiler then asks for steps 2 and 3);
 * 2. a `defineCommand('sale.refund', { fields, apply, lookups? })` in its area's module
 *    (./sale.ts), listed in that module's array; a new refusal reason goes in ./refusals.ts;
 * 3. the label's and any new reason's words in shared/i18n/<locale>/console.ts, in every language
 *    (extension/ui/relay-errors.ts does not compile until they exist);
 * 4. its tests: a sample in tests/unit/room-reducer.test.ts (a Record over the command types,
 *    so it does not compile without one), the role table and the type list written out there
 *    and in tests/unit/commands.test.ts, and its own cases; its row in README's command table.
 * If it reads stored records other than sales (ApplyContext), the relay's store must prefetch them.
 */
import { z } from 'zod';
import type { Apply } from './apply.js';
import type { LookupKeys } from './define.js';
import type { CommandType } from './meta.js';
import { CARD_COMMANDS } from './card.js';
import { COUNTDOWN_COMMANDS } from './countdown.js';
import { PRESALE_COMMANDS } from './presale.js';
import { PRESET_COMMANDS } from './presets.js';
import { PRODUCT_COMMANDS } from './product.js';
import { QUEUE_COMMANDS } from './queue.js';
import { REHEARSAL_COMMANDS } from './rehearsal.js';
import { ROOM_COMMANDS } from './room.js';
import { OBSERVE_COMMANDS } from './observe.js';
import { SALE_COMMANDS } from './sale.js';
import { STOCK_COMMANDS } from './stock.js';
import { TICKER_COMMANDS } from './ticker.js';
import { UNDO_COMMANDS } from './undo.js';

export const COMMANDS = [
  ...PRODUCT_COMMANDS,
  ...QUEUE_COMMANDS,
  ...CARD_COMMANDS,
  ...SALE_COMMANDS,
  ...OBSERVE_COMMANDS,
  ...STOCK_COMMANDS,
  ...PRESALE_COMMANDS,
  ...TICKER_COMMANDS,
  ...COUNTDOWN_COMMANDS,
  ...ROOM_COMMANDS,
  ...PRESET_COMMANDS,
  ...UNDO_COMMANDS,
  ...REHEARSAL_COMMANDS,
] as const;

type Definitions = typeof COMMANDS;
export type Command = z.output<Definitions[number]['schema']>;
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;

// Every type of ./meta.ts has a definition: a missing one makes this a required key.
const defined: Record<Exclude<CommandType, Command['type']>, never> = {};
void defined;

type Schema = Definitions[number]['schema'];

export const CommandSchema = z.discriminatedUnion('type', COMMANDS.map((c) => c.schema) as [Schema, ...Schema[]], {
  error: (iss) => (iss.code === 'invalid_union' ? 'unknown command type' : undefined),
});

export const COMMAND_TYPES: readonly CommandType[] = COMMANDS.map((c) => c.type);

type Handlers = { readonly [T in CommandType]: Apply<CommandOf<T>> };
type Lookups = { readonly [T in CommandType]?: (cmd: CommandOf<T>, into: LookupKeys) => void };

function byType<V>(pick: (c: Definitions[number]) => V | undefined): Record<string, V> {
  const map: Record<string, V> = {};
  for (const c of COMMANDS) {
    if (Object.hasOwn(map, c.type)) throw new Error(`command ${c.type} is defined twice`);
    const v = pick(c);
    if (v !== undefined) map[c.type] = v;
  }
  return map;
}

/** The reducer's cases by command type: one property read per command, as a hand-written map. */
export const HANDLERS = byType((c) => c.apply) as unknown as Handlers;
const LOOKUPS = byType((c) => c.lookups) as unknown as Lookups;

/** Adds the stored records `cmd` will look up to a batch's lists (the relay prefetches them). */
export function collectLookups(cmd: Command, into: LookupKeys): void {
  const lookups = LOOKUPS[cmd.type] as ((cmd: Command, into: LookupKeys) => void) | undefined;
  if (lookups) lookups(cmd, into);
}
