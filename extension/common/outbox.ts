/**
 * The outbox: commands the relay has not acknowledged yet, kept in storage so a sale clicked
 * while the relay is down, or just before the worker is stopped, is never lost. The extension's
 * worker keeps it in extension storage, the web console (extension/web/) in its page's
 * localStorage: one outbox, two stores, the same exactly-once rules.
 *
 * Invariants:
 * [O1] a command is in storage before enqueue() resolves (before the page is told it is
 *      queued), and leaves storage only when the relay answered it (applied, duplicate, or
 *      refused for good). It may go out on the socket while its write is still in flight:
 *      waiting for the write would put a storage round trip (tens of ms when the browser's
 *      storage is busy) into every click. That loses nothing: if the worker dies before the
 *      write lands, the click was never reported queued, exactly as if it had died before
 *      the click arrived; if the relay got it meanwhile, it was applied once [O3].
 * [O2] it is resent after a reconnect, a worker restart or a browser restart (attach + flush).
 * [O3] exactly once: resending is safe because the relay answers a repeated id with its first
 *      answer (duplicate: true) instead of applying it again.
 * [O4] entries are sent in the order they were queued, over one socket (socket.io keeps order).
 * Its owner (the worker, or the web console's page) is the only writer of the outbox, so it keeps a mirror in memory (read once from
 * storage when it starts), changes it synchronously, and writes it through: one write at a
 * time, each carrying the mirror as it is when the write starts, so concurrent clicks never
 * lose an entry and a burst of clicks costs few writes.
 */
import type { Command } from '../../shared/commands';
import type { CommandReply, ErrorBody } from '../../shared/protocol';
import type { Notice, OutboxEntry } from './storage-items';

export interface CommandTransport {
  readonly connected: boolean;
  /** Rejects when there is no answer (disconnect, timeout): the entry stays queued. */
  send(command: Command): Promise<CommandReply>;
}

/** The subset of a WXT storage item the outbox needs (fakeBrowser-backed in unit tests). */
export interface OutboxStore {
  getValue(): Promise<OutboxEntry[]>;
  setValue(value: OutboxEntry[]): Promise<void>;
}

/** Answers worth retrying: the relay did not apply the command and may later. */
const RETRYABLE = new Set<ErrorBody['code']>(['rate_limited', 'unavailable', 'internal']);

export interface OutboxHooks {
  now?: () => number;
  onAcked?: (entry: OutboxEntry, reply: Extract<CommandReply, { ok: true }>) => void;
  onRefused?: (entry: OutboxEntry, error: ErrorBody) => void;
}

export class Outbox {
  /** The mirror of storage; null until first read. Replaced, never mutated in place. */
  private entries: readonly OutboxEntry[] | null = null;
  private loading: Promise<void> | null = null;
  /** The last storage write started or queued; writes run one after the other. */
  private lastWrite: Promise<void> = Promise.resolve();
  /** A write queued behind the running one and not started yet: later changes ride on it. */
  private queuedWrite: Promise<void> | null = null;
  private readonly inflight = new Set<string>();
  /** Sends waiting for their answer: flush() resolves only when these have settled too. */
  private readonly sending = new Set<Promise<void>>();
  private attached: { roomKey: string; transport: CommandTransport } | null = null;

  constructor(
    private readonly store: OutboxStore,
    private readonly hooks: OutboxHooks = {},
  ) {}

  /**
   * Reads storage into the mirror once. Callers read `this.entries` after awaiting it (not a
   * value it returned): another caller may have changed the mirror between the two.
   */
  private async load(): Promise<void> {
    if (!this.entries) {
      this.loading ??= this.store.getValue().then(
        (v) => {
          this.entries ??= [...v];
        },
        (err: unknown) => {
          this.loading = null;
          throw err;
        },
      );
      await this.loading;
    }
  }

  /** Replaces the mirror now; resolves once storage holds this change (or a later one). */
  private change(next: readonly OutboxEntry[]): Promise<void> {
    this.entries = next;
    if (!this.queuedWrite) {
      const write = this.lastWrite
        .catch(() => undefined)
        .then(() => {
          this.queuedWrite = null; // from here on, a change needs the next write
          return this.store.setValue([...(this.entries ?? [])]);
        });
      this.queuedWrite = write;
      this.lastWrite = write;
    }
    return this.queuedWrite;
  }

  /** [O1] Persists the command and sends it if connected. Resolves once it is stored. */
  async enqueue(roomKey: string, command: Command): Promise<number> {
    await this.load();
    const entries = this.entries!;
    // A repeated id is stored once; it is reported stored when the write in flight lands.
    const stored = entries.some((e) => e.id === command.id)
      ? this.lastWrite
      : this.change([...entries, { id: command.id, roomKey, command, queuedAt: (this.hooks.now ?? Date.now)(), attempts: 0 }]);
    const count = this.entries!.filter((e) => e.roomKey === roomKey).length;
    this.sendQueued();
    await stored;
    return count;
  }

  async pending(roomKey?: string): Promise<OutboxEntry[]> {
    await this.load();
    const entries = this.entries!;
    return roomKey === undefined ? [...entries] : entries.filter((e) => e.roomKey === roomKey);
  }

  /** [O2] A connection to `roomKey` is up: send what waits for it. */
  attach(roomKey: string, transport: CommandTransport): Promise<void> {
    this.attached = { roomKey, transport };
    this.inflight.clear();
    return this.flush();
  }

  detach(): void {
    this.attached = null;
    // Answers to in-flight sends will never come on this socket; a later attach resends them [O3].
    this.inflight.clear();
  }

  /** Removes entries of a room that is forgotten. */
  async drop(roomKey: string): Promise<void> {
    await this.load();
    await this.change(this.entries!.filter((e) => e.roomKey !== roomKey));
  }

  /**
   * Sends every queued entry of the attached room that is not already in flight [O4], and
   * resolves when all sends started so far (by this call or an earlier one) have settled.
   */
  async flush(): Promise<void> {
    await this.load();
    this.sendQueued();
    await Promise.all([...this.sending]);
  }

  /** Synchronous, so the socket frame of a click leaves in the same task as the click's message. */
  private sendQueued(): void {
    const target = this.attached;
    if (!target || !target.transport.connected || !this.entries) return;
    for (const entry of this.entries) {
      if (entry.roomKey !== target.roomKey || this.inflight.has(entry.id)) continue;
      this.inflight.add(entry.id);
      entry.attempts += 1; // in memory only: a diagnostic, not worth a storage write per send
      const p: Promise<void> = target.transport.send(entry.command).then(
        (reply) => this.settle(target, entry, reply),
        () => {
          // No answer: keep it queued; the next reconnect / alarm / enqueue retries it.
          if (this.attached === target) this.inflight.delete(entry.id);
        },
      );
      const tracked: Promise<void> = p.finally(() => this.sending.delete(tracked));
      this.sending.add(tracked);
    }
  }

  private async settle(target: NonNullable<Outbox['attached']>, entry: OutboxEntry, reply: CommandReply): Promise<void> {
    if (!reply.ok && RETRYABLE.has(reply.error.code)) {
      if (this.attached === target) this.inflight.delete(entry.id);
      return;
    }
    // Removed from the mirror at once (so it is not resent); from storage by the next write,
    // which is ordered after the write that added it.
    await this.change((this.entries ?? []).filter((e) => e.id !== entry.id));
    this.inflight.delete(entry.id);
    if (reply.ok) this.hooks.onAcked?.(entry, reply);
    else this.hooks.onRefused?.(entry, reply.error);
  }
}

/** The notice a console shows once for a command the relay refused for good (it left the outbox). */
export function refusalNotice(entry: OutboxEntry, error: ErrorBody, at: number): Notice {
  return {
    id: entry.id,
    at,
    commandType: entry.command.type,
    code: error.code,
    reason: error.reason ?? null,
    message: error.message,
    field: error.field ?? null,
    productId: 'productId' in entry.command ? (entry.command.productId ?? null) : null,
  };
}
