/**
 * A real redis-server (Debian's /usr/bin/redis-server) for one test file, on a free loopback
 * port. `durable` turns on the AOF with an fsync per write, in a temp dir, so a restart keeps
 * every write Redis answered. Stops only the pid it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './relay-process.js';

export const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

export interface TestRedis {
  port: number;
  url: string;
  /** Stops the server (SIGKILL by default: nothing it did not fsync survives). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and dir (after stop). */
  start(): Promise<void>;
  /** Stops it for good and removes its dir. */
  dispose(): Promise<void>;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ port, host: '127.0.0.1' });
    let buf = '';
    c.once('error', () => resolve(false));
    c.on('data', (d) => {
      buf += d;
      if (buf.includes('\r\n')) {
        c.destroy();
        // LOADING while the AOF is read back: not ready yet.
        resolve(buf.startsWith('+PONG'));
      }
    });
    c.once('connect', () => c.write('PING\r\n'));
  });
}

export async function startRedis(opts: { durable?: boolean } = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'liveshelf-redis-'));
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--protected-mode', 'no'];
  args.push(...(opts.durable ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));

  async function start(): Promise<void> {
    let output = '';
    const c = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    c.stdout?.on('data', (d) => (output += d));
    c.stderr?.on('data', (d) => (output += d));
    exited = new Promise((resolve) => c.once('exit', () => resolve()));
    const deadline = Date.now() + 15_000;
    while (!(await ping(port))) {
      if (c.exitCode !== null) throw new Error(`redis-server exited: ${output}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not start: ${output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async function stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  }

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
