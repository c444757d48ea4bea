/**
 * A real load balancer for tests: Debian's haproxy (`haproxy -f <cfg> -db`, a child process, not
 * the system service) on a loopback port in front of given relay URLs, with health checks fast
 * enough for a test. `haproxyConfig` is also what overlay/relay/SCALING.md shows. The admin
 * socket (a unix socket in the temp dir) tells which servers haproxy holds UP. Stops only the
 * pid it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './relay-process.js';

export const HAPROXY = process.env.HAPROXY ?? '/usr/sbin/haproxy';

export type BalancerMode = 'http' | 'tcp';

export interface Balancer {
  url: string;
  port: number;
  mode: BalancerMode;
  child: ChildProcess;
  /** haproxy's view of each server (`r1`, `r2`, … in the order given): UP, DOWN, … */
  serverStatus(): Promise<Map<string, string>>;
  /** Resolves when haproxy holds every server in `names` in the status `status`. */
  waitFor(status: 'UP' | 'DOWN', names?: string[], timeoutMs?: number): Promise<void>;
  /** What haproxy printed (alerts, server state changes). */
  output(): string;
  stop(): Promise<void>;
}

/** `tls`: a PEM (certificate + key) haproxy terminates TLS with: HTTPS pages and WSS sockets outside, plain HTTP to the relays. */
export function haproxyConfig(opts: { bind: string; servers: string[]; mode: BalancerMode; statsSocket?: string; tls?: string }): string {
  const servers = opts.servers.map((hostPort, i) => `    server r${i + 1} ${hostPort} check`);
  return [
    'global',
    '    nbthread 1',
    '    log stderr format raw local0 notice',
    ...(opts.statsSocket ? [`    stats socket ${opts.statsSocket} mode 600 level admin`] : []),
    '',
    'defaults',
    `    mode ${opts.mode}`,
    '    log global',
    '    timeout connect 2s',
    '    timeout client 60s',
    '    timeout server 60s',
    // A health check may take 1 s to answer (a relay busy for a moment on a loaded machine is
    // not dead); a dead one refuses the connect at once.
    '    timeout check 1s',
    // After the WebSocket upgrade (or for any TCP connection) the idle limit is this one;
    // socket.io pings every 25 s, so an open overlay is never cut for being idle.
    '    timeout tunnel 1h',
    // A connection refused by a dead relay is tried again (3 times), the last time on another server.
    '    retries 3',
    '    option redispatch',
    '',
    'frontend liveshelf',
    opts.tls ? `    bind ${opts.bind} ssl crt ${opts.tls}` : `    bind ${opts.bind}`,
    // Behind TLS the relay is told so (its logs, and any absolute URL it builds).
    ...(opts.tls && opts.mode === 'http' ? ['    http-request set-header X-Forwarded-Proto https'] : []),
    '    default_backend relays',
    '',
    'backend relays',
    // Overlays and extensions hold one long connection each: spread them by count.
    '    balance leastconn',
    // The check asks the relay itself (also in TCP mode: a relay that accepts TCP but does not
    // answer is not UP). Every 200 ms, one failure marks it DOWN, one success UP again.
    '    option httpchk GET /healthz',
    '    http-check expect status 200',
    // A relay marked DOWN (hung, not only dead) has its connections closed, so its clients
    // reconnect to another one instead of waiting for socket.io's ping timeout.
    '    default-server inter 200ms fastinter 200ms downinter 200ms fall 1 rise 1 on-marked-down shutdown-sessions',
    ...servers,
    '',
  ].join('\n');
}

function adminCommand(socketPath: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = createConnection(socketPath);
    let out = '';
    c.on('data', (d) => (out += d));
    c.once('error', reject);
    c.once('end', () => resolve(out));
    c.once('connect', () => c.write(command + '\n'));
  });
}

export async function startBalancer(opts: { relayUrls: string[]; port?: number; mode?: BalancerMode; tls?: string }): Promise<Balancer> {
  const mode = opts.mode ?? 'http';
  const port = opts.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'liveshelf-haproxy-'));
  const statsSocket = join(dir, 'admin.sock');
  const cfgPath = join(dir, 'haproxy.cfg');
  const servers = opts.relayUrls.map((u) => new URL(u).host);
  writeFileSync(cfgPath, haproxyConfig({ bind: `127.0.0.1:${port}`, servers, mode, statsSocket, tls: opts.tls }));

  let output = '';
  const child = spawn(HAPROXY, ['-f', cfgPath, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnFailed = new Promise<never>((_, reject) => child.once('error', (err) => reject(new Error(`cannot start ${HAPROXY} (apt-get install haproxy): ${err.message}`))));
  spawnFailed.catch(() => {});

  async function serverStatus(): Promise<Map<string, string>> {
    // `show stat` is CSV: pxname,svname,…,status(18th column),…
    const csv = await adminCommand(statsSocket, 'show stat');
    const header = csv.split('\n')[0]?.replace(/^# /, '').split(',') ?? [];
    const col = header.indexOf('status');
    const statuses = new Map<string, string>();
    for (const line of csv.split('\n').slice(1)) {
      const f = line.split(',');
      if (f[0] === 'relays' && f[1] && f[1] !== 'BACKEND') statuses.set(f[1], f[col] ?? '');
    }
    return statuses;
  }

  async function waitFor(status: 'UP' | 'DOWN', names = servers.map((_, i) => `r${i + 1}`), timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = new Map<string, string>();
    for (;;) {
      if (child.exitCode !== null) throw new Error(`haproxy exited: ${output}`);
      try {
        last = await serverStatus();
        // "UP 1/2"-style transitional states do not count; "no check" never happens here.
        if (names.every((n) => last.get(n) === status)) return;
      } catch {
        /* admin socket not there yet */
      }
      if (Date.now() > deadline) throw new Error(`haproxy never saw ${names.join(', ')} ${status}: ${JSON.stringify([...last])}\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function stop(): Promise<void> {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }

  try {
    await Promise.race([waitFor('UP'), spawnFailed]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`, port, mode, child, serverStatus, waitFor, output: () => output, stop };
}
