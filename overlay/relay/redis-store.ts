/**
 * Redis room store, for several relay processes serving the same rooms (LIVESHELF_REDIS_URL).
 *
 * Keys of a room share the hash tag `{roomId}` (one slot, so the scripts stay valid on a
 * cluster):
 *   ls:{id}:room      hash  version, meta (state without products), order (product ids), token_<role>,
 *                           format (stored-room.ts; absent = 1)
 *   ls:{id}:products  hash  product id → product JSON
 *   ls:{id}:answers   hash  command id → first answer JSON (exactly-once across processes)
 *   ls:{id}:sales     hash  sale id → sale JSON (read through the Sale schema: one written before
 *                           refunds existed has no refundedQuantity, which reads as 0)
 *   ls:{id}:orders    hash  orderId → sale id
 *   ls:{id}:cards     list  card history (issue 19): {at, productId} JSON, in commit order
 *   ls:{id}:audit     stream the audit log (issue 18): entry id `<seq>-0` (seq = the version the
 *                           command led to), field `e` = the entry's JSON; appended by the commit script
 *   ls:{id}:undone    hash  seq → id of the command.undo that undid that entry (stream entries are immutable)
 *   ls:{id}:sales-by-time  sorted set  sale id scored by its time: the sales in (at, id) order, as
 *                           SQLite's index has them (equal scores sort by id, bytewise), so a page
 *                           is one ZRANGE from the cursor's rank instead of a read of every sale
 *
 * The commit is one Lua script: it refuses when the stored version is not the patch's base
 * (CommitConflict) and otherwise writes everything, so a commit is all or nothing. The batch
 * look-ups are one script too, a consistent snapshot. Durability is Redis's: run it with
 * `appendonly yes` and `appendfsync always` so a returned commit is on disk.
 *
 * The client fails fast while Redis is unreachable (no offline queue, no retry of a request,
 * a timeout on every command): the relay answers 503 instead of waiting, and a command that
 * did reach Redis before the link broke is found as a duplicate when the client sends it again.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Role, RoomState, Sale } from '../../shared/domain.js';
import type { CommandAnswer } from '../../shared/room-reducer.js';
import type { CardChange, ReportSale } from '../../shared/show-report.js';
import type { LoggedCommand } from '../../shared/commands/undo.js';
import { CommitConflict, undoneMarks, type StoredAudit, type StoredFeed, type BatchKeys, type CommitBatch, type LoadedRoom, type Prefetched, type RoomHead, type RoomStore, type SalesAfter, type StoredPerson, type TokenHashes } from './room-store.js';
import { readStoredRoom, readStoredSale, redisRoomFormat } from './stored-room.js';

export interface RedisStoreOptions {
  url: string;
  /** Milliseconds before a command to Redis counts as failed (default 3000). */
  commandTimeoutMs?: number;
}

type Meta = Omit<RoomState, 'products'>;

const ROLE_FIELDS = ['token_host', 'token_cohost', 'token_sales', 'token_overlay'] as const;

function keysOf(roomId: string): string[] {
  const t = `ls:{${roomId}}`;
  return [`${t}:room`, `${t}:products`, `${t}:answers`, `${t}:sales`, `${t}:orders`, `${t}:cards`, `${t}:audit`, `${t}:undone`, `${t}:sales-by-time`];
}

interface Script {
  lua: string;
  sha: string;
}

function script(lua: string): Script {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/**
 * KEYS: room, products, answers, sales, orders, cards, audit, undone.
 * ARGV: prevVersion, nextVersion, meta, order ('' = unchanged), then counted sections:
 * product upserts (id, json pairs), product deletes (ids), answers (pairs), sales (pairs), orders (pairs),
 * card changes (JSON each, appended to the cards list), audit entries (seq, json pairs), undo marks (seq, undo command id pairs),
 * new sales' times (at, id pairs, into sales-by-time).
 */
const COMMIT = script(`
local v = redis.call('HGET', KEYS[1], 'version')
if not v then return redis.error_reply('NOROOM room is not in the store') end
if v ~= ARGV[1] then return 'CONFLICT' end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'meta', ARGV[3])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'order', ARGV[4]) end
local i = 5
local n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]); i = i + 2 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('HDEL', KEYS[2], ARGV[i]); i = i + 1 end
for k = 3, 5 do
  n = tonumber(ARGV[i]); i = i + 1
  for _ = 1, n do redis.call('HSET', KEYS[k], ARGV[i], ARGV[i + 1]); i = i + 2 end
end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('RPUSH', KEYS[6], ARGV[i]); i = i + 1 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('XADD', KEYS[7], ARGV[i] .. '-0', 'e', ARGV[i + 1]); i = i + 2 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('HSET', KEYS[8], ARGV[i], ARGV[i + 1]); i = i + 2 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('ZADD', KEYS[9], ARGV[i], ARGV[i + 1]); i = i + 2 end
return 'OK'
`);

/**
 * KEYS: room, products, answers, sales, orders, cards (unused), audit, undone.
 * ARGV: knownVersion, then counted sections: command ids, sale ids, order ids, audit ids (command.undo targets).
 * Returns { version, room fields or false, products (flat) or false, answers, sales, orders } (flat pairs),
 * then the audit ids found as flat triples (id, entry JSON, undo id or '').
 */
const PREFETCH = script(`
local head = redis.call('HMGET', KEYS[1], 'version', 'meta', 'order', 'token_host', 'token_cohost', 'token_sales', 'token_overlay', 'format')
if not head[1] then return redis.error_reply('NOROOM room is not in the store') end
local function found(key, ids)
  local out = {}
  if #ids == 0 then return out end
  local vals = redis.call('HMGET', key, unpack(ids))
  for j, id in ipairs(ids) do
    if vals[j] then out[#out + 1] = id; out[#out + 1] = vals[j] end
  end
  return out
end
local i = 2
local function section()
  local n = tonumber(ARGV[i]); i = i + 1
  local ids = {}
  for _ = 1, n do ids[#ids + 1] = ARGV[i]; i = i + 1 end
  return ids
end
local commandIds = section()
local saleIds = section()
local orderIds = section()
local auditIds = section()
-- command.undo's targets: the answer's version is the seq of the command's audit entry.
local logged = {}
for _, id in ipairs(auditIds) do
  local a = redis.call('HGET', KEYS[3], id)
  if a then
    local seq = tostring(cjson.decode(a).version)
    local rows = redis.call('XRANGE', KEYS[7], seq .. '-0', seq .. '-0')
    if rows[1] then
      logged[#logged + 1] = id
      logged[#logged + 1] = rows[1][2][2]
      logged[#logged + 1] = redis.call('HGET', KEYS[8], seq) or ''
    end
  end
end
local orders = found(KEYS[5], orderIds)
for j = 2, #orders, 2 do
  saleIds[#saleIds + 1] = orders[j]
  commandIds[#commandIds + 1] = orders[j]
end
local room = false
local products = false
if head[1] ~= ARGV[1] then
  room = head
  products = redis.call('HGETALL', KEYS[2])
end
return { head[1], room, products, found(KEYS[3], commandIds), found(KEYS[4], saleIds), orders, logged }
`);

function pairs(flat: unknown): [string, string][] {
  const out: [string, string][] = [];
  if (!Array.isArray(flat)) return out;
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([String(flat[i]), String(flat[i + 1])]);
  return out;
}

function tokensOf(fields: readonly (string | null)[]): TokenHashes | undefined {
  const [host, cohost, sales, overlay] = fields;
  if (host == null || cohost == null || sales == null || overlay == null) return undefined;
  return { host, cohost, sales, overlay };
}

/** The room as stored: meta + the products in queue order, parsed in its stored format. */
function roomOf(roomId: string, format: string | null | undefined, meta: string, order: string, productPairs: [string, string][], tokens: TokenHashes): LoadedRoom {
  return { state: readStoredRoom(roomId, { meta, order, products: productPairs }, redisRoomFormat(roomId, format)), tokenHashes: tokens };
}

export class RedisRoomStore implements RoomStore {
  readonly redis: Redis;

  constructor(options: RedisStoreOptions) {
    this.redis = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      commandTimeout: options.commandTimeoutMs ?? 3000,
      // Keep trying to reconnect (at most every 500 ms): the relay recovers once Redis is back.
      retryStrategy: (times) => Math.min(50 * times, 500),
      lazyConnect: true,
    });
    // Without a listener ioredis reports every failed reconnect as an unhandled 'error' event.
    this.redis.on('error', () => {});
  }

  /** Connects once at start; afterwards the client reconnects by itself. */
  async connect(): Promise<void> {
    await this.redis.connect();
  }

  private async run(s: Script, roomId: string, args: (string | number)[]): Promise<unknown> {
    const keys = keysOf(roomId);
    try {
      return await this.redis.evalsha(s.sha, keys.length, ...keys, ...args);
    } catch (err) {
      // Scripts are not persisted: after a Redis restart the first call sends the source.
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) return this.redis.eval(s.lua, keys.length, ...keys, ...args);
      throw err;
    }
  }

  async createRoom(state: RoomState, t: TokenHashes): Promise<void> {
    const [room, products] = keysOf(state.id) as [string, string];
    const { products: list, ...meta } = state;
    const tx = this.redis.multi();
    tx.hset(room, {
      version: String(state.version),
      meta: JSON.stringify(meta satisfies Meta),
      order: JSON.stringify(list.map((p) => p.id)),
      token_host: t.host,
      token_cohost: t.cohost,
      token_sales: t.sales,
      token_overlay: t.overlay,
    });
    if (list.length) tx.hset(products, Object.fromEntries(list.map((p) => [p.id, JSON.stringify(p)])));
    const res = await tx.exec();
    const failed = res?.find(([err]) => err);
    if (!res || failed) throw failed?.[0] ?? new Error('room creation was not applied');
  }

  async loadRoom(roomId: string): Promise<LoadedRoom | undefined> {
    const [room, products] = keysOf(roomId) as [string, string];
    const res = await this.redis.multi().hmget(room, 'meta', 'order', ...ROLE_FIELDS, 'format').hgetall(products).exec();
    if (!res) throw new Error('the room could not be read');
    for (const [err] of res) if (err) throw err;
    const [meta, order, ...rest] = res[0]?.[1] as (string | null)[];
    const tokens = tokensOf(rest.slice(0, ROLE_FIELDS.length));
    if (meta == null || order == null || !tokens) return undefined;
    return roomOf(roomId, rest[ROLE_FIELDS.length], meta, order, Object.entries(res[1]?.[1] as Record<string, string>), tokens);
  }

  async head(roomId: string): Promise<RoomHead | undefined> {
    const [room] = keysOf(roomId) as [string];
    const [version, ...tokenFields] = await this.redis.hmget(room, 'version', ...ROLE_FIELDS);
    const tokens = tokensOf(tokenFields);
    return version == null || !tokens ? undefined : { version: Number(version), tokenHashes: tokens };
  }

  async prefetch(roomId: string, knownVersion: number, keys: BatchKeys): Promise<Prefetched> {
    const args: (string | number)[] = [String(knownVersion)];
    for (const ids of [keys.commandIds, keys.saleIds, keys.orderIds, keys.auditIds ?? []]) args.push(ids.length, ...ids);
    const out = (await this.run(PREFETCH, roomId, args)) as [string, (string | null)[] | null, string[] | null, string[], string[], string[], string[]];
    const [version, head, productsFlat, answersFlat, salesFlat, ordersFlat, loggedFlat] = out;
    const result: Prefetched = {
      version: Number(version),
      answers: new Map(pairs(answersFlat).map(([id, json]) => [id, JSON.parse(json) as CommandAnswer])),
      sales: new Map(pairs(salesFlat).map(([id, json]) => [id, readStoredSale(roomId, id, json)])),
      orders: new Map(pairs(ordersFlat)),
    };
    if (keys.auditIds?.length) {
      const logged = new Map<string, LoggedCommand>();
      for (let i = 0; i + 2 < loggedFlat.length; i += 3) {
        const e = JSON.parse(String(loggedFlat[i + 1])) as StoredAudit;
        const undoneBy = String(loggedFlat[i + 2]);
        logged.set(String(loggedFlat[i]), { seq: e.seq, type: e.type, ...(e.inverse && { inverse: e.inverse }), ...(undoneBy !== '' && { undoneBy }) });
      }
      result.logged = logged;
    }
    if (head) {
      const [, meta, order, ...rest] = head;
      const tokens = tokensOf(rest.slice(0, ROLE_FIELDS.length));
      if (meta != null && order != null && tokens) result.room = roomOf(roomId, rest[ROLE_FIELDS.length], meta, order, pairs(productsFlat), tokens);
    }
    return result;
  }

  async commit({ next, patch, entries, sales, cards }: CommitBatch): Promise<void> {
    const { products: _p, ...meta } = next;
    // The patch carries only the products whose object changed (the reducer keeps the others identical).
    const upserts: string[] = [];
    for (const p of patch.products?.upsert ?? []) upserts.push(p.id, JSON.stringify(p));
    const deletes = patch.products?.removed ?? [];
    const order = patch.products?.order ? JSON.stringify(patch.products.order) : '';
    const answers: string[] = [];
    for (const e of entries) answers.push(e.command.id, JSON.stringify(e.answer));
    const written: string[] = [];
    for (const s of sales.sales.values()) written.push(s.id, JSON.stringify(s));
    const orders: string[] = [];
    for (const [orderId, saleId] of sales.orders) orders.push(orderId, saleId);
    const audit: string[] = [];
    for (const e of entries) audit.push(String(e.audit.seq), JSON.stringify(e.audit));
    const undone: string[] = [];
    for (const [seq, undoId] of undoneMarks(entries)) undone.push(String(seq), undoId);
    const args: (string | number)[] = [String(patch.baseVersion), String(next.version), JSON.stringify(meta satisfies Meta), order];
    args.push(upserts.length / 2, ...upserts, deletes.length, ...deletes);
    args.push(answers.length / 2, ...answers, written.length / 2, ...written, orders.length / 2, ...orders);
    args.push(cards.length, ...cards.map((c) => JSON.stringify({ at: c.at, productId: c.productId })));
    args.push(audit.length / 2, ...audit, undone.length / 2, ...undone);
    const times: (string | number)[] = [];
    for (const s of sales.sales.values()) if (sales.recorded.has(s.id)) times.push(s.at, s.id);
    args.push(times.length / 2, ...times);
    const res = await this.run(COMMIT, next.id, args);
    if (res === 'CONFLICT') throw new CommitConflict(next.id, patch.baseVersion);
    if (res !== 'OK') throw new Error(`unexpected commit reply ${String(res)}`);
  }

  /** At once: Redis runs with `appendfsync always`, so every write was on disk before Redis answered it. */
  async synced(): Promise<void> {}

  async setTokenHash(roomId: string, role: Role, hash: string): Promise<void> {
    const [room] = keysOf(roomId) as [string];
    await this.redis.hset(room, `token_${role}`, hash);
  }

  /**
   * Reads the room's whole sales hash and pages it in memory (O(sales) per page: fine for the
   * tens of thousands of a show; a sorted index would be the next step for more).
   */
  // A room's people: one hash id → JSON, and one tokenHash → id (same hash tag as the room).
  private peopleKeys(roomId: string): [string, string] {
    return [`ls:{${roomId}}:people`, `ls:{${roomId}}:person-tokens`];
  }

  async addPerson(roomId: string, p: StoredPerson): Promise<void> {
    const [people, tokens] = this.peopleKeys(roomId);
    await this.redis.multi().hset(people, p.id, JSON.stringify(p)).hset(tokens, p.tokenHash, p.id).exec();
  }

  async listPeople(roomId: string): Promise<StoredPerson[]> {
    const [people] = this.peopleKeys(roomId);
    const all = Object.values(await this.redis.hgetall(people)).map((json) => JSON.parse(json) as StoredPerson);
    return all.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  async personByToken(roomId: string, tokenHash: string): Promise<StoredPerson | undefined> {
    const [people, tokens] = this.peopleKeys(roomId);
    const id = await this.redis.hget(tokens, tokenHash);
    const json = id == null ? null : await this.redis.hget(people, id);
    return json == null ? undefined : (JSON.parse(json) as StoredPerson);
  }

  async removePerson(roomId: string, personId: string): Promise<boolean> {
    const [people, tokens] = this.peopleKeys(roomId);
    const json = await this.redis.hget(people, personId);
    if (json == null) return false;
    const p = JSON.parse(json) as StoredPerson;
    await this.redis.multi().hdel(people, personId).hdel(tokens, p.tokenHash).exec();
    return true;
  }

  // ---- audit log (issue 18): appended by the COMMIT script, read here ----
  async listAudit(roomId: string, after: number, limit: number): Promise<StoredAudit[]> {
    const keys = keysOf(roomId);
    const rows = (await this.redis.xrange(keys[6]!, `${after + 1}-0`, '+', 'COUNT', limit)) as [string, string[]][];
    const entries = rows.map(([, fields]) => JSON.parse(fields[1] ?? 'null') as StoredAudit);
    if (!entries.length) return entries;
    // The undo marks live beside the stream (its entries cannot change).
    const marks = await this.redis.hmget(keys[7]!, ...entries.map((e) => String(e.seq)));
    return entries.map((e, i) => (marks[i] != null ? { ...e, undoneBy: marks[i] } : e));
  }

  async touchPerson(roomId: string, personId: string, at: number): Promise<void> {
    const [people] = this.peopleKeys(roomId);
    const json = await this.redis.hget(people, personId);
    if (json == null) return;
    // Read-modify-write without a lock: a revoke in between would re-add a revoked person, so
    // the write is only made if the hash field still exists (HSETXX does not exist: a tiny script).
    await this.redis.eval("if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end return 1", 1, people, personId, JSON.stringify({ ...(JSON.parse(json) as StoredPerson), lastSeenAt: at }));
  }
  // ---- end audit log ----

  // ---- Feeds (issue 13): the room's feeds in one hash id → JSON under its hash tag, and one
  // global index feed id → room id (a hook URL names the feed alone; the index is one small key per feed).
  private feedsKey(roomId: string): string {
    return `ls:{${roomId}}:feeds`;
  }
  private feedIndexKey(feedId: string): string {
    return `ls:feed:${feedId}`;
  }

  async addFeed(f: StoredFeed): Promise<void> {
    await this.redis.hset(this.feedsKey(f.roomId), f.id, JSON.stringify(f));
    await this.redis.set(this.feedIndexKey(f.id), f.roomId);
  }

  async listFeeds(roomId: string): Promise<StoredFeed[]> {
    const all = Object.values(await this.redis.hgetall(this.feedsKey(roomId))).map((json) => JSON.parse(json) as StoredFeed);
    return all.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  async feedById(feedId: string): Promise<StoredFeed | undefined> {
    const roomId = await this.redis.get(this.feedIndexKey(feedId));
    const json = roomId == null ? null : await this.redis.hget(this.feedsKey(roomId), feedId);
    return json == null ? undefined : (JSON.parse(json) as StoredFeed);
  }

  async saveFeed(f: StoredFeed): Promise<boolean> {
    const key = this.feedsKey(f.roomId);
    if (!(await this.redis.hexists(key, f.id))) return false;
    await this.redis.hset(key, f.id, JSON.stringify(f));
    return true;
  }

  async removeFeed(roomId: string, feedId: string): Promise<boolean> {
    const removed = await this.redis.hdel(this.feedsKey(roomId), feedId);
    if (removed === 0) return false;
    await this.redis.del(this.feedIndexKey(feedId));
    return true;
  }

  async listSales(roomId: string, after: SalesAfter | undefined, limit: number): Promise<Sale[]> {
    const keys = keysOf(roomId);
    const salesKey = keys[3]!;
    const byTime = keys[8]!;
    await this.indexSales(roomId, salesKey, byTime);
    let ids: string[];
    if (!after) ids = await this.redis.zrange(byTime, '0', String(limit - 1));
    else {
      // The cursor is a sale of this room (the relay gave it out): the page starts right after its rank.
      const rank = await this.redis.zrank(byTime, after.id);
      if (rank !== null) ids = await this.redis.zrange(byTime, String(rank + 1), String(rank + limit));
      else {
        // A cursor naming no sale here: whatever comes after its (at, id), in order.
        const later = (await this.redis.zrangebyscore(byTime, after.at, '+inf', 'WITHSCORES', 'LIMIT', 0, limit + 1000)) as string[];
        ids = pairs(later)
          .filter(([id, at]) => Number(at) > after.at || id > after.id)
          .slice(0, limit)
          .map(([id]) => id);
      }
    }
    if (!ids.length) return [];
    const jsons = await this.redis.hmget(salesKey, ...ids);
    return ids.flatMap((id, i) => (jsons[i] == null ? [] : [readStoredSale(roomId, id, jsons[i]!)]));
  }

  /** Rooms whose sales-by-time index this process has seen complete. */
  private readonly indexed = new Set<string>();

  /**
   * Sales stored before the index existed are added to it once (the commit script indexes every
   * new sale): one read of the hash per room and process, then never again.
   */
  private async indexSales(roomId: string, salesKey: string, byTime: string): Promise<void> {
    if (this.indexed.has(roomId)) return;
    const [count, indexedCount] = await Promise.all([this.redis.hlen(salesKey), this.redis.zcard(byTime)]);
    if (count > indexedCount) {
      const all = Object.entries(await this.redis.hgetall(salesKey)).map(([id, json]) => readStoredSale(roomId, id, json));
      for (let i = 0; i < all.length; i += 1000) await this.redis.zadd(byTime, ...all.slice(i, i + 1000).flatMap((s) => [s.at, s.id]));
    }
    this.indexed.add(roomId);
  }

  // ---- card history (issue 19) ----
  /** The whole list, filtered here: a show changes its card hundreds of times, not millions. */
  /** The sales in recorded order, paged through the sales-by-time index as listSales does, those a report counts. */
  async reportSales(roomId: string, from: number, to: number): Promise<ReportSale[]> {
    const out: ReportSale[] = [];
    let after: SalesAfter | undefined = Number.isFinite(from) ? { at: from - 1, id: '' } : undefined;
    for (;;) {
      const page = await this.listSales(roomId, after, 5000);
      for (const s of page) {
        if (s.at >= to) return out;
        if (s.at >= from && s.voidedAt === null && !s.rehearsal) out.push(s);
      }
      if (page.length < 5000) return out;
      after = page[page.length - 1]!;
    }
  }

  /**
   * A SCAN over the rooms' hashes, reading each one's meta: O(rooms), for an admin's series
   * report. An index kept by the commit script would need a key outside the room's hash slot
   * (a room changes its series in its own commit), which a Redis Cluster refuses in one script.
   */
  async listSeriesRooms(series: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', 'ls:{*}:room', 'COUNT', 1000);
      cursor = next;
      if (keys.length === 0) continue;
      const metas = await Promise.all(keys.map((k) => this.redis.hget(k, 'meta')));
      keys.forEach((k, i) => {
        const meta = metas[i];
        if (meta == null) return;
        const room = (JSON.parse(meta) as { room?: { series?: string } }).room;
        if (room?.series === series) ids.push(k.slice('ls:{'.length, -'}:room'.length));
      });
    } while (cursor !== '0');
    return ids.sort();
  }

  async listCardChanges(roomId: string, from = -Infinity, to = Infinity): Promise<CardChange[]> {
    const key = keysOf(roomId)[5]!;
    const all = (await this.redis.lrange(key, 0, -1)).map((json) => JSON.parse(json) as CardChange);
    const out: CardChange[] = [];
    for (const c of all) {
      if (c.at < from) out[0] = c;
      else if (c.at < to) out.push(c);
    }
    return out;
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
