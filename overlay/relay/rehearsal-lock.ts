/**
 * Which relay process runs a rehearsing room's simulated feed (issue 19): exactly one per room.
 * One process (SQLite): the feed map of that process is the lock. Several on Redis: a key
 * `ls:{room}:rehearsal-feed` taken with SET NX PX by one process, renewed while its feed runs
 * (only by its holder: a compare-and-expire script), and free again when the holder dies (it
 * expires) or lets it go; a set of the rooms announced as rehearsing lets another process find
 * the room and take the feed over.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface FeedLock {
  /** How long a taken lock lasts unless renewed. */
  readonly ttlMs: number;
  /** Takes the room's feed for this process; false when another process holds it. */
  acquire(roomId: string): Promise<boolean>;
  /** Keeps it for ttlMs more; false when this process no longer holds it (expired, taken over). */
  renew(roomId: string): Promise<boolean>;
  /** Lets it go, if this process holds it. */
  release(roomId: string): Promise<void>;
  /** Says the room rehearses, so another process can take its feed over. */
  announce(roomId: string): Promise<void>;
  /** The rooms announced and not forgotten. */
  announced(): Promise<string[]>;
  forget(roomId: string): Promise<void>;
}

/** One process: nobody else to share with, nothing to take over. */
export function localFeedLock(): FeedLock {
  const held = new Set<string>();
  return {
    ttlMs: Infinity,
    acquire: async (roomId) => (held.has(roomId) ? false : (held.add(roomId), true)),
    renew: async (roomId) => held.has(roomId),
    release: async (roomId) => void held.delete(roomId),
    announce: async () => {},
    announced: async () => [],
    forget: async () => {},
  };
}

const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const ANNOUNCED = 'ls:rehearsing';

/** Several processes on one Redis (the store's connection). `ttlMs`: how soon a dead holder's feed is taken over. */
export function redisFeedLock(redis: Redis, ttlMs = 3000): FeedLock {
  // Unique per process and lock instance: a restarted process never mistakes an old lock for its own.
  const owner = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const key = (roomId: string) => `ls:{${roomId}}:rehearsal-feed`;
  return {
    ttlMs,
    acquire: async (roomId) => (await redis.set(key(roomId), owner, 'PX', ttlMs, 'NX')) === 'OK',
    renew: async (roomId) => Number(await redis.eval(RENEW, 1, key(roomId), owner, String(ttlMs))) === 1,
    release: async (roomId) => void (await redis.eval(RELEASE, 1, key(roomId), owner)),
    announce: async (roomId) => void (await redis.sadd(ANNOUNCED, roomId)),
    announced: () => redis.smembers(ANNOUNCED),
    forget: async (roomId) => void (await redis.srem(ANNOUNCED, roomId)),
  };
}
