/**
 * `npm start`: reads the environment, opens the SQLite store, creates the admin token and a
 * demo room on first start, listens, and prints what a host needs (admin token, overlay URL,
 * pairing links). Nothing else lives here (house rule 4).
 *   PORT (4600), HOST (127.0.0.1), LIVESHELF_DATA_DIR (./data), LIVESHELF_ADMIN_TOKEN,
 *   LIVESHELF_PUBLIC_URL (http://HOST:PORT; with HOST=0.0.0.0 this machine's LAN address), LIVESHELF_SYNC (FULL|FULL_INLINE|NORMAL), LOG_LEVEL (info),
 *   LIVESHELF_RATE_PER_SECOND (100 commands/s per connection, bursts of twice that)
 *   LIVESHELF_REDIS_URL (unset: SQLite in the data dir; set: rooms in Redis and broadcasts
 *   through the socket.io Redis adapter, for several relay processes, see SCALING.md)
 */
import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createApplication } from './app.js';
import { SqliteRoomStore, SYNC_LEVELS, type SyncLevel } from './sqlite-store.js';
import { RedisRoomStore } from './redis-store.js';
import { catchUpLocalRooms, createRedisBroadcast } from './redis-broadcast.js';
import { seedDemoRoom } from './demo-room.js';
import { choosePublicUrl } from './public-url.js';
import { redisFeedLock } from './rehearsal-lock.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const port = Number(process.env.PORT ?? 4600);
const host = process.env.HOST ?? '127.0.0.1';
const dataDir = resolve(process.env.LIVESHELF_DATA_DIR ?? join(root, 'data'));
const ratePerSecond = Number(process.env.LIVESHELF_RATE_PER_SECOND ?? 100);
const sync = (process.env.LIVESHELF_SYNC ?? 'FULL').toUpperCase() as SyncLevel;
if (!SYNC_LEVELS.includes(sync)) {
  process.stderr.write(`LiveShelf: LIVESHELF_SYNC must be one of ${SYNC_LEVELS.join(', ')} (got "${process.env.LIVESHELF_SYNC}")\n`);
  process.exit(1);
}
const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  redact: { paths: ['req.headers.authorization', 'token', 'tokens', '*.token', 'auth'], censor: '[redacted]' },
});

mkdirSync(dataDir, { recursive: true });
const adminFile = join(dataDir, 'admin-token');
let adminToken = process.env.LIVESHELF_ADMIN_TOKEN;
let adminCreated = false;
if (!adminToken) {
  if (existsSync(adminFile)) adminToken = readFileSync(adminFile, 'utf8').trim();
  else {
    adminToken = 'lsa_' + randomBytes(24).toString('base64url');
    writeFileSync(adminFile, adminToken + '\n', { mode: 0o600 });
    adminCreated = true;
  }
}

const { url: publicUrl, others: otherUrls } = choosePublicUrl(host, port, networkInterfaces(), process.env.LIVESHELF_PUBLIC_URL);
const redisUrl = process.env.LIVESHELF_REDIS_URL;
const redisStore = redisUrl ? new RedisRoomStore({ url: redisUrl }) : undefined;
await redisStore?.connect().catch((err: Error) => {
  process.stderr.write(`LiveShelf: cannot reach Redis at ${redisUrl} (${err.message}): start it or fix LIVESHELF_REDIS_URL\n`);
  process.exit(1);
});
// A failed fsync leaves the disk's content unknown: stop, so a supervisor restarts the relay
// from what is on disk (the extension's outbox resends every unanswered command).
const onFatal = (err: Error) => {
  logger.fatal({ err }, 'the relay cannot make its writes durable and stops');
  process.exit(70);
};
const store = redisStore ?? new SqliteRoomStore({ path: join(dataDir, 'liveshelf.sqlite'), synchronous: sync, onFatal });
// After a lost subscription, the clients here get the current state of their rooms again.
const broadcast = redisUrl ? createRedisBroadcast(redisUrl, () => void catchUpLocalRooms(relay)) : undefined;
// LIVESHELF_REHEARSAL_LOCK_MS: how long a rehearsal feed's Redis lock lasts unrenewed (a dead relay's feed is taken over after it).
const lockMs = Number(process.env.LIVESHELF_REHEARSAL_LOCK_MS ?? 3000);
const relay = createApplication({
  store,
  clock: { now: () => Date.now() },
  logger,
  ...(redisStore && { rehearsalLock: redisFeedLock(redisStore.redis, lockMs) }),
  config: { publicUrl, adminToken, overlayDir: join(root, 'dist/overlay'), consoleDir: join(root, 'dist/console'), reportDir: join(root, 'dist/report'), rateLimit: { perSecond: ratePerSecond, burst: ratePerSecond * 2 }, sharedBroadcasts: broadcast !== undefined },
});

if (broadcast) relay.io.adapter(broadcast.adapter);
await relay.listen(port, host);
const demo = await seedDemoRoom(relay, publicUrl, dataDir, join(root, 'examples/catalog-sample.csv'));

const lines = [
  '',
  `LiveShelf relay on ${publicUrl}  (${redisUrl ? `rooms in Redis ${new URL(redisUrl).host}` : `data: ${dataDir}, SQLite synchronous=${sync}`})`,
  ...(otherUrls.length > 0 ? [`  also reachable on ${otherUrls.join(', ')} (links use the first; set LIVESHELF_PUBLIC_URL to choose)`] : []),
  adminCreated ? `Admin token (new, saved in ${adminFile}): ${adminToken}` : `Admin token: in ${process.env.LIVESHELF_ADMIN_TOKEN ? 'LIVESHELF_ADMIN_TOKEN' : adminFile}`,
  '',
  `Demo room "${demo.title}" (${demo.roomId}):`,
  `  OBS browser source URL : ${demo.links.overlay}`,
  `  Host pairing link      : ${demo.links.host}`,
  `  Co-host pairing link   : ${demo.links.cohost}`,
  `  After-show report page : ${demo.links.report}`,
  `  Extension (Chrome)     : load unpacked from ${join(root, '.output/chrome-mv3')}`,
  '',
];
process.stdout.write(lines.join('\n') + '\n');

// SIGTERM (a supervisor, a container stop) and SIGINT (Ctrl-C) close gracefully: commands
// already taken are made durable and answered before the sockets close (relay.close(), at
// most ~2 s for them). A stuck disk or a second signal stops the process at once: nothing
// answered is lost, and what was not answered is resent by the clients.
const HARD_STOP_MS = 10_000;
let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) {
      logger.warn({ signal }, 'second signal: stopping without waiting');
      process.exit(1);
    }
    closing = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ afterMs: HARD_STOP_MS }, 'shutdown did not finish (storage stuck?): stopping without waiting');
      process.exit(1);
    }, HARD_STOP_MS).unref();
    void relay
      .close()
      .then(() => broadcast?.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  });
}
