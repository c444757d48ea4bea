/**
 * A test stand-in for the relay's bookkeeping around the pure reducer: the same three maps
 * overlay/relay/room-hub.ts keeps (answers by command id, sales by id, sale ids by orderId),
 * the sales filled from the events by the relay's own fold (shared/sales-fold.ts). No I/O, so the reducer can be
 * driven through long command sequences. Every state is deep-frozen before the reducer sees
 * it, so any mutation of its input throws.
 */
import { parseCommand, type Command } from '../../shared/commands.js';
import { emptyRoom, type Role, type RoomState, type SaleSource } from '../../shared/domain.js';
import type { LoggedCommand } from '../../shared/commands/undo.js';
import { foldSales, noSalesWritten, saleLookups } from '../../shared/sales-fold.js';
import {
  applyCommand,
  processCommand,
  type ApplyOutcome,
  type CommandAnswer,
  type ProcessContext,
  type ProcessOutcome,
} from '../../shared/room-reducer.js';

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

/** Validates like the relay does; a test that builds a bad command by mistake fails loudly. */
export function cmd(input: Record<string, unknown>): Command {
  const r = parseCommand(input);
  if (!r.ok) throw new Error(`test command is invalid: ${JSON.stringify(r.issues)}`);
  return r.value;
}

export const T0 = 1_700_000_000_000;

export class TestRelay {
  state: RoomState;
  readonly answers = new Map<string, CommandAnswer>();
  /** Every sale and orderId the applied commands wrote, as the relay's store holds them. */
  private readonly written = noSalesWritten();
  readonly sales = this.written.sales;
  readonly orders = this.written.orders;
  private readonly lookups = saleLookups(this.written);
  /** The audit log's reversal records by command id, as the relay's store keeps them (command.undo). */
  readonly log = new Map<string, LoggedCommand>();
  now = T0;
  private seq = 0;

  constructor(currency = 'CNY', locale = 'zh-CN') {
    this.state = deepFreeze(emptyRoom('r_test', { title: 'Test room', currency, locale }, T0));
  }

  ctx(by: Role = 'host', source: SaleSource = 'console'): ProcessContext {
    return {
      now: this.now,
      by,
      source,
      answer: (id) => this.answers.get(id),
      ...this.lookups,
      logged: (id) => this.log.get(id),
    };
  }

  nextId(prefix = 'c'): string {
    this.seq += 1;
    return `${prefix}${this.seq}`;
  }

  /** applyCommand alone (no exactly-once layer), on the frozen current state; does not apply. */
  apply(input: Record<string, unknown>, by: Role = 'host'): ApplyOutcome {
    return applyCommand(this.state, cmd({ id: this.nextId(), ...input }), this.ctx(by));
  }

  /** processCommand and, when applied, commit it like the relay: state, answer, sales, orders. */
  send(input: Record<string, unknown>, by: Role = 'host', source: SaleSource = 'console'): ProcessOutcome {
    const command = cmd({ id: this.nextId(), ...input });
    const out = processCommand(this.state, command, this.ctx(by, source));
    if (out.kind === 'applied') {
      this.state = deepFreeze(out.state);
      this.answers.set(command.id, out.answer);
      foldSales(this.written, out.events);
      this.log.set(command.id, { seq: out.state.version, type: command.type, ...(out.inverse && { inverse: out.inverse }) });
      for (const ev of out.events) {
        const target = ev.type === 'command.undone' ? this.log.get(ev.commandId) : undefined;
        if (target && ev.type === 'command.undone') this.log.set(ev.commandId, { ...target, undoneBy: command.id });
      }
    }
    this.now += 1000;
    return out;
  }

  /** send, expecting it to be applied; returns the answer's result. */
  ok(input: Record<string, unknown>, by: Role = 'host'): CommandAnswer['result'] {
    const out = this.send(input, by);
    if (out.kind !== 'applied') throw new Error(`expected ${String(input.type)} to apply, got ${JSON.stringify(out)}`);
    return out.answer.result;
  }

  product(id: string) {
    const p = this.state.products.find((x) => x.id === id);
    if (!p) throw new Error(`no product ${id}`);
    return p;
  }
}

/** A room with three products: POM (stock 5), RICE (unlimited), EGG (stock 0, sold out). */
export function seededRelay(): { r: TestRelay; pom: string; rice: string; egg: string } {
  const r = new TestRelay();
  const add = (sku: string, name: string, priceMinor: number, stock: number | null) => {
    const id = r.ok({ type: 'product.add', product: { sku, name, priceMinor, stock } }).productId;
    if (!id) throw new Error('product.add gave no productId');
    return id;
  };
  const pom = add('POM', '永春芦柑', 5990, 5);
  const rice = add('RICE', '五常稻花香大米', 12800, null);
  const egg = add('EGG', '土鸡蛋', 3500, 0);
  return { r, pom, rice, egg };
}
