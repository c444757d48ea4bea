/**
 * `defineCommand`: everything about one command type in one place, in the manner of
 * excalidraw's `register({ name, perform, keyTest })` actions — its payload fields (zod), its
 * pure `apply`, the stored records a batch must read before applying it (`lookups`), and, from
 * the zod-free table in ./meta.ts, its roles and label. shared/commands/registry.ts collects
 * the definitions and derives the union schema, the reducer's handler map, `roleMay` and the
 * look-up keys from them.
 *
 * Every command is `{ id, type, ...payload }` with a client-made id (exactly-once: the relay
 * answers a repeated id with the first answer) and an optional `baseVersion` (optimistic
 * concurrency: a stale one gets 409 with the state). Unknown fields are refused (strict).
 */
import { z } from 'zod';
import { IdSchema } from '../domain.js';
import type { Apply } from './apply.js';
import { COMMAND_META, type CommandRoles, type CommandType } from './meta.js';

const base = {
  id: IdSchema,
  baseVersion: z.number().int().min(0).optional(),
};

/** The payload field most commands carry. */
export const productRef = { productId: IdSchema };

type Shape<T extends CommandType, F extends z.ZodRawShape> = typeof base & { type: z.ZodLiteral<T> } & F;
type CommandSchemaOf<T extends CommandType, F extends z.ZodRawShape> = z.ZodObject<Shape<T, F>, z.core.$strict>;
type Parsed<T extends CommandType, F extends z.ZodRawShape> = z.output<CommandSchemaOf<T, F>>;

/**
 * Ids of stored records a batch of commands will look up (ApplyContext.sale / saleByOrder):
 * the relay reads them from its store in one go before applying the batch.
 */
export interface LookupKeys {
  saleIds: string[];
  orderIds: string[];
  /** Command ids whose audit entry (with its reversal record) command.undo reads. */
  auditIds: string[];
}

export interface CommandDefinition<T extends CommandType = CommandType, F extends z.ZodRawShape = z.ZodRawShape> {
  readonly type: T;
  readonly schema: CommandSchemaOf<T, F>;
  readonly roles: CommandRoles;
  readonly label: string;
  readonly apply: Apply<Parsed<T, F>>;
  /**
   * Adds the keys this command will look up to the batch's lists. It pushes rather than
   * returns a `{ saleIds, orderIds }` so a batch of sales allocates nothing per command
   * (sale.record is the relay's hot path).
   */
  readonly lookups: ((cmd: Parsed<T, F>, into: LookupKeys) => void) | undefined;
}

export function defineCommand<T extends CommandType, F extends z.ZodRawShape>(
  type: T,
  def: {
    /** The payload fields, besides id, type and baseVersion. */
    fields: F;
    /** A rule across fields, checked after each field's own (zod `refine`). */
    refine?: { check: (cmd: Parsed<T, F>) => boolean; message: string; path: string[] };
    apply: Apply<Parsed<T, F>>;
    lookups?: (cmd: Parsed<T, F>, into: LookupKeys) => void;
  },
): CommandDefinition<T, F> {
  const object = z.strictObject({ ...base, type: z.literal(type), ...def.fields }) as CommandSchemaOf<T, F>;
  const r = def.refine;
  const schema = r ? object.refine((c) => r.check(c), { message: r.message, path: r.path }) : object;
  const { roles, label } = COMMAND_META[type];
  return { type, schema, roles, label, apply: def.apply, lookups: def.lookups };
}
