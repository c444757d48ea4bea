/**
 * Cross-process broadcast for several relay processes: the socket.io Redis adapter (pub/sub),
 * so `io.to(room).emit` from any process reaches the clients of every process.
 *
 * One guard on top: each process delivers the states of a room to its own clients in version
 * order. Two processes commit the same room one after the other, but their broadcasts travel
 * different paths (one local, one through Redis) and can arrive swapped; without the guard a
 * client could be left on the older state, since the newer one already went out.
 *
 * The adapter's Redis clients keep an offline queue and retry forever: the adapter does not
 * handle a rejected publish, and a broadcast that waits for Redis to come back is harmless
 * (the relay commits nothing while Redis is down anyway).
 */
import { Redis } from 'ioredis';
import { RedisAdapter } from '@socket.io/redis-adapter';
import type { Adapter, BroadcastOptions } from 'socket.io-adapter';
import type { Namespace } from 'socket.io';
import { PATCH_SUFFIX, patchRoom } from './patch-room.js';

type OnMessage = (pattern: string | null, channel: Buffer | string, msg: Buffer) => void;

/** The room state a packet carries, if it is a `room.state` broadcast. */
function roomStateOf(packet: unknown): { id: string; version: number } | undefined {
  const data = (packet as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data[0] !== 'room.state') return undefined;
  const s = data[1] as { id?: unknown; version?: unknown } | null;
  return s && typeof s.id === 'string' && typeof s.version === 'number' ? { id: s.id, version: s.version } : undefined;
}

class OrderedStateAdapter extends RedisAdapter {
  /** Room id → highest state version this process delivered to its clients. */
  private readonly delivered = new Map<string, number>();

  /** False for a state older than one already delivered here. */
  inOrder(packet: unknown): boolean {
    const s = roomStateOf(packet);
    if (!s) return true;
    const seen = this.delivered.get(s.id);
    if (seen !== undefined && s.version < seen) return false;
    this.delivered.set(s.id, s.version);
    return true;
  }

  override broadcast(packet: unknown, opts: BroadcastOptions): void {
    if (this.inOrder(packet)) super.broadcast(packet, opts);
  }
}

// `onmessage` (a broadcast from another process) is private in the adapter's types, so the
// guard is attached to the prototype; the adapter binds it in its constructor, so this one is used.
const proto = OrderedStateAdapter.prototype as unknown as { onmessage: OnMessage; parser: { decode(msg: Buffer): unknown } };
const remoteBroadcast = (RedisAdapter.prototype as unknown as { onmessage: OnMessage }).onmessage;
proto.onmessage = function (this: OrderedStateAdapter, pattern, channel, msg) {
  let packet: unknown;
  try {
    packet = (this.parser.decode(msg) as unknown[])[1];
  } catch {
    return; // not ours: the adapter would ignore it too
  }
  if (this.inOrder(packet)) remoteBroadcast.call(this, pattern, channel, msg);
};

export interface RedisBroadcast {
  adapter: (nsp: Namespace) => Adapter;
  close(): Promise<void>;
}

/**
 * @param onResubscribed called when the subscription came back after it was lost (Redis
 * restarted, the link broke): broadcasts sent meanwhile by other processes never arrived here.
 */
export function createRedisBroadcast(url: string, onResubscribed: () => void = () => {}, key = 'liveshelf'): RedisBroadcast {
  const pub = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(50 * times, 500) });
  const sub = pub.duplicate();
  // Errors while Redis is down are expected; the clients reconnect and resubscribe by themselves.
  pub.on('error', () => {});
  sub.on('error', () => {});
  let subscribedOnce = false;
  sub.on('ready', () => {
    if (subscribedOnce) onResubscribed();
    subscribedOnce = true;
  });
  return {
    // A function, not an arrow: socket.io calls the adapter with `new`.
    adapter: function (nsp: Namespace) {
      return new OrderedStateAdapter(nsp, pub, sub, { key });
    },
    async close() {
      pub.disconnect();
      sub.disconnect();
    },
  };
}

/** What catching up needs from the relay: its socket.io server and its rooms. */
export interface CatchUpTarget {
  io: { of(nsp: '/'): Namespace };
  hub: { fresh(roomId: string): Promise<{ state: { id: string } } | undefined> };
}

/**
 * Sends every room that has clients on this process its current stored state (through the
 * ordering guard, so nobody goes back a version). For after a lost subscription.
 */
export async function catchUpLocalRooms(relay: CatchUpTarget): Promise<void> {
  const nsp = relay.io.of('/');
  // Every socket is also in a room named after its id: those are not LiveShelf rooms. The
  // clients of a room that take patches are in its patch room: they get the full state too.
  const local = [...nsp.adapter.rooms.keys()].filter((id) => !nsp.sockets.has(id));
  const roomIds = new Set(local.map((id) => (id.endsWith(PATCH_SUFFIX) ? id.slice(0, -PATCH_SUFFIX.length) : id)));
  for (const id of roomIds) {
    try {
      const actor = await relay.hub.fresh(id);
      if (actor) nsp.local.to([id, patchRoom(id)]).emit('room.state', actor.state);
    } catch {
      return; // Redis went away again: the next resubscription tries again
    }
  }
}
