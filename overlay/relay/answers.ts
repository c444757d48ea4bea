/**
 * What the relay answers a command with, over HTTP and over the socket alike: the error body
 * every refusal carries (`{code, status, message}`, the status taken from the protocol's one
 * table), and the intake of a raw command: parsed with the shared schema at the trust
 * boundary (house rule 2) before the room's actor sees it.
 */
import type { Sender } from '../../shared/audit.js';
import { parseCommand } from '../../shared/commands.js';
import type { Role, SaleSource } from '../../shared/domain.js';
import { STATUS_OF, type CommandReply, type ErrorBody, type ErrorCode } from '../../shared/protocol.js';
import type { RoomActor } from './room-hub.js';

export function errorBody(code: ErrorCode, message: string, extra: Partial<ErrorBody> = {}): ErrorBody {
  return { code, status: STATUS_OF[code], message, ...extra };
}

/** A command as it arrived (socket or HTTP body): refused `invalid` with every field issue, else applied by the actor. */
export async function submit(actor: RoomActor, by: Sender | Role, raw: unknown, source: SaleSource): Promise<CommandReply> {
  const parsed = parseCommand(raw);
  if (!parsed.ok) {
    const first = parsed.issues[0];
    return { ok: false, error: errorBody('invalid', `${first?.field}: ${first?.message}`, { field: first?.field ?? '(body)', issues: parsed.issues }) };
  }
  return actor.submit(parsed.value, by, source);
}
