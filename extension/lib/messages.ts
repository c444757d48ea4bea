/**
 * The typed, validated messages between the extension pages (side panel, popup, options) and
 * the background worker. Pages only ask; the worker owns the connection and the outbox.
 * Every request is parsed with zod at the worker (house rule 2: types are not validation).
 */
import { z } from 'zod';
import { CommandSchema, type FieldIssue } from '../../shared/commands';
import type { ConnectionProblem } from './storage-items';

const roomKey = z.string().min(3).max(300);

export const RequestSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('pair'), link: z.string().max(4096) }),
  z.strictObject({ type: z.literal('room.select'), roomKey }),
  z.strictObject({ type: z.literal('room.forget'), roomKey }),
  z.strictObject({
    type: z.literal('room.overlay'),
    roomKey,
    overlayUrl: z
      .string()
      .trim()
      .max(2048)
      .refine((u) => u === '' || (/^https?:\/\//i.test(u) && URL.canParse(u)), 'must be an http(s) URL')
      .nullable(),
  }),
  /** The command carries its id already: it was made when the host clicked. */
  z.strictObject({ type: z.literal('command'), roomKey, command: CommandSchema }),
  z.strictObject({ type: z.literal('sale.undo'), roomKey }),
  /** A page opened: wake up and make sure the active room is connected. */
  z.strictObject({ type: z.literal('hello') }),
  /** "Retry now": drop the socket and connect again. */
  z.strictObject({ type: z.literal('reconnect') }),
]);

export type Request = z.infer<typeof RequestSchema>;
export type RequestOf<T extends Request['type']> = Extract<Request, { type: T }>;

export type PairProblem = ConnectionProblem | 'bad_link' | 'permission_denied' | 'timeout';

export type Response =
  | { ok: true; roomKey?: string; queued?: number }
  | { ok: false; problem: PairProblem | 'invalid' | 'forbidden' | 'no_room' | 'nothing_to_undo'; message: string; issues?: FieldIssue[] };

export function parseRequest(raw: unknown): { ok: true; request: Request } | { ok: false; issues: FieldIssue[] } {
  const r = RequestSchema.safeParse(raw);
  if (r.success) return { ok: true, request: r.data };
  return { ok: false, issues: r.error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(message)', message: i.message })) };
}
