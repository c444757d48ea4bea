/**
 * command.undo (issue 18, rules [U1]–[U3] of shared/commands/undo.ts), through the same harness
 * as the reducer's tests: the reducer records each applied command's reversal, the harness
 * keeps it as the relay's store does, and command.undo reads it back.
 */
import { describe, expect, it } from 'vitest';
import type { RoomState } from '../../shared/domain.js';
import { seededRelay, type TestRelay } from './room-harness.js';

type Ids = { pom: string; rice: string; egg: string };
type Input = Record<string, unknown>;

/** [U1] name, set-up, the command undone, what the room must look like after the undo. */
const REVERSALS: [string, (r: TestRelay, i: Ids) => void, (i: Ids) => Input, (after: RoomState, before: RoomState, i: Ids) => void][] = [
  ['[U1] card.show restores the card before (another product, shown)', (r, i) => void r.ok({ type: 'card.show', productId: i.rice }), (i) => ({ type: 'card.show', productId: i.pom }), (a, _b, i) => expect([a.currentProductId, a.cardVisible]).toEqual([i.rice, true])],
  ['[U1] card.show restores the card before (none, hidden)', () => {}, (i) => ({ type: 'card.show', productId: i.pom }), (a) => expect([a.currentProductId, a.cardVisible]).toEqual([null, false])],
  ['[U1] card.hide shows the card again', (r, i) => void r.ok({ type: 'card.show', productId: i.pom }), () => ({ type: 'card.hide' }), (a, _b, i) => expect([a.currentProductId, a.cardVisible]).toEqual([i.pom, true])],
  ['[U1] card.next goes back to the product before', (r, i) => void r.ok({ type: 'card.show', productId: i.pom }), () => ({ type: 'card.next' }), (a, _b, i) => expect(a.currentProductId).toBe(i.pom)],
  ['[U1] ticker.push takes its line off, the others stay', (r) => void r.ok({ id: 'keep', type: 'ticker.push', text: '包邮' }), () => ({ type: 'ticker.push', text: '限时' }), (a) => expect(a.ticker.map((m) => m.text)).toEqual(['包邮'])],
  ['[U1] ticker.clear puts the cleared lines back', (r) => { r.ok({ type: 'ticker.push', text: 'a' }); r.ok({ type: 'ticker.push', text: 'b' }); }, () => ({ type: 'ticker.clear' }), (a) => expect(a.ticker.map((m) => m.text)).toEqual(['a', 'b'])],
  ['[U1] countdown.start restores no countdown', () => {}, () => ({ type: 'countdown.start', seconds: 60 }), (a) => expect(a.countdown).toBeNull()],
  ['[U1] countdown.stop restores the countdown that ran', (r) => void r.ok({ type: 'countdown.start', seconds: 90, label: '秒杀' }), () => ({ type: 'countdown.stop' }), (a, b) => expect(a.countdown).toEqual(b.countdown)],
  ['[U1] product.update restores the fields it changed, not the others', () => {}, (i) => ({ type: 'product.update', productId: i.pom, changes: { name: '芦柑', priceMinor: 4990 } }), (a, b, i) => {
    const p = a.products.find((x) => x.id === i.pom)!;
    expect([p.name, p.priceMinor]).toEqual(['永春芦柑', 5990]);
    expect(p).toEqual(b.products.find((x) => x.id === i.pom));
  }],
  ['[U1] stock.set restores the stock and sold-out', () => {}, (i) => ({ type: 'stock.set', productId: i.pom, stock: 0 }), (a, _b, i) => expect(a.products.find((x) => x.id === i.pom)).toMatchObject({ stock: 5, soldOut: false })],
  ['[U1] stock.set of a sold-out product makes it sold out again', () => {}, (i) => ({ type: 'stock.set', productId: i.egg, stock: 8 }), (a, _b, i) => expect(a.products.find((x) => x.id === i.egg)).toMatchObject({ stock: 0, soldOut: true })],
  ['[U1] sale.record voids the sale: stock, sold, totals back', () => {}, (i) => ({ type: 'sale.record', productId: i.pom, quantity: 2 }), (a, b, i) => {
    expect(a.totals).toEqual(b.totals);
    expect(a.products.find((x) => x.id === i.pom)).toMatchObject({ stock: 5, sold: 0 });
  }],
];

describe('command.undo', () => {
  it.each(REVERSALS)('%s', (_name, setup, input, check) => {
    const { r, pom, rice, egg } = seededRelay();
    const ids = { pom, rice, egg };
    setup(r, ids);
    const before = r.state;
    r.ok({ id: 'target', ...input(ids) });
    const out = r.send({ type: 'command.undo', commandId: 'target' });
    expect(out.kind).toBe('applied');
    check(r.state, before, ids);
    // [R1] the undo is a command of its own: one version more.
    expect(r.state.version).toBe(before.version + 2);
    // [U3] once only.
    expect(r.send({ type: 'command.undo', commandId: 'target' })).toMatchObject({ kind: 'rejected', error: { code: 'conflict', reason: 'already_undone', field: 'commandId' } });
  });

  /** [U2] name, the command undone, the later command that changed the same thing. */
  const SUPERSEDED: [string, (i: Ids) => Input, (i: Ids) => Input][] = [
    ['the card shows another product', (i) => ({ type: 'card.show', productId: i.pom }), (i) => ({ type: 'card.show', productId: i.rice })],
    ['the card was hidden', (i) => ({ type: 'card.show', productId: i.pom }), () => ({ type: 'card.hide' })],
    ['the ticker line was cleared', () => ({ type: 'ticker.push', text: 'x' }), () => ({ type: 'ticker.clear' })],
    ['a line was pushed after a clear', () => ({ type: 'ticker.clear' }), () => ({ type: 'ticker.push', text: 'y' })],
    ['the countdown was restarted', () => ({ type: 'countdown.start', seconds: 10 }), () => ({ type: 'countdown.start', seconds: 20 })],
    ['the price was changed again', (i) => ({ type: 'product.update', productId: i.pom, changes: { priceMinor: 100 } }), (i) => ({ type: 'product.update', productId: i.pom, changes: { priceMinor: 200 } })],
    ['a sale moved the stock', (i) => ({ type: 'stock.set', productId: i.pom, stock: 9 }), (i) => ({ type: 'sale.record', productId: i.pom })],
    ['the product was removed', (i) => ({ type: 'stock.set', productId: i.pom, stock: 9 }), (i) => ({ type: 'product.remove', productId: i.pom })],
  ];
  it.each(SUPERSEDED)('[U2] refuses superseded when %s, changing nothing', (_name, target, later) => {
    const { r, pom, rice, egg } = seededRelay();
    const ids = { pom, rice, egg };
    r.ok({ id: 'target', ...target(ids) });
    r.ok(later(ids));
    const before = r.state;
    expect(r.send({ type: 'command.undo', commandId: 'target' })).toMatchObject({ kind: 'rejected', error: { code: 'conflict', reason: 'superseded', field: 'commandId' } });
    expect(r.state).toBe(before);
  });

  it('[U2] a product.update whose other fields changed since is still undone (only its own fields are compared)', () => {
    const { r, pom } = seededRelay();
    r.ok({ id: 'target', type: 'product.update', productId: pom, changes: { name: '芦柑' } });
    r.ok({ type: 'product.update', productId: pom, changes: { priceMinor: 100 } });
    expect(r.send({ type: 'command.undo', commandId: 'target' }).kind).toBe('applied');
    expect(r.product(pom)).toMatchObject({ name: '永春芦柑', priceMinor: 100 });
  });

  it.each([
    ['[U1] not_undoable for a type it does not reverse', (r: TestRelay, i: Ids) => r.ok({ id: 'target', type: 'queue.move', productId: i.egg, toIndex: 0 }), 'target', 'invalid', 'not_undoable'],
    ['[U3] the undo itself is not undoable', (r: TestRelay, i: Ids) => { r.ok({ id: 'shown', type: 'card.show', productId: i.pom }); r.ok({ id: 'target', type: 'command.undo', commandId: 'shown' }); }, 'target', 'invalid', 'not_undoable'],
    ['[U3] unknown_command for an id never applied', () => {}, 'nope', 'not_found', 'unknown_command'],
    ['[U3] unknown_command for a refused command', (r: TestRelay) => void r.send({ id: 'target', type: 'card.show', productId: 'p-none' }), 'target', 'not_found', 'unknown_command'],
    ['a sale voided since is already_voided', (r: TestRelay, i: Ids) => { r.ok({ id: 'target', type: 'sale.record', productId: i.pom }); r.ok({ type: 'sale.void', saleId: 'target' }); }, 'target', 'conflict', 'already_voided'],
  ] as const)('%s', (_name, setup, commandId, code, reason) => {
    const { r, pom, rice, egg } = seededRelay();
    setup(r, { pom, rice, egg });
    const before = r.state;
    expect(r.send({ type: 'command.undo', commandId })).toMatchObject({ kind: 'rejected', error: { code, reason, field: 'commandId' } });
    expect(r.state).toBe(before);
  });

  it('[R8] is the host\'s only', () => {
    const { r, pom } = seededRelay();
    r.ok({ id: 'target', type: 'card.show', productId: pom }, 'cohost');
    for (const role of ['cohost', 'sales', 'overlay'] as const) {
      expect(r.send({ type: 'command.undo', commandId: 'target' }, role)).toMatchObject({ kind: 'rejected', error: { code: 'forbidden', reason: 'role' } });
    }
  });
});
