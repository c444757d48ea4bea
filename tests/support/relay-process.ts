/**
 * The relay as a real child process (`tsx overlay/relay/main.ts`, what `npm start` runs), for
 * tests that SIGKILL it. Kills only the pid it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './relay.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface RelayProcess {
  url: string;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `root`: another checkout to run the relay from (a bench comparing with the build before); this one by default. */
export async function spawnRelay(opts: { port: number; dataDir: string; adminToken: string; env?: Record<string, string>; execArgv?: string[]; root?: string }): Promise<RelayProcess> {
  const root = opts.root ?? ROOT;
  const child = spawn(process.execPath, [...(opts.execArgv ?? []), '--import', 'tsx', join(root, 'overlay/relay/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(opts.port),
      HOST: '127.0.0.1',
      LIVESHELF_DATA_DIR: opts.dataDir,
      LIVESHELF_ADMIN_TOKEN: opts.adminToken,
      LOG_LEVEL: 'warn',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${opts.port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`relay exited early: ${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok && output.includes('Demo room')) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`relay did not start: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    child,
    output: () => output,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
