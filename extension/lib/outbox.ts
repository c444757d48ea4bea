/**
 * The outbox: commands the relay has not acknowledged yet, kept in extension storage so a
 * sale clicked while the relay is down, or just before the worker is stopped, is never lost.
 *
 * Invariants:
 * [O1] a command is written to storage before it is sent, and leaves storage only when the
 *      relay answered it (applied, duplicate, or refused for good).
 * [O2] it is resent after a reconnect, a worker restart or a browser restart (attach + flush).
 * [O3] exactly once: resending is safe because the relay answers a repeated id with its first
 *      answer (duplicate: true) instead of applying it again.
 * [O4] entries are sent in the order they were queued, over one socket (socket.io keeps order).
 * The worker is the only writer of the outbox, so it keeps a mirror in memory (read once from
 * storage when it starts) and writes it through; writes go through one promise chain so
 * concurrent clicks never lose an entry.
 */
import type { Command } from '../../shared/commands';
import type { CommandReply, ErrorBody } from '../../shared/protocol';
import type { OutboxEntry } from './storage-items';

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
  private chain: Promise<unknown> = Promise.resolve();
  /** The mirror of storage; null until first read. Replaced, never mutated in place. */
  private entries: readonly OutboxEntry[] | null = null;
  private readonly inflight = new Set<string>();
  /** Sends waiting for their answer: flush() resolves only when these have settled too. */
  private readonly sending = new Set<Promise<void>>();
  private attached: { roomKey: string; transport: CommandTransport } | null = null;

  constructor(
    private readonly store: OutboxStore,
    private readonly hooks: OutboxHooks = {},
  ) {}

  /** Runs a read-modify-write of the outbox after the previous one finished. */
  private update<T>(fn: (entries: readonly OutboxEntry[]) => { next?: readonly OutboxEntry[]; result: T }): Promise<T> {
    const run = async () => {
      this.entries ??= [...(await this.store.getValue())];
      const { next, result } = fn(this.entries);
      if (next && next !== this.entries) {
        this.entries = next;
        await this.store.setValue([...next]);
      }
      return result;
    };
    const p = this.chain.then(run, run);
    this.chain = p.catch(() => undefined);
    return p;
  }

  /** [O1] Persists the command, then sends it if connected. Resolves once it is stored. */
  async enqueue(roomKey: string, command: Command): Promise<number> {
    const count = await this.update((entries) => {
      const next = entries.some((e) => e.id === command.id)
        ? entries
        : [...entries, { id: command.id, roomKey, command, queuedAt: (this.hooks.now ?? Date.now)(), attempts: 0 }];
      return { next, result: next.filter((e) => e.roomKey === roomKey).length };
    });
    void this.flush();
    return count;
  }

  async pending(roomKey?: string): Promise<OutboxEntry[]> {
    const entries = await this.update((e) => ({ result: e }));
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
    await this.update((entries) => ({ next: entries.filter((e) => e.roomKey !== roomKey), result: undefined }));
  }

  /**
   * Sends every queued entry of the attached room that is not already in flight [O4], and
   * resolves when all sends started so far (by this call or an earlier one) have settled.
   */
  async flush(): Promise<void> {
    const target = this.attached;
    if (target && target.transport.connected) {
      const toSend = await this.update((entries) => ({
        result: entries.filter((e) => e.roomKey === target.roomKey && !this.inflight.has(e.id)),
      }));
      for (const entry of toSend) {
        if (this.inflight.has(entry.id)) continue; // a concurrent flush took it meanwhile
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
    await Promise.all([...this.sending]);
  }

  private async settle(target: NonNullable<Outbox['attached']>, entry: OutboxEntry, reply: CommandReply): Promise<void> {
    if (!reply.ok && RETRYABLE.has(reply.error.code)) {
      if (this.attached === target) this.inflight.delete(entry.id);
      return;
    }
    await this.update((entries) => ({ next: entries.filter((e) => e.id !== entry.id), result: undefined }));
    this.inflight.delete(entry.id);
    if (reply.ok) this.hooks.onAcked?.(entry, reply);
    else this.hooks.onRefused?.(entry, reply.error);
  }
}
