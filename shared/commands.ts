/**
 * Commands: the only way room state changes. Every command is `{ id, type, ...payload }`
 * with a client-made id (exactly-once: the relay answers a repeated id with the first answer)
 * and an optional `baseVersion` (optimistic concurrency: a stale one gets 409 with the state).
 * Names are `domain.verb`. The same schemas guard the socket and the HTTP API.
 *
 * Each command is defined once in the registry (shared/commands/registry.ts, which says how
 * to add one); this module is the entry point the relay, the extension and the tests import:
 * the union schema and types derived there, and the parsing that turns zod's issues into
 * "which field, why" lines.
 */
import type { z } from 'zod';
import { CommandSchema, type Command } from './commands/registry.js';

export { COMMAND_TYPES, CommandSchema, collectLookups, type Command, type CommandOf } from './commands/registry.js';
export type { LookupKeys } from './commands/define.js';
export { roleMay, type CommandType } from './commands/meta.js';

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
