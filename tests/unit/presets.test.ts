/** presets.set (issue 18): ticker lines and countdowns the host prepares for a co-host to send in one tap. */
import { describe, expect, it } from 'vitest';
import { parseCommand, roleMay } from '../../shared/commands.js';
import { RoomStateSchema } from '../../shared/domain.js';
import { TestRelay } from './room-harness.js';

const refusal = (out: ReturnType<TestRelay['send']>) => (out.kind === 'rejected' ? out.error : out.kind);

describe('presets.set', () => {
  it('a new room has none; [P1] each list given replaces that list whole, the other stays', () => {
    const r = new TestRelay();
    expect(r.state.presets).toEqual({ ticker: [], countdowns: [] });
    r.ok({ type: 'presets.set', ticker: ['关注直播间领券', '下单备注「石榴」'], countdowns: [{ label: '秒杀', seconds: 60 }] });
    expect(r.state.presets).toEqual({ ticker: ['关注直播间领券', '下单备注「石榴」'], countdowns: [{ label: '秒杀', seconds: 60 }] });
    r.ok({ type: 'presets.set', ticker: ['包邮'] });
    expect(r.state.presets).toEqual({ ticker: ['包邮'], countdowns: [{ label: '秒杀', seconds: 60 }] });
    r.ok({ type: 'presets.set', countdowns: [] });
    expect(r.state.presets).toEqual({ ticker: ['包邮'], countdowns: [] });
  });

  it('[P2] lines are trimmed; the same line or countdown twice is refused naming its place, nothing applied', () => {
    const r = new TestRelay();
    r.ok({ type: 'presets.set', ticker: ['  包邮  '] });
    expect(r.state.presets.ticker).toEqual(['包邮']);
    const before = r.state;
    expect(refusal(r.send({ type: 'presets.set', ticker: ['包邮', '领券', ' 包邮'] }))).toMatchObject({ code: 'invalid', reason: 'duplicate_preset', field: 'ticker.2' });
    expect(refusal(r.send({ type: 'presets.set', countdowns: [{ label: '秒杀', seconds: 60 }, { label: '秒杀', seconds: 60 }] }))).toMatchObject({ reason: 'duplicate_preset', field: 'countdowns.1' });
    expect(r.state).toBe(before);
    // The same label with another time is another button.
    r.ok({ type: 'presets.set', countdowns: [{ label: '秒杀', seconds: 60 }, { label: '秒杀', seconds: 180 }] });
  });

  it('is the host’s: a co-host sends the presets (as ticker.push / countdown.start) but does not change them', () => {
    expect(roleMay('host', 'presets.set')).toBe(true);
    expect(roleMay('cohost', 'presets.set')).toBe(false);
    expect(roleMay('sales', 'presets.set')).toBe(false);
  });

  it('a room stored before presets existed reads none', () => {
    const r = new TestRelay();
    const { presets: _gone, ...old } = r.state;
    expect(RoomStateSchema.parse(old).presets).toEqual({ ticker: [], countdowns: [] });
  });
});

describe('presets.set schema', () => {
  const set = (over: Record<string, unknown>) => parseCommand({ id: 'c1', type: 'presets.set', ...over });
  it.each([
    ['an empty line', { ticker: ['  '] }, 'ticker.0', 'must'],
    ['a line of only zero-width characters', { ticker: ['\u200b\u200b'] }, 'ticker.0', 'visible'],
    ['a line over 140 characters', { ticker: ['好'.repeat(141)] }, 'ticker.0', 'at most 140'],
    ['21 lines', { ticker: Array.from({ length: 21 }, (_, i) => `第${i}条`) }, 'ticker', 'at most 20'],
    ['a countdown of 0 s', { countdowns: [{ label: '秒杀', seconds: 0 }] }, 'countdowns.0.seconds', 'at least 1'],
    ['a countdown over a day', { countdowns: [{ label: '秒杀', seconds: 86_401 }] }, 'countdowns.0.seconds', 'at most 86400'],
    ['a countdown with an unknown field', { countdowns: [{ label: '秒杀', seconds: 60, colour: 'red' }] }, 'countdowns.0', 'colour'],
    ['11 countdowns', { countdowns: Array.from({ length: 11 }, (_, i) => ({ label: `${i}`, seconds: 60 })) }, 'countdowns', 'at most 10'],
  ])('refuses %s, naming the field', (_n, over, field, message) => {
    const r = set(over);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toEqual({ field, message: expect.stringContaining(message) });
  });
});
