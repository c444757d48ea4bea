/**
 * The wire protocol between the relay and its clients (extension, overlay, integrations):
 * one file, typed socket.io event maps, `domain.verb` names, and a PROTOCOL_VERSION that
 * the relay checks in the handshake so an old extension gets a clear message, not chaos.
 */
import type { AuditEntry } from './audit.js';
import type { Role, RoomState } from './domain.js';
import type { CommandAnswer } from './room-reducer.js';
import type { FieldIssue } from './commands.js';
import type { RoomPatch } from './room-patch.js';

export type { RoomPatch } from './room-patch.js';

export const PROTOCOL_VERSION = 1;

/** Bounds shared by both transports (architecture rule 5). */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export type ErrorCode =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'rate_limited'
  | 'protocol_mismatch'
  | 'unavailable'
  | 'internal';

export const STATUS_OF: Record<ErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  protocol_mismatch: 426,
  unavailable: 503,
  internal: 500,
};

export interface ErrorBody {
  code: ErrorCode;
  status: number;
  /** Machine-readable detail such as out_of_stock or stale_version. */
  reason?: string;
  message: string;
  /** The first offending field, dotted ("product.priceMinor"). */
  field?: string;
  issues?: FieldIssue[];
  /** On stale_version: the current state, so the client resyncs instead of diverging. */
  state?: RoomState;
}

export type CommandReply = CommandAnswer | { ok: false; error: ErrorBody };

/** Handshake `auth` of every socket.io connection (tokens never travel in a query string). */
export interface HandshakeAuth {
  room: string;
  token: string;
  protocol: number;
  /**
   * Opt in to 'room.patch' (additive, same PROTOCOL_VERSION): after the full 'room.state' on
   * connect, changes come as patches. A patch whose baseVersion is not the client's version
   * means the client missed something: it asks 'room.sync'. Without it, full states as before.
   */
  patches?: boolean;
}

export interface Welcome {
  protocol: number;
  role: Role;
  roomId: string;
}

export interface ClientToServerEvents {
  /** Send a command; the ack comes only after it is durably stored. */
  command: (command: unknown, ack: (reply: CommandReply) => void) => void;
  /** Ask for the full current state (also pushed on every connect). */
  'room.sync': (ack: (reply: { ok: true; state: RoomState } | { ok: false; error: ErrorBody }) => void) => void;
}

export interface ServerToClientEvents {
  'session.welcome': (welcome: Welcome) => void;
  /**
   * Just before the relay closes this connection for good (issue 18: the host revoked this
   * person): why, so the console says "your access was removed" at once instead of finding out
   * from a refused reconnection.
   */
  'session.ended': (why: ConnectErrorData) => void;
  /** The full room state after one or more applied commands; versions only increase. */
  'room.state': (state: RoomState) => void;
  /**
   * Only to clients that sent `patches: true`: what changed since the state the relay last
   * broadcast to them (applyPatch in shared/room-patch.ts). They may get full 'room.state'
   * too (on connect, after a relay restart or a lost Redis subscription): both are the truth.
   */
  'room.patch': (patch: RoomPatch) => void;
  /**
   * Only to the room's host connections (issue 18): the audit entries of a commit (or of the
   * commits one broadcast frame held back), oldest first, sent after that commit's patch so the
   * overlay is never kept waiting for the log. A host console that was away reads what it
   * missed with GET /api/rooms/:room/audit?after=.
   */
  'audit.entries': (batch: AuditBatch) => void;
}

/** The payload of 'audit.entries': entries as GET /audit answers them (no reversal record). */
export interface AuditBatch {
  roomId: string;
  entries: AuditEntry[];
}

/** Data of the connect_error a refused handshake raises on the client. */
export interface ConnectErrorData {
  code: ErrorCode;
  message: string;
}
