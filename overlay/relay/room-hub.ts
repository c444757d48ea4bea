/**
 * The rooms a relay process serves, each run by one RoomActor: the single writer of that
 * room. Commands queue in the actor; each event-loop turn the actor applies everything queued
 * through the shared pure reducer, persists the whole batch in one durable commit (group
 * commit), then answers every sender and publishes the new state. Nothing is answered
 * before its commit returned; a failed commit answers 503 and leaves memory as it was.
 */
import type { Command } from '../../shared/commands.js';
import type { Role, RoomState, Sale, SaleSource } from '../../shared/domain.js';
import type { ErrorBody, CommandReply } from '../../shared/protocol.js';
import { STATUS_OF } from '../../shared/protocol.js';
import { processCommand, type CommandAnswer, type RoomError } from '../../shared/room-reducer.js';
import type { CommitEntry, LoadedRoom, RoomStore, TokenHashes } from './room-store.js';
import type { Clock, Logger } from './deps.js';

interface Pending {
  command: Command;
  by: Role;
  source: SaleSource;
  resolve: (reply: CommandReply) => void;
}

const MAX_BATCH = 512;

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

export class RoomActor {
  private queue: Pending[] = [];
  private scheduled = false;
  private running = false;

  constructor(
    private loaded: LoadedRoom,
    private readonly store: RoomStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly onState: (state: RoomState) => void,
  ) {}

  get state(): RoomState {
    return this.loaded.state;
  }

  get tokenHashes(): TokenHashes {
    return this.loaded.tokenHashes;
  }

  setTokenHash(role: Role, hash: string): void {
    this.loaded.tokenHashes = { ...this.loaded.tokenHashes, [role]: hash };
  }

  submit(command: Command, by: Role, source: SaleSource): Promise<CommandReply> {
    return new Promise((resolve) => {
      this.queue.push({ command, by, source, resolve });
      if (!this.scheduled && !this.running) {
        this.scheduled = true;
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
    }
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    const prev = this.loaded.state;
    const { answers, sales, orders } = this.loaded;
    // Batch-local overlays: the shared maps change only once the commit is durable.
    const newAnswers = new Map<string, CommandAnswer>();
    const newSales = new Map<string, Sale>();
    const newOrders = new Map<string, string>();
    const ctxBase = {
      answer: (id: string) => newAnswers.get(id) ?? answers.get(id),
      sale: (id: string) => newSales.get(id) ?? sales.get(id),
      saleByOrder: (orderId: string) => {
        const id = newOrders.get(orderId) ?? orders.get(orderId);
        return id === undefined ? undefined : (newSales.get(id) ?? sales.get(id));
      },
    };
    let state = prev;
    const entries: CommitEntry[] = [];
    const replies: { p: Pending; reply: CommandReply }[] = [];
    for (const p of batch) {
      const now = this.clock.now();
      const out = processCommand(state, p.command, { ...ctxBase, now, by: p.by, source: p.source });
      if (out.kind === 'rejected') {
        replies.push({ p, reply: { ok: false, error: roomErrorBody(out.error, state) } });
        continue;
      }
      if (out.kind === 'duplicate') {
        replies.push({ p, reply: out.answer });
        continue;
      }
      state = out.state;
      newAnswers.set(p.command.id, out.answer);
      for (const ev of out.events) {
        if (ev.type === 'sale.recorded' || ev.type === 'sale.voided') {
          newSales.set(ev.sale.id, ev.sale);
          if (ev.sale.orderId !== null) newOrders.set(ev.sale.orderId, ev.sale.id);
        }
      }
      entries.push({ command: p.command, by: p.by, at: now, answer: out.answer, events: out.events });
      replies.push({ p, reply: out.answer });
    }
    if (entries.length) {
      try {
        await this.store.commit(prev, state, entries);
      } catch (err) {
        this.logger.error({ err, room: prev.id }, 'commit failed; the batch is refused and nothing was applied');
        const error: ErrorBody = { code: 'unavailable', status: 503, message: 'the relay could not store this change; nothing was applied, try again' };
        for (const { p } of replies) p.resolve({ ok: false, error });
        return;
      }
      this.loaded.state = state;
      for (const [k, v] of newAnswers) answers.set(k, v);
      for (const [k, v] of newSales) sales.set(k, v);
      for (const [k, v] of newOrders) orders.set(k, v);
    }
    for (const { p, reply } of replies) p.resolve(reply);
    if (entries.length) this.onState(state);
  }
}

export class RoomHub {
  private readonly actors = new Map<string, Promise<RoomActor | undefined>>();

  constructor(
    private readonly store: RoomStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly onState: (state: RoomState) => void,
  ) {}

  get(roomId: string): Promise<RoomActor | undefined> {
    let actor = this.actors.get(roomId);
    if (!actor) {
      actor = this.store.loadRoom(roomId).then((loaded) => (loaded ? new RoomActor(loaded, this.store, this.clock, this.logger, this.onState) : undefined));
      // An unknown room is not cached, so a room created by another process is found later.
      actor.then((a) => {
        if (!a) this.actors.delete(roomId);
      }, () => this.actors.delete(roomId));
      this.actors.set(roomId, actor);
    }
    return actor;
  }

  async create(state: RoomState, hashes: TokenHashes): Promise<void> {
    await this.store.createRoom(state, hashes);
  }
}
