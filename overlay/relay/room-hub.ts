/**
 * The rooms a relay process serves, each run by one RoomActor: the single writer of that
 * room. Commands queue in the actor; each event-loop turn the actor applies everything queued
 * through the shared pure reducer, persists the whole batch in one commit (group commit),
 * publishes the change (the batch's one patch goes to the store and to the broadcast), and
 * answers every sender once the store says the commit is on disk (`synced`). Nothing is
 * answered before it is durable; a failed commit answers 503 and leaves memory as it was.
 *
 * Several relay processes (Redis) may each hold an actor for the same room. The actor keeps
 * only the state in memory; a batch reads the answers and sales it needs from the store, and
 * its commit is refused if another process committed first, in which case the batch runs
 * again on the stored state (optimistic concurrency on the room version).
 */
import { auditSummary, type AuditEntry, type Sender } from '../../shared/audit.js';
import { collectLookups, type Command, type LookupKeys } from '../../shared/commands.js';
import type { Role, RoomState, Sale, SaleSource } from '../../shared/domain.js';
import type { ErrorBody, CommandReply } from '../../shared/protocol.js';
import { STATUS_OF } from '../../shared/protocol.js';
import { processCommand, type CommandAnswer, type RoomError } from '../../shared/room-reducer.js';
import { diffRoom, type RoomPatch } from '../../shared/room-patch.js';
import { foldSales, noSalesWritten, saleLookups } from '../../shared/sales-fold.js';
import { onAirOf, type CardChange } from '../../shared/show-report.js';
import type { LoggedCommand } from '../../shared/commands/undo.js';
import { CommitConflict, type StoredAudit, type BatchKeys, type CommitEntry, type LoadedRoom, type Prefetched, type RoomStore, type TokenHashes } from './room-store.js';
import type { Clock, Logger } from './deps.js';
import { hashToken, roleOfHash } from './tokens.js';

interface Pending {
  command: Command;
  by: Sender;
  source: SaleSource;
  resolve: (reply: CommandReply) => void;
}

const MAX_BATCH = 512;

/** What one commit changed: the room before and after, and the patch between them (made once). */
export interface RoomChange {
  prev: RoomState;
  next: RoomState;
  patch: RoomPatch;
  /** The commit's audit entries, oldest first, as the host's console gets them (no reversal record). */
  audit?: AuditEntry[];
}

export function roomErrorBody(error: RoomError, state?: RoomState): ErrorBody {
  return {
    code: error.code,
    status: STATUS_OF[error.code],
    reason: error.reason,
    message: error.message,
    ...(error.field !== undefined && { field: error.field }),
    ...(error.reason === 'stale_version' && state && { state }),
  };
}

const MAX_ATTEMPTS = 20;

/** How often a person's lastSeenAt is written at most (per process). */
const SEEN_EVERY_MS = 60_000;

const unavailable = (message: string): CommandReply => ({ ok: false, error: { code: 'unavailable', status: 503, message } });

export class RoomActor {
  private queue: Pending[] = [];
  private scheduled = false;
  private running = false;

  constructor(
    private room: LoadedRoom,
    private readonly store: RoomStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly onCommit: (change: RoomChange) => void,
    /** Drains scheduled or running in this process, shared by the hub's actors (see `drain`). */
    private readonly drains: { count: number } = { count: 0 },
  ) {}

  get state(): RoomState {
    return this.room.state;
  }

  /** Nothing queued, nothing being applied or committed: dropping this actor loses nothing. */
  get idle(): boolean {
    return !this.scheduled && !this.running && this.queue.length === 0;
  }

  get tokenHashes(): TokenHashes {
    return this.room.tokenHashes;
  }

  setTokenHash(role: Role, hash: string): void {
    this.room = { ...this.room, tokenHashes: { ...this.room.tokenHashes, [role]: hash } };
  }

  /**
   * Catches up with the store, where another relay process may have written: token hashes
   * always, the state when the stored version is newer (one cheap read when nothing changed).
   */
  async refresh(): Promise<void> {
    const head = await this.store.head(this.state.id);
    if (!head) return;
    this.room = { ...this.room, tokenHashes: head.tokenHashes };
    if (head.version <= this.state.version) return;
    const loaded = await this.store.loadRoom(this.state.id);
    // Versions only grow here: a batch of this process may have committed meanwhile.
    if (loaded && loaded.state.version > this.state.version) this.room = loaded;
  }

  /**
   * `by`: who sends it. A bare role is a shared role token's sender (and the relay's own
   * commands: the demo room, a shop feed), so the callers that know no person stay short.
   */
  submit(command: Command, by: Sender | Role, source: SaleSource): Promise<CommandReply> {
    const sender: Sender = typeof by === 'string' ? { role: by } : by;
    return new Promise((resolve) => {
      this.queue.push({ command, by: sender, source, resolve });
      if (!this.scheduled && !this.running) {
        this.scheduled = true;
        this.drains.count++;
        // setImmediate: let every message already read in this turn join the same batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    this.scheduled = false;
    this.running = true;
    try {
      while (this.queue.length) await this.runBatch(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.running = false;
      // The last room batch of this turn: what the turn wrote may go to disk now, in one
      // fsync, and its senders be answered in this turn (SQLite on a fast disk).
      if (--this.drains.count === 0) this.store.flush?.();
    }
  }

  /**
   * Read what the batch needs from the store, apply it in memory, commit it in one write.
   * A commit refused because another process moved the room on is run again on the newer
   * state: commands that process applied meanwhile now come back from the store as duplicates.
   */
  private async runBatch(batch: Pending[]): Promise<void> {
    const roomId = this.state.id;
    const commandIds: string[] = [];
    // Each command's definition names the stored records it will look up (shared/commands/).
    const lookups: LookupKeys = { saleIds: [], orderIds: [], auditIds: [] };
    for (const { command } of batch) {
      commandIds.push(command.id);
      collectLookups(command, lookups);
    }
    const keys: BatchKeys = { commandIds, ...lookups };
    for (let attempt = 1; ; attempt++) {
      let outcome: 'done' | 'conflict';
      try {
        const pre = await this.store.prefetch(roomId, this.state.version, keys);
        // The store is the truth: adopt what it holds, even an older version (a store restored from a backup).
        if (pre.room) this.room = pre.room;
        // The look-ups hold for the version they were read at; if a read (refresh) moved the
        // state on meanwhile, they may miss commands applied since: read again.
        outcome = this.state.version === pre.version ? await this.applyAndCommit(batch, pre) : 'conflict';
      } catch (err) {
        this.logger.error({ err, room: roomId }, 'storage failed; the batch is refused and nothing was applied');
        const reply = unavailable('the relay could not store this change; nothing was applied, try again');
        for (const p of batch) p.resolve(reply);
        return;
      }
      if (outcome === 'done') return;
      if (attempt >= MAX_ATTEMPTS) {
        this.logger.warn({ room: roomId, attempts: attempt }, 'room too contended; the batch is refused');
        const reply = unavailable('the room is changing too fast on several relays; nothing was applied, try again');
        for (const p of batch) p.resolve(reply);
        return;
      }
      // A little random backoff so two processes stop meeting at the same moment.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(attempt, 10)));
    }
  }

  private async applyAndCommit(batch: Pending[], pre: Prefetched): Promise<'done' | 'conflict'> {
    const prev = this.state;
    const { answers } = pre;
    // Batch-local overlays on what the store had: nothing else changes until the commit is durable.
    const newAnswers = new Map<string, CommandAnswer>();
    const written = noSalesWritten();
    // The log's entries this batch wrote or undid, over what the store had (command.undo's look-up).
    const newLogged = new Map<string, LoggedCommand>();
    const logged = (id: string) => newLogged.get(id) ?? pre.logged?.get(id);
    const ctxBase = { answer: (id: string) => newAnswers.get(id) ?? answers.get(id), ...saleLookups(written, pre), logged };
    let state = prev;
    const entries: CommitEntry[] = [];
    const cards: CardChange[] = [];
    const replies: { p: Pending; reply: CommandReply }[] = [];
    for (const p of batch) {
      const now = this.clock.now();
      const out = processCommand(state, p.command, { ...ctxBase, now, by: p.by.role, source: p.source });
      if (out.kind === 'rejected') {
        replies.push({ p, reply: { ok: false, error: roomErrorBody(out.error, state) } });
        continue;
      }
      if (out.kind === 'duplicate') {
        replies.push({ p, reply: out.answer });
        continue;
      }
      const wasOnAir = onAirOf(state);
      const before = state;
      state = out.state;
      const onAir = onAirOf(state);
      if (onAir !== wasOnAir) cards.push({ at: now, productId: onAir });
      newAnswers.set(p.command.id, out.answer);
      foldSales(written, out.events);
      // The audit entry rides in the same commit: seq is the version the command led to ([R1]).
      const audit: StoredAudit = { seq: state.version, at: now, commandId: p.command.id, type: p.command.type, by: p.by, summary: auditSummary(before, state, p.command, out.answer.result) };
      if (out.inverse) audit.inverse = out.inverse;
      newLogged.set(p.command.id, { seq: audit.seq, type: audit.type, ...(out.inverse && { inverse: out.inverse }) });
      for (const ev of out.events) {
        if (ev.type !== 'command.undone') continue;
        const target = logged(ev.commandId);
        if (target) newLogged.set(ev.commandId, { ...target, undoneBy: p.command.id });
      }
      entries.push({ command: p.command, by: p.by.role, at: now, answer: out.answer, events: out.events, audit });
      replies.push({ p, reply: out.answer });
    }
    if (entries.length) {
      // The one diff of this commit: the store writes its products, the broadcast sends it.
      const patch = diffRoom(prev, state);
      try {
        await this.store.commit({ next: state, patch, entries, sales: written, cards });
      } catch (err) {
        if (err instanceof CommitConflict) return 'conflict';
        throw err;
      }
      // Another path (refresh) may only have moved the state forward to what this commit wrote.
      if (state.version > this.state.version) this.room = { ...this.room, state };
      // Shown as soon as committed (every later read sees it): the overlay need not wait for the disk.
      this.onCommit({ prev, next: state, patch, audit: entries.map(({ audit: { inverse: _inverse, ...entry } }) => entry) });
    }
    // Answered only once on disk, duplicates and refusals too (what they were read from may
    // still be on its way there). The room's next batch does not wait: its commit shares or
    // follows this fsync, so answers still go out in order.
    this.store.synced().then(
      () => {
        for (const { p, reply } of replies) p.resolve(reply);
      },
      (err: unknown) => {
        this.logger.error({ err, room: prev.id }, 'the store could not make a commit durable; its commands are answered 503');
        const reply = unavailable('the relay could not store this change durably; try again (a repeat is recognised)');
        for (const { p } of replies) p.resolve(reply);
      },
    );
    return 'done';
  }
}

interface HubEntry {
  actor: Promise<RoomActor | undefined>;
  /** The actor once loaded (eviction looks only at loaded actors). */
  loaded?: RoomActor;
  /** performance.now() of the last get(). */
  usedAt: number;
}

export class RoomHub {
  private readonly actors = new Map<string, HubEntry>();
  private readonly drains = { count: 0 };

  constructor(
    private readonly store: RoomStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly onCommit: (change: RoomChange) => void,
    /** A room loaded into this process (first use, or again after eviction): the rehearsal feed resumes there (issue 19). */
    private readonly onLoad?: (actor: RoomActor) => void,
  ) {}

  get(roomId: string): Promise<RoomActor | undefined> {
    let entry = this.actors.get(roomId);
    if (!entry) {
      const actor = this.store.loadRoom(roomId).then((loaded) => (loaded ? new RoomActor(loaded, this.store, this.clock, this.logger, this.onCommit, this.drains) : undefined));
      const created: HubEntry = { actor, usedAt: performance.now() };
      // An unknown room is not cached, so a room created by another process is found later.
      actor.then(
        (a) => {
          if (!a) this.drop(roomId, created);
          else {
            created.loaded = a;
            this.onLoad?.(a);
          }
        },
        () => this.drop(roomId, created),
      );
      this.actors.set(roomId, (entry = created));
    }
    entry.usedAt = performance.now();
    return entry.actor;
  }

  private drop(roomId: string, entry: HubEntry): void {
    if (this.actors.get(roomId) === entry) this.actors.delete(roomId);
  }

  /** How many rooms this process holds in memory. */
  get size(): number {
    return this.actors.size;
  }

  /** Whether this process holds the room in memory now. */
  holds(roomId: string): boolean {
    return this.actors.has(roomId);
  }

  /**
   * Forgets the actors of rooms unused for `idleMs` that have nothing queued or in flight and
   * that `inUse` does not claim (the relay passes "has connected clients here"). Their state
   * is in the store: the next get() loads it again, exactly. Returns the rooms dropped.
   * Safe against a handler that got the old actor just before: a second actor for the room
   * commits only on the stored version (the same optimistic check that serves several processes).
   */
  evictIdle(idleMs: number, inUse: (roomId: string) => boolean): string[] {
    const cutoff = performance.now() - idleMs;
    const dropped: string[] = [];
    for (const [roomId, entry] of this.actors) {
      if (!entry.loaded?.idle || entry.usedAt > cutoff || inUse(roomId)) continue;
      this.actors.delete(roomId);
      dropped.push(roomId);
    }
    return dropped;
  }

  /** The actor, caught up with the store (for reads: another relay process may have written). */
  async fresh(roomId: string): Promise<RoomActor | undefined> {
    const actor = await this.get(roomId);
    await actor?.refresh();
    return actor;
  }

  /**
   * Who a token is in a room, for the HTTP API and the socket handshake alike: a role token
   * (checked against the hashes in hand, no I/O), else a named person's (people-routes.ts,
   * one store read). Hashes the token once.
   */
  async identify(roomId: string, token: string, hashes: TokenHashes): Promise<{ role: Role; tokenHash: string; personId?: string; name?: string } | undefined> {
    const tokenHash = hashToken(token);
    const role = roleOfHash(tokenHash, hashes);
    if (role) return { role, tokenHash };
    const person = await this.store.personByToken(roomId, tokenHash);
    return person && { role: person.role, tokenHash, personId: person.id, name: person.name };
  }

  /** personId → when this process last wrote their lastSeenAt (see `seen`). */
  private readonly lastSeenWritten = new Map<string, number>();

  /**
   * A person connected or sent a command: their lastSeenAt, written at most once a minute per
   * person and process, and never awaited (the command path does not wait for it; a failed
   * write only leaves lastSeenAt older).
   */
  seen(roomId: string, personId: string): void {
    const now = this.clock.now();
    const last = this.lastSeenWritten.get(personId);
    if (last !== undefined && now - last < SEEN_EVERY_MS) return;
    this.lastSeenWritten.set(personId, now);
    this.store.touchPerson(roomId, personId, now).catch((err: unknown) => this.logger.warn({ err, room: roomId }, 'lastSeenAt not written'));
  }

  async create(state: RoomState, hashes: TokenHashes): Promise<void> {
    await this.store.createRoom(state, hashes);
  }
}
