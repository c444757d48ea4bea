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
 * Storage writes are serialised through one promise chain so concurrent clicks never lose an entry.
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
  private readonly inflight = new Set<string>();
  /** Sends waiting for their answer: flush() resolves only when these have settled too. */
  private readonly sending = new Set<Promise<void>>();
  private attached: { roomKey: string; transport: CommandTransport } | null = null;

  constructor(
    private readonly store: OutboxStore,
    private readonly hooks: OutboxHooks = {},
  ) {}

  /** Runs storage mutations one after another (a read-modify-write must not interleave). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** [O1] Persists the command, then tries to send it. Resolves once it is stored. */
  async enqueue(roomKey: string, command: Command): Promise<number> {
    const count = await this.serial(async () => {
      // Never mutate what storage returned: the item's fallback [] is a shared object.
      let entries = await this.store.getValue();
      if (!entries.some((e) => e.id === command.id)) {
        entries = [...entries, { id: command.id, roomKey, command, queuedAt: (this.hooks.now ?? Date.now)(), attempts: 0 }];
        await this.store.setValue(entries);
      }
      return entries.filter((e) => e.roomKey === roomKey).length;
    });
    void this.flush();
    return count;
  }

  async pending(roomKey?: string): Promise<OutboxEntry[]> {
    const entries = await this.store.getValue();
    return roomKey === undefined ? entries : entries.filter((e) => e.roomKey === roomKey);
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
    await this.serial(async () => {
      const entries = await this.store.getValue();
      await this.store.setValue(entries.filter((e) => e.roomKey !== roomKey));
    });
  }

  /**
   * Sends every queued entry of the attached room that is not already in flight [O4], and
   * resolves when all sends started so far (by this call or an earlier one) have settled.
   */
  async flush(): Promise<void> {
    const target = this.attached;
    if (!target || !target.transport.connected) {
      await Promise.all([...this.sending]);
      return;
    }
    const entries = await this.serial(async () => {
      const all = await this.store.getValue();
      const toSend = all.filter((e) => e.roomKey === target.roomKey && !this.inflight.has(e.id));
      if (toSend.length === 0) return [];
      for (const e of toSend) this.inflight.add(e.id);
      await this.store.setValue(all.map((e) => (toSend.includes(e) ? { ...e, attempts: e.attempts + 1 } : e)));
      return toSend;
    });
    for (const entry of entries) {
      const p: Promise<void> = target.transport.send(entry.command).then(
        (reply) => this.settle(target, entry, reply),
        () => {
          // No answer: keep it queued; the next reconnect / alarm / enqueue retries it.
          if (this.attached === target) this.inflight.delete(entry.id);
        },
      );
      const tracked = p.finally(() => this.sending.delete(tracked));
      this.sending.add(tracked);
    }
    await Promise.all([...this.sending]);
  }

  private async settle(target: NonNullable<Outbox['attached']>, entry: OutboxEntry, reply: CommandReply): Promise<void> {
    if (!reply.ok && RETRYABLE.has(reply.error.code)) {
      if (this.attached === target) this.inflight.delete(entry.id);
      return;
    }
    await this.serial(async () => {
      const all = await this.store.getValue();
      await this.store.setValue(all.filter((e) => e.id !== entry.id));
    });
    this.inflight.delete(entry.id);
    if (reply.ok) this.hooks.onAcked?.(entry, reply);
    else this.hooks.onRefused?.(entry, reply.error);
  }
}
