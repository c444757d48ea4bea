/**
 * Commands: the only way room state changes. Every command is `{ id, type, ...payload }`
 * with a client-made id (exactly-once: the relay answers a repeated id with the first answer)
 * and an optional `baseVersion` (optimistic concurrency: a stale one gets 409 with the state).
 * Names are `domain.verb`. The same schemas guard the socket and the HTTP API.
 */
import { z } from 'zod';
import { IdSchema, MinorSchema, ProductChangesSchema, ProductInputSchema, RoomInfoSchema, StockSchema, type Role } from './domain.js';

const base = {
  id: IdSchema,
  baseVersion: z.number().int().min(0).optional(),
};

const productRef = { productId: IdSchema };
const quantity = z
  .number({ error: 'must be a whole number of units' })
  .int('must be a whole number of units')
  .min(1, 'must be at least 1')
  .max(100_000, 'must be at most 100000 per sale');
const orderId = z.string().trim().min(1).max(128, 'must be at most 128 characters');

export const CommandSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ ...base, type: z.literal('product.add'), product: ProductInputSchema, position: z.number().int().min(0).optional() }),
    z.strictObject({ ...base, type: z.literal('product.update'), ...productRef, changes: ProductChangesSchema }),
    z.strictObject({ ...base, type: z.literal('product.remove'), ...productRef }),
    z.strictObject({ ...base, type: z.literal('product.soldOut'), ...productRef, soldOut: z.boolean().optional() }),
    z.strictObject({ ...base, type: z.literal('queue.move'), ...productRef, toIndex: z.number().int().min(0) }),
    z.strictObject({ ...base, type: z.literal('card.show'), ...productRef }),
    z.strictObject({ ...base, type: z.literal('card.hide') }),
    z.strictObject({ ...base, type: z.literal('card.next') }),
    z
      .strictObject({
        ...base,
        type: z.literal('sale.record'),
        productId: IdSchema.optional(),
        sku: z.string().trim().min(1).max(64).optional(),
        quantity: quantity.optional(),
        orderId: orderId.optional(),
        /** Refused when the product's price changed since the seller saw it. */
        unitPriceMinor: MinorSchema.optional(),
      })
      .refine((c) => c.productId !== undefined || c.sku !== undefined, { message: 'give productId or sku', path: ['productId'] }),
    z.strictObject({ ...base, type: z.literal('sale.void'), saleId: IdSchema }),
    z.strictObject({ ...base, type: z.literal('stock.set'), ...productRef, stock: StockSchema }),
    z.strictObject({ ...base, type: z.literal('ticker.push'), text: z.string().trim().min(1, 'must not be empty').max(140, 'must be at most 140 characters') }),
    z.strictObject({ ...base, type: z.literal('ticker.clear'), messageId: IdSchema.optional() }),
    z.strictObject({
      ...base,
      type: z.literal('countdown.start'),
      seconds: z.number().int().min(1, 'must be at least 1').max(86_400, 'must be at most 86400 (a day)'),
      label: z.string().trim().max(60).optional(),
    }),
    z.strictObject({ ...base, type: z.literal('countdown.stop') }),
    z.strictObject({ ...base, type: z.literal('room.update'), changes: RoomInfoSchema.partial().refine((c) => Object.keys(c).length > 0, 'must change at least one field') }),
  ],
  { error: (iss) => (iss.code === 'invalid_union' ? 'unknown command type' : undefined) },
);

export type Command = z.infer<typeof CommandSchema>;
export type CommandType = Command['type'];
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;
export const COMMAND_TYPES = CommandSchema.options.map((o) => {
  const shape = 'shape' in o ? o.shape : (o as unknown as { def: { in: { shape: { type: { value: string } } } } }).def.in.shape;
  return (shape as { type: { value: CommandType } }).type.value;
});

/** Least privilege: which role may send which command (architecture rule 4). */
const COHOST: readonly CommandType[] = ['card.show', 'card.hide', 'card.next', 'ticker.push', 'ticker.clear', 'countdown.start', 'countdown.stop'];
const SALES: readonly CommandType[] = ['sale.record'];

export function roleMay(role: Role, type: CommandType): boolean {
  switch (role) {
    case 'host':
      return true;
    case 'cohost':
      return COHOST.includes(type);
    case 'sales':
      return SALES.includes(type);
    case 'overlay':
      return false;
  }
}

export interface FieldIssue {
  /** Dotted path of the field, e.g. "product.priceMinor". */
  field: string;
  message: string;
}

/** Turns zod issues into "which field, why" lines that a person can act on. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({
    field: i.path.length ? i.path.map(String).join('.') : '(body)',
    message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
  }));
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

export function parseCommand(input: unknown): ParseResult<Command> {
  const r = CommandSchema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, issues: fieldIssues(r.error) };
}
