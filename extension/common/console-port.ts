/**
 * The port pages open to the worker; it pushes each new room state, and each new OBS status,
 * over it at once. Kept apart from messages.ts so the pages' first bundle does not carry zod;
 * pushes are checked here by hand instead (house rule 2: the page parses what it is sent).
 * A page that connects gets the whole state; after that, what changed (shared/room-patch.ts:
 * a few hundred bytes per sale instead of ~137 KB with 500 products, which the page's main
 * thread had to receive per sale). A patch that does not apply to what the page shows (it
 * read an older state from storage) makes the page ask for the whole state ('room.sync').
 */
import type { AuditEntry } from '../../shared/audit';
import type { RoomState } from '../../shared/domain';
import type { RoomPatch } from '../../shared/room-patch';
import { OBS_ERROR_CODES, type ObsConnectionState, type ObsErrorInfo, type ObsStatus } from './obs-status';

export const CONSOLE_PORT = 'liveshelf-console';

export interface StatePush {
  type: 'room.state';
  roomKey: string;
  state: RoomState;
}

export interface PatchPush {
  type: 'room.patch';
  roomKey: string;
  patch: RoomPatch;
}

/** What a page sends on the port: the whole state again, after a patch it could not apply. */
export interface SyncRequest {
  type: 'room.sync';
}
export const isSyncRequest = (m: unknown): m is SyncRequest => isRecord(m) && m['type'] === 'room.sync';

/** The worker's OBS connection (host role only) and the last failure of something it did by itself. */
export interface ObsPush {
  type: 'obs.status';
  status: ObsStatus;
  /** E.g. the product's scene is missing in OBS when its card was shown; null when none. */
  notice: ObsErrorInfo | null;
}

/** The audit entries the relay sent the host connection live (issue 18), oldest first. */
export interface AuditPush {
  type: 'audit.entries';
  roomKey: string;
  entries: AuditEntry[];
}

export type ConsolePush = StatePush | PatchPush | ObsPush | AuditPush;

const OBS_STATES: readonly ObsConnectionState[] = ['disconnected', 'connecting', 'connected', 'reconnecting'];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strOrNull = (v: unknown) => v === null || typeof v === 'string';

const isStrings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** The shape of a patch, enough to apply it without throwing (its products are whole objects, as in a pushed state). */
function isPatch(p: unknown): p is RoomPatch {
  if (!isRecord(p) || typeof p['id'] !== 'string' || typeof p['baseVersion'] !== 'number' || typeof p['version'] !== 'number') return false;
  if ('room' in p && !isRecord(p['room'])) return false;
  if ('totals' in p && !isRecord(p['totals'])) return false;
  if ('ticker' in p && !Array.isArray(p['ticker'])) return false;
  if ('currentProductId' in p && !strOrNull(p['currentProductId'])) return false;
  if ('cardVisible' in p && typeof p['cardVisible'] !== 'boolean') return false;
  if ('countdown' in p && p['countdown'] !== null && !isRecord(p['countdown'])) return false;
  if ('updatedAt' in p && typeof p['updatedAt'] !== 'number') return false;
  const pp = p['products'];
  if (pp === undefined) return true;
  if (!isRecord(pp) || !Array.isArray(pp['upsert']) || !pp['upsert'].every((x) => isRecord(x) && typeof x['id'] === 'string')) return false;
  return (pp['order'] === undefined || isStrings(pp['order'])) && (pp['removed'] === undefined || isStrings(pp['removed']));
}

export function parseObsErrorInfo(v: unknown): ObsErrorInfo | null {
  if (!isRecord(v) || !(OBS_ERROR_CODES as readonly unknown[]).includes(v['code']) || typeof v['message'] !== 'string' || !isRecord(v['params'])) return null;
  const params: Record<string, string | number> = {};
  for (const [k, p] of Object.entries(v['params'])) if (typeof p === 'string' || typeof p === 'number') params[k] = p;
  return { code: v['code'] as ObsErrorInfo['code'], params, message: v['message'] };
}

/** A push from the worker, or null for anything malformed. */
export function parsePush(m: unknown): ConsolePush | null {
  if (!isRecord(m)) return null;
  if (m['type'] === 'room.state') {
    const state = m['state'];
    return typeof m['roomKey'] === 'string' && isRecord(state) && Array.isArray(state['products']) ? (m as unknown as StatePush) : null;
  }
  // Each entry is checked by the log itself (host-tools.ts isAuditEntry) before it is shown.
  if (m['type'] === 'audit.entries') return typeof m['roomKey'] === 'string' && Array.isArray(m['entries']) ? (m as unknown as AuditPush) : null;
  if (m['type'] === 'room.patch') return typeof m['roomKey'] === 'string' && isPatch(m['patch']) ? (m as unknown as PatchPush) : null;
  if (m['type'] === 'obs.status') {
    const s = m['status'];
    if (!isRecord(s) || !OBS_STATES.includes(s['state'] as ObsConnectionState)) return null;
    if (!strOrNull(s['programScene']) || !Array.isArray(s['scenes']) || !s['scenes'].every((x) => typeof x === 'string')) return null;
    if (typeof s['streaming'] !== 'boolean' || typeof s['recording'] !== 'boolean' || !strOrNull(s['obsVersion']) || !strOrNull(s['obsWebSocketVersion'])) return null;
    const error = s['error'] === null ? null : parseObsErrorInfo(s['error']);
    if (s['error'] !== null && !error) return null;
    const notice = m['notice'] === null || m['notice'] === undefined ? null : parseObsErrorInfo(m['notice']);
    const status: ObsStatus = {
      state: s['state'] as ObsConnectionState,
      error,
      programScene: s['programScene'] as string | null,
      scenes: s['scenes'] as string[],
      streaming: s['streaming'],
      recording: s['recording'],
      obsVersion: s['obsVersion'] as string | null,
      obsWebSocketVersion: s['obsWebSocketVersion'] as string | null,
    };
    return { type: 'obs.status', status, notice };
  }
  return null;
}
