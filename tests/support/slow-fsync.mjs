// Preload for a relay child process (spawnRelay's execArgv: ['--import', <this file>]): makes
// the WAL's fsync slow, so a test can signal the process while sales are committed and not yet
// durable (a real disk cannot be slowed on demand). Both fsyncs the relay uses are wrapped and
// still call the real ones: the blocking one (event-loop path) spins, the async one (thread
// pool) waits; after the first slow ones the relay keeps to the pool (wal-sync.ts).
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const ms = Number(process.env.LIVESHELF_TEST_FSYNC_MS ?? 100);
const { fdatasync, fdatasyncSync } = fs;
fs.fdatasync = (fd, cb) => setTimeout(() => fdatasync(fd, cb), ms);
fs.fdatasyncSync = (fd) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
  fdatasyncSync(fd);
};
syncBuiltinESMExports();
