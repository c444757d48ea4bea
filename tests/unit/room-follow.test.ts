/**
 * The client half of room patches (shared/room-follow.ts), over a stand-in socket that only
 * records handlers (the real socket.io path runs in tests/integration/relay-patch.test.ts):
 * each state reaches the caller with the relay's patch that made it, a whole state without one,
 * so the extension's worker hands its pages the relay's patch instead of diffing again.
 */
import { describe, expect, it } from 'vitest';
import { emptyRoom, type RoomState } from '../../shared/domain.js';
import { followRoom, type FollowSocket } from '../../shared/room-follow.js';
import { diffRoom, type RoomPatch } from '../../shared/room-patch.js';

function fakeSocket() {
  const handlers = new Map<string, (arg: never) => void>();
  const socket = {
    connected: true,
    on: (event: string, fn: (arg: never) => void) => (handlers.set(event, fn), socket),
    timeout: () => ({ emit: () => undefined }),
  } as unknown as FollowSocket;
  const emit = (event: 'room.state' | 'room.patch', arg: RoomState | RoomPatch) => (handlers.get(event) as (a: typeof arg) => void)(arg);
  return { socket, emit };
}

describe('followRoom', () => {
  it('hands on the patch that made a state, and no patch with a whole state', () => {
    const v0 = emptyRoom('r_1', { title: 'Salon', currency: 'EUR', locale: 'fr' }, 1000);
    const v1: RoomState = { ...v0, version: 1, cardVisible: true, updatedAt: 2000 };
    const got: Array<[RoomState, RoomPatch | undefined]> = [];
    const { socket, emit } = fakeSocket();
    followRoom(socket, (s, patch) => got.push([s, patch]));
    emit('room.state', v0);
    const patch = diffRoom(v0, v1);
    emit('room.patch', patch);
    expect(got).toEqual([
      [v0, undefined],
      [v1, patch],
    ]);
    expect(got[1]![1]).toBe(patch);
  });
});
