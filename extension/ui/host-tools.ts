/**
 * The host's tools beside the queue (issue 18): the room's audit log, live, with Undo per
 * entry, and the named people (invite → link and QR, who is connected, revoke). One view model
 * for both surfaces; each gives it what it has: a way to call the relay's host routes (the web
 * console fetches them itself with the token it holds; the side panel asks the worker, which
 * holds the token: pages never do), the live entries its socket hears ('audit.entries'), and a
 * way to send a command through the outbox like every other command.
 *
 * The log: GET /audit once when it is first shown (the last LOG_SIZE entries, from the room
 * version: each applied command is one version, [R1]), then the live entries, newest first,
 * merged by seq so an entry heard twice (fetched and pushed) is shown once; after the socket was
 * down, what was committed meanwhile is read (GET /audit?after= the newest seq shown). An Undo refused by
 * the relay (its refusal notice carries the undo's command id) is shown next to its line.
 * Pure of the browser and the extension: tests drive it with a fake api.
 */
import { batch, computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { AuditEntry } from '../../shared/audit';
import type { Command } from '../../shared/commands';
import type { CommandType } from '../../shared/commands/meta';
import type { RoomState } from '../../shared/domain';
import type { Notice } from '../common/storage-items';
import type { HostCall, HostAnswer, PersonRole } from '../common/host-calls';
import { newCommandId } from '../common/ids';
import { createShowPulse, type ShowPulse } from './show-pulse';

export { fetchHostCall, hostRequest, type HostAnswer, type HostCall, type PersonRole } from '../common/host-calls';

export const LOG_SIZE = 50;

export const PERSON_ROLES: readonly PersonRole[] = ['host', 'cohost', 'sales'];

export interface Person {
  id: string;
  name: string;
  role: PersonRole;
  createdAt: number;
  lastSeenAt: number | null;
  connected: boolean;
}

export interface HostApi {
  call(call: HostCall): Promise<HostAnswer>;
}

/** The undoable types ([U1] of shared/commands/undo.ts): the others get no Undo button. */
const UNDOABLE = new Set<CommandType>(['card.show', 'card.hide', 'card.next', 'ticker.push', 'ticker.clear', 'countdown.start', 'countdown.stop', 'product.update', 'stock.set', 'sale.record']);
export const isUndoable = (e: Pick<AuditEntry, 'type'>) => UNDOABLE.has(e.type);

/** What a line's Undo is doing: sent (waiting for the relay), or refused with the relay's reason. */
export type UndoState = { phase: 'sending'; undoId: string } | { phase: 'refused'; code: string; reason: string | null; message: string };

export type Load = 'idle' | 'loading' | 'ready' | 'failed';

export interface InviteResult {
  person: { id: string; name: string; role: PersonRole };
  link: string;
}

export interface HostTools {
  /** The log, newest first, at most LOG_SIZE entries. */
  entries: ReadonlySignal<AuditEntry[]>;
  logLoad: ReadonlySignal<Load>;
  /** commandId of a logged entry → its Undo's progress or refusal. */
  undos: ReadonlySignal<Readonly<Record<string, UndoState>>>;
  people: ReadonlySignal<Person[]>;
  peopleLoad: ReadonlySignal<Load>;
  /** Why the last call failed, in the relay's words (the page words the code). */
  failure: ReadonlySignal<{ what: 'log' | 'people' | 'invite' | 'revoke'; code: string; message: string; field?: string } | null>;
  /** The last invitation made here: its link and QR stay shown until another. */
  invited: ReadonlySignal<InviteResult | null>;
  /** Reads the past of the log once (again after a failure). */
  openLog(): Promise<void>;
  /** Entries the socket heard ('audit.entries'), oldest first. */
  takeLive(entries: readonly AuditEntry[]): void;
  undo(commandId: string): Promise<void>;
  loadPeople(): Promise<void>;
  invite(name: string, role: PersonRole): Promise<InviteResult | null>;
  revoke(id: string): Promise<boolean>;
  /** The show's pulse (show-pulse.ts), made when first asked for; stopped with the tools. */
  pulse(): ShowPulse;
  /** Opens the after-show report page in a new tab, when the surface can (it needs the host token). */
  openReport?: () => void;
  stop(): void;
}

export interface HostToolsEnv {
  api: HostApi;
  room: ReadonlySignal<RoomState | null>;
  /** Puts a command (its id made here, at the tap) into the surface's outbox. */
  send(command: Command): Promise<unknown>;
  /** The surface's refusal notice (common/outbox.ts refusalNotice: its id is the refused command's). */
  notice: ReadonlySignal<Notice | null>;
  dismissNotice(): Promise<void>;
  /** The surface's socket is up: entries sent while it was down are read when it is back. */
  online: ReadonlySignal<boolean>;
  openReport?: () => void;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An entry as the relay sends it, checked enough to show it (house rule 2: the page parses what it is sent). */
export function isAuditEntry(v: unknown): v is AuditEntry {
  return (
    isRecord(v) &&
    typeof v['seq'] === 'number' &&
    typeof v['at'] === 'number' &&
    typeof v['commandId'] === 'string' &&
    typeof v['type'] === 'string' &&
    isRecord(v['by']) &&
    typeof v['by']['role'] === 'string' &&
    isRecord(v['summary'])
  );
}

function isPerson(v: unknown): v is Person {
  return isRecord(v) && typeof v['id'] === 'string' && typeof v['name'] === 'string' && (PERSON_ROLES as readonly unknown[]).includes(v['role']) && typeof v['createdAt'] === 'number';
}

/** Merges entries into the log (newest first, one per seq), marks those an undo reversed, keeps LOG_SIZE. */
export function mergeLog(log: readonly AuditEntry[], more: readonly AuditEntry[]): AuditEntry[] {
  const bySeq = new Map<number, AuditEntry>();
  for (const e of [...log, ...more]) bySeq.set(e.seq, { ...bySeq.get(e.seq), ...e });
  const all = [...bySeq.values()].sort((a, b) => b.seq - a.seq);
  for (const e of all) {
    if (e.type !== 'command.undo' || typeof e.summary.undone !== 'string') continue;
    const i = all.findIndex((x) => x.commandId === e.summary.undone);
    if (i >= 0 && all[i]!.undoneBy === undefined) all[i] = { ...all[i]!, undoneBy: e.commandId };
  }
  return all.slice(0, LOG_SIZE);
}

/** What a command changed, for "later changed by …": entries on the same thing supersede each other ([U2]). */
function thingOf(e: AuditEntry): string | null {
  if (e.type.startsWith('card.')) return 'card';
  if (e.type.startsWith('ticker.')) return 'ticker';
  if (e.type.startsWith('countdown.')) return 'countdown';
  return e.summary.productId === undefined ? null : `product:${e.summary.productId}`;
}

/** The newest entry after `target` that changed the same thing: who the refusal `superseded` is about. */
export function supersededBy(log: readonly AuditEntry[], target: AuditEntry): AuditEntry | undefined {
  const thing = thingOf(target);
  return thing === null ? undefined : log.find((e) => e.seq > target.seq && e.type !== 'command.undo' && thingOf(e) === thing);
}

export function createHostTools(env: HostToolsEnv): HostTools {
  const entries = signal<AuditEntry[]>([]);
  const logLoad = signal<Load>('idle');
  const undos = signal<Record<string, UndoState>>({});
  const people = signal<Person[]>([]);
  const peopleLoad = signal<Load>('idle');
  const failure = signal<HostTools['failure']['value']>(null);
  const invited = signal<InviteResult | null>(null);
  let showPulse: ShowPulse | null = null;
  /** Live entries heard before the past was read: merged with it, so none is lost in between. */
  let early: AuditEntry[] = [];

  const fail = (what: 'log' | 'people' | 'invite' | 'revoke', a: Extract<HostAnswer, { ok: false }>) =>
    (failure.value = { what, code: a.code, message: a.message, ...(a.field !== undefined && { field: a.field }) });

  function setUndo(commandId: string, u: UndoState | null): void {
    const next = { ...undos.value };
    if (u) next[commandId] = u;
    else delete next[commandId];
    undos.value = next;
  }

  // A refused Undo: its reason goes next to its line (and the floating notice is not needed).
  const stopNotice = effect(() => {
    const n = env.notice.value;
    if (!n || n.commandType !== 'command.undo') return;
    const target = Object.entries(undos.peek()).find(([, u]) => u.phase === 'sending' && u.undoId === n.id)?.[0];
    if (target === undefined) return;
    setUndo(target, { phase: 'refused', code: n.code, reason: n.reason, message: n.message });
    void env.dismissNotice();
  });

  // Back online after a drop: what the relay committed meanwhile was sent to no socket of ours.
  let wasOnline = env.online.peek();
  const stopOnline = effect(() => {
    const on = env.online.value;
    if (on && !wasOnline && logLoad.peek() === 'ready') void catchUp();
    wasOnline = on;
  });

  async function catchUp(): Promise<void> {
    const newest = entries.peek()[0]?.seq ?? Math.max(0, (env.room.peek()?.version ?? 0) - LOG_SIZE);
    const a = await env.api.call({ kind: 'audit', after: newest, limit: LOG_SIZE });
    if (!a.ok) return; // the next drop and return tries again; the live entries go on meanwhile
    const page = isRecord(a.body) && Array.isArray(a.body['entries']) ? a.body['entries'].filter(isAuditEntry) : [];
    entries.value = mergeLog(entries.peek(), page);
  }

  async function openLog(): Promise<void> {
    if (logLoad.value === 'loading' || logLoad.value === 'ready') return;
    logLoad.value = 'loading';
    const version = env.room.value?.version ?? 0;
    const a = await env.api.call({ kind: 'audit', after: Math.max(0, version - LOG_SIZE), limit: LOG_SIZE });
    if (!a.ok) {
      logLoad.value = 'failed';
      fail('log', a);
      return;
    }
    const page = isRecord(a.body) && Array.isArray(a.body['entries']) ? a.body['entries'].filter(isAuditEntry) : [];
    batch(() => {
      entries.value = mergeLog(page, early);
      early = [];
      logLoad.value = 'ready';
    });
  }

  async function loadPeople(): Promise<void> {
    if (peopleLoad.value === 'idle' || peopleLoad.value === 'failed') peopleLoad.value = 'loading';
    const a = await env.api.call({ kind: 'people' });
    if (!a.ok) {
      peopleLoad.value = 'failed';
      fail('people', a);
      return;
    }
    const list = isRecord(a.body) && Array.isArray(a.body['people']) ? a.body['people'].filter(isPerson) : [];
    batch(() => {
      people.value = list.map((p) => ({ ...p, lastSeenAt: typeof p.lastSeenAt === 'number' ? p.lastSeenAt : null, connected: p.connected === true }));
      peopleLoad.value = 'ready';
    });
  }

  return {
    entries,
    logLoad,
    undos,
    people,
    peopleLoad,
    failure,
    invited,
    openLog,
    takeLive(more) {
      const valid = more.filter(isAuditEntry);
      // A person the list says is away just did something: read who is connected again.
      if (valid.some((e) => e.by.personId !== undefined && people.value.some((p) => p.id === e.by.personId && !p.connected))) void loadPeople();
      if (logLoad.value !== 'ready') early = [...early, ...valid];
      else entries.value = mergeLog(entries.value, valid);
      // An applied undo: its line reads as undone, whatever this page sent.
      const done = valid.filter((e) => e.type === 'command.undo' && typeof e.summary.undone === 'string');
      if (done.length) for (const e of done) if (undos.value[e.summary.undone!]) setUndo(e.summary.undone!, null);
    },
    async undo(commandId) {
      const undoId = newCommandId('undo');
      setUndo(commandId, { phase: 'sending', undoId });
      await env.send({ id: undoId, type: 'command.undo', commandId });
    },
    loadPeople,
    async invite(name, role) {
      const a = await env.api.call({ kind: 'invite', name, role });
      if (!a.ok) {
        fail('invite', a);
        return null;
      }
      const b = a.body;
      if (!isRecord(b) || !isRecord(b['person']) || typeof b['link'] !== 'string') {
        fail('invite', { ok: false, status: 0, code: 'internal', message: 'unexpected answer' });
        return null;
      }
      const person = b['person'] as InviteResult['person'];
      const result: InviteResult = { person: { id: String(person.id), name: String(person.name), role: person.role }, link: b['link'] };
      batch(() => {
        invited.value = result;
        failure.value = null;
      });
      await loadPeople();
      return result;
    },
    async revoke(id) {
      const a = await env.api.call({ kind: 'revoke', id });
      if (!a.ok) {
        fail('revoke', a);
        return false;
      }
      batch(() => {
        people.value = people.value.filter((p) => p.id !== id);
        if (invited.value?.person.id === id) invited.value = null;
        failure.value = null;
      });
      await loadPeople();
      return true;
    },
    pulse() {
      showPulse ??= createShowPulse({ api: env.api, room: env.room, online: env.online });
      return showPulse;
    },
    ...(env.openReport && { openReport: env.openReport }),
    stop() {
      stopNotice();
      stopOnline();
      showPulse?.stop();
    },
  };
}
