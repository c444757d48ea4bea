/**
 * The host's log and people view model (extension/ui/host-tools.ts) over a recording api: the
 * past read once from the room version, live entries merged by seq (heard before the past too),
 * newest first and at most 50; an undo's entry marks its target undone; a refused Undo's reason
 * comes from the outbox's refusal notice (matched by the undo's command id); "superseded" names
 * the later entry on the same thing; invite and revoke read the list again.
 */
import { signal } from '@preact/signals';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/audit';
import type { Command } from '../../shared/commands';
import type { RoomState } from '../../shared/domain';
import type { Notice } from '../../extension/common/storage-items';
import { parsePush } from '../../extension/common/console-port';
import { createHostTools, hostRequest, LOG_SIZE, mergeLog, supersededBy, type HostAnswer, type HostCall } from '../../extension/ui/host-tools';

const entry = (seq: number, type: AuditEntry['type'], extra: Partial<AuditEntry> = {}): AuditEntry => ({ seq, at: 1000 + seq, commandId: `c${seq}`, type, by: { role: 'host' }, summary: {}, ...extra });

function harness(answers: (c: HostCall) => HostAnswer) {
  const calls: HostCall[] = [];
  const sent: Command[] = [];
  const notice = signal<Notice | null>(null);
  const room = signal({ version: 120 } as RoomState);
  const online = signal(true);
  const tools = createHostTools({
    api: { call: async (c) => (calls.push(c), answers(c)) },
    room,
    send: async (c) => sent.push(c),
    notice,
    dismissNotice: async () => void (notice.value = null),
    online,
  });
  return { tools, calls, sent, notice, online };
}

describe('the log', () => {
  it('reads the last 50 entries from the room version once, and merges live ones heard before and after by seq', async () => {
    const { tools, calls } = harness(() => ({ ok: true, body: { entries: [entry(100, 'card.show'), entry(101, 'sale.record')] } }));
    tools.takeLive([entry(101, 'sale.record'), entry(102, 'ticker.push')]);
    await tools.openLog();
    await tools.openLog();
    expect(calls).toEqual([{ kind: 'audit', after: 120 - LOG_SIZE, limit: LOG_SIZE }]);
    tools.takeLive([entry(103, 'card.hide'), entry(102, 'ticker.push')]);
    expect(tools.entries.value.map((e) => e.seq)).toEqual([103, 102, 101, 100]);
  });

  it('reads what it missed while the socket was down, from the newest seq it shows', async () => {
    let page = [entry(100, 'card.show')];
    const { tools, calls, online } = harness(() => ({ ok: true, body: { entries: page } }));
    await tools.openLog();
    online.value = false;
    page = [entry(101, 'ticker.push'), entry(102, 'card.hide')];
    online.value = true;
    await new Promise((r) => setTimeout(r, 0));
    expect(calls.at(-1)).toEqual({ kind: 'audit', after: 100, limit: LOG_SIZE });
    expect(tools.entries.value.map((e) => e.seq)).toEqual([102, 101, 100]);
  });

  it('keeps the newest 50, and marks an entry undone when its undo arrives', () => {
    const many = Array.from({ length: 60 }, (_, i) => entry(i + 1, 'sale.record'));
    const merged = mergeLog(many, [entry(61, 'command.undo', { summary: { undone: 'c60' } })]);
    expect(merged).toHaveLength(LOG_SIZE);
    expect(merged[0]!.seq).toBe(61);
    expect(merged[1]).toMatchObject({ commandId: 'c60', undoneBy: 'c61' });
  });

  it('sends command.undo with an id made at the tap, and shows a refusal next to its line from the notice', async () => {
    const { tools, sent, notice } = harness(() => ({ ok: true, body: { entries: [] } }));
    await tools.undo('c7');
    expect(sent).toEqual([{ id: expect.stringMatching(/^undo/), type: 'command.undo', commandId: 'c7' }]);
    expect(tools.undos.value['c7']).toMatchObject({ phase: 'sending' });
    // A notice of another command is not this line's.
    notice.value = { id: 'other', at: 1, commandType: 'command.undo', code: 'conflict', reason: 'superseded', message: 'x', field: null };
    expect(tools.undos.value['c7']).toMatchObject({ phase: 'sending' });
    notice.value = { id: sent[0]!.id, at: 1, commandType: 'command.undo', code: 'conflict', reason: 'superseded', message: 'the card changed', field: 'commandId' };
    expect(tools.undos.value['c7']).toEqual({ phase: 'refused', code: 'conflict', reason: 'superseded', message: 'the card changed' });
    expect(notice.value).toBe(null);
  });

  it.each([
    ['a card by a later card', entry(5, 'card.show'), [entry(9, 'card.next', { by: { role: 'cohost', personId: 'p', name: '王县长' } }), entry(8, 'ticker.push')], 9],
    ['a stock by a later sale of the product', entry(5, 'stock.set', { summary: { productId: 'a' } }), [entry(7, 'sale.record', { summary: { productId: 'a' } }), entry(6, 'sale.record', { summary: { productId: 'b' } })], 7],
    ['nothing when only other things changed', entry(5, 'countdown.start'), [entry(7, 'card.show'), entry(6, 'ticker.clear')], undefined],
  ])('names who superseded %s', (_name, target, later, seq) => {
    expect(supersededBy([...later, target], target)?.seq).toBe(seq);
  });
});

describe('people', () => {
  it('invites, shows the link, and reads the list again; a refused invite names the field', async () => {
    const { tools, calls } = harness((c) =>
      c.kind === 'invite'
        ? c.name === 'bad'
          ? { ok: false, status: 400, code: 'invalid', message: 'name: must not be empty', field: 'name' }
          : { ok: true, body: { person: { id: 'p1', name: c.name, role: c.role }, token: 'lsc_x', link: 'http://r/pair#v=1&room=r&role=cohost&token=lsc_x' } }
        : { ok: true, body: { people: [{ id: 'p1', name: '王县长', role: 'cohost', createdAt: 1, lastSeenAt: null, connected: false }] } },
    );
    expect(await tools.invite('王县长', 'cohost')).toMatchObject({ person: { id: 'p1' }, link: expect.stringContaining('/pair#') });
    expect(tools.people.value).toEqual([{ id: 'p1', name: '王县长', role: 'cohost', createdAt: 1, lastSeenAt: null, connected: false }]);
    expect(calls.map((c) => c.kind)).toEqual(['invite', 'people']);
    expect(await tools.invite('bad', 'cohost')).toBe(null);
    expect(tools.failure.value).toMatchObject({ what: 'invite', field: 'name' });
  });

  it('maps each call to the relay route', () => {
    expect(hostRequest('r_1', { kind: 'audit', after: 3, limit: 50 })).toEqual({ method: 'GET', path: '/api/rooms/r_1/audit?after=3&limit=50' });
    expect(hostRequest('r_1', { kind: 'invite', name: 'A', role: 'sales' })).toEqual({ method: 'POST', path: '/api/rooms/r_1/people', body: { name: 'A', role: 'sales' } });
    expect(hostRequest('r_1', { kind: 'revoke', id: 'p/1' })).toEqual({ method: 'DELETE', path: '/api/rooms/r_1/people/p%2F1' });
  });
});

describe("the worker's push of live entries", () => {
  it('passes audit.entries with a room key and a list, and drops anything else', () => {
    const push = { type: 'audit.entries', roomKey: 'r@h', entries: [entry(3, 'card.show')] };
    expect(parsePush(push)).toEqual(push);
    expect(parsePush({ type: 'audit.entries', roomKey: 'r@h', entries: 'no' })).toBeNull();
    expect(parsePush({ type: 'audit.entries', entries: [] })).toBeNull();
  });
});
