/**
 * The relay's broadcast (overlay/relay/broadcaster.ts) against a recording stand-in for
 * socket.io's `io.to(room).emit` (what goes out to which room is the point here; the real
 * server is in tests/integration/relay-patch.test.ts): a commit that follows the state last
 * sent goes out as its own patch, the very object the actor made (no second diff); commits
 * held back by the throttle go out as one composed patch; a state that does not follow goes
 * out as today (a diff against the state sent, or the full state).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RoomState } from '../../shared/domain.js';
import { applyPatch, diffRoom, type RoomPatch } from '../../shared/room-patch.js';
import { createBroadcaster } from '../../overlay/relay/broadcaster.js';
import type { RoomChange } from '../../overlay/relay/room-hub.js';
import type { RelayServer } from '../../overlay/relay/socket-session.js';
import { seededRelay } from './room-harness.js';

type Sent = { room: string; event: string; data: RoomState | RoomPatch };

function recordingIo(sent: Sent[]): RelayServer {
  const io = {
    of: () => ({ adapter: { rooms: new Map() } }),
    to: (room: string) => ({ emit: (event: string, data: RoomState | RoomPatch) => void sent.push({ room, event, data }) }),
  };
  return io as unknown as RelayServer;
}

describe('broadcaster', () => {
  let sent: Sent[];
  let b: ReturnType<typeof createBroadcaster>;
  const { r, rice, pom } = seededRelay();
  /** One command committed: the change the room actor hands over. */
  const commit = (input: Record<string, unknown>): RoomChange => {
    const prev = r.state;
    r.ok(input);
    return { prev, next: r.state, patch: diffRoom(prev, r.state) };
  };
  const toPatchRoom = () => sent.filter((s) => s.room.endsWith('#patch'));

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    b = createBroadcaster(recordingIo(sent), { publicUrl: 'http://x', adminToken: 'a', sharedBroadcasts: true, broadcastIntervalMs: 16 });
  });
  afterEach(() => vi.useRealTimers());

  it('sends the full state first, then each following commit as its own patch object', () => {
    b.publish(commit({ type: 'sale.record', productId: rice }));
    vi.advanceTimersByTime(20);
    const second = commit({ type: 'sale.record', productId: pom });
    b.publish(second);
    expect(toPatchRoom().map((s) => s.event)).toEqual(['room.state', 'room.patch']);
    expect(toPatchRoom()[1]!.data).toBe(second.patch);
    // Clients without patches get full states only.
    expect(sent.filter((s) => !s.room.endsWith('#patch')).map((s) => [s.event, (s.data as RoomState).version])).toEqual([
      ['room.state', second.prev.version],
      ['room.state', second.next.version],
    ]);
  });

  it('composes the commits the throttle held back into one patch from the state last sent', () => {
    const first = commit({ type: 'card.show', productId: rice });
    b.publish(first);
    b.publish(commit({ type: 'sale.record', productId: rice }));
    b.publish(commit({ type: 'queue.move', productId: pom, toIndex: 2 }));
    b.publish(commit({ type: 'ticker.push', text: 'hi' }));
    expect(toPatchRoom()).toHaveLength(1);
    vi.advanceTimersByTime(20);
    const out = toPatchRoom();
    expect(out.map((s) => s.event)).toEqual(['room.state', 'room.patch']);
    const patch = out[1]!.data as RoomPatch;
    expect(patch.baseVersion).toBe(first.next.version);
    expect(applyPatch(first.next, patch)).toEqual(r.state);
  });

  it('sends a state that does not follow the one sent as a diff against it, or whole when it is not newer', () => {
    b.publish(commit({ type: 'sale.record', productId: rice }));
    const sentState = r.state;
    // Another process committed twice; this one reloaded the room and commits on top.
    commit({ type: 'sale.record', productId: pom });
    const reloaded = structuredClone(r.state);
    r.state = reloaded;
    vi.advanceTimersByTime(20);
    const foreign = commit({ type: 'ticker.push', text: 'from B' });
    b.publish(foreign);
    const patch = toPatchRoom()[1]!.data as RoomPatch;
    expect(patch).not.toBe(foreign.patch);
    expect(patch.baseVersion).toBe(sentState.version);
    expect(applyPatch(sentState, patch)).toEqual(foreign.next);
    // A store restored from a backup: an older version than the one sent goes out whole.
    vi.advanceTimersByTime(20);
    b.publish({ prev: sentState, next: { ...sentState, version: 1 }, patch: diffRoom(sentState, sentState) });
    expect(toPatchRoom()[2]).toMatchObject({ event: 'room.state', data: { version: 1 } });
  });

  it('sends what it held back when flushed (shutdown), and nothing twice', () => {
    b.publish(commit({ type: 'sale.record', productId: rice }));
    b.publish(commit({ type: 'sale.record', productId: rice }));
    b.flush();
    expect(toPatchRoom().map((s) => s.event)).toEqual(['room.state', 'room.patch']);
    vi.advanceTimersByTime(50);
    expect(toPatchRoom()).toHaveLength(2);
    expect(b.inUse(r.state.id)).toBe(false);
  });
  it("sends the host consoles the audit entries of every commit it held back, in order, after the patch", () => {
    const entry = (seq: number, commandId: string) => ({ seq, at: 1, commandId, type: 'sale.record' as const, by: { role: 'host' as const }, summary: {} });
    const a = commit({ type: 'sale.record', productId: rice });
    b.publish({ ...a, audit: [entry(a.next.version, 'a')] });
    const c = commit({ type: 'sale.record', productId: rice });
    b.publish({ ...c, audit: [entry(c.next.version, 'c')] });
    // Not chained to the one held (another process's state): the patch is diffed, the entries still add up.
    const d = commit({ type: 'sale.record', productId: pom });
    b.publish({ ...d, prev: structuredClone(d.prev), audit: [entry(d.next.version, 'd')] });
    vi.advanceTimersByTime(20);
    const events = sent.filter((s) => s.room.endsWith('#patch') || s.room.endsWith('#host')).map((s) => `${s.room.slice(s.room.indexOf('#'))} ${s.event}`);
    expect(events).toEqual(['#patch room.state', '#host audit.entries', '#patch room.patch', '#host audit.entries']);
    const audits = sent.filter((s) => s.event === 'audit.entries').map((s) => (s.data as unknown as { entries: { commandId: string }[] }).entries.map((e) => e.commandId));
    expect(audits).toEqual([['a'], ['c', 'd']]);
  });
});
