/**
 * Test harness: a real OBS Studio (Debian obs-studio 29, built-in obs-websocket 5.1) running
 * headless under its own Xvfb, in a throwaway HOME, with obs-websocket on a random free port
 * and a random password. Adapted from shared/reference/obs-headless/start-obs.sh.
 *
 * Safe to run in parallel with other suites: Xvfb picks a free display itself (-displayfd),
 * every instance has its own temp dir and port, and only the pids started here are signalled.
 *
 * The scene collection it writes (SCENES below) has three scenes, one with a CJK name, and
 * solid colour sources, so that toggling a source visibly changes a screenshot.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OBSWebSocket } from 'obs-websocket-js/json';

export const OBS_BIN = process.env.OBS_BIN ?? '/usr/bin/obs';
export const XVFB_BIN = process.env.XVFB_BIN ?? 'Xvfb';

/** The scenes of the test collection. `Main` is the program scene at start. */
export const SCENES = {
  main: 'Main',
  closeUp: '产品特写', // "product close-up": scene names are user text, often Chinese
  table: 'Product table',
} as const;
/** A solid green rectangle in `Main`; hiding it changes what the scene renders. */
export const COLOR_SOURCE = 'Price tag';
/** A text source in `Product table`. */
export const TEXT_SOURCE = 'Headline';

export interface ObsOptions {
  /** Canvas (base) resolution; default 1280x720. */
  canvas?: { width: number; height: number };
  /** Scene transition of the collection; default 'Fade' (what a fresh OBS uses). */
  transition?: 'Fade' | 'Cut';
  readyTimeoutMs?: number;
}

export interface RealObs {
  url: string;
  password: string;
  port: number;
  display: string;
  baseDir: string;
  /** pid of the running OBS, or null while stopped. */
  readonly pid: number | null;
  /** A separate, plain obs-websocket client for reading back what OBS did (not the module under test). */
  admin(): Promise<OBSWebSocket>;
  /** Stop OBS alone (SIGINT, its clean shutdown); Xvfb, port, password and config stay. */
  stopObs(): Promise<void>;
  /** Start OBS again after stopObs(), same port and password; resolves when ready. */
  startObs(): Promise<void>;
  /** Freeze OBS (SIGSTOP): the socket stays open, nothing answers. thaw() resumes it (SIGCONT). */
  freeze(): void;
  thaw(): void;
  /** Stop OBS and Xvfb and remove the temp dir. Idempotent. */
  close(): Promise<void>;
  /** Tail of OBS's stdout/stderr, for failure messages. */
  logTail(): string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every pid this process started, killed on exit as a last resort (e.g. the runner crashes). */
const started = new Set<number>();
process.once('exit', () => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    // No host: the same wildcard address obs-websocket binds to.
    srv.listen(0, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGINT (OBS's clean shutdown), then SIGKILL if it does not exit in time. Only our own child. */
async function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  child.kill(signal);
  const timedOut = await Promise.race([done.then(() => false), sleep(graceMs).then(() => true)]);
  if (timedOut) {
    child.kill('SIGKILL');
    await done;
  }
  started.delete(child.pid);
}

/** Xvfb on the first free display, chosen by Xvfb itself: no race with parallel suites. */
async function startXvfb(): Promise<{ child: ChildProcess; display: string }> {
  const child = spawn(XVFB_BIN, ['-displayfd', '3', '-screen', '0', '1920x1080x24', '-nolisten', 'tcp', '-noreset'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) started.add(child.pid);
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-4000);
  });
  const fd3 = child.stdio[3];
  const display = new Promise<string>((resolve, reject) => {
    if (!fd3 || !('on' in fd3)) return reject(new Error('Xvfb: no display pipe'));
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb did not report a display in 10 s: ${stderr}`)), 10_000);
    fd3.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /^(\d+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(`:${m[1]}`);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited (${code}) before it was ready: ${stderr}`));
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${XVFB_BIN} (${String(e)}); scripts/ensure-system-deps.sh installs xvfb`));
    });
  });
  try {
    return { child, display: await display };
  } catch (e) {
    await stopChild(child, 'SIGTERM', 2_000);
    throw e;
  }
}

function sceneItem(name: string, sourceUuid: string, id: number, pos: { x: number; y: number }) {
  return {
    name,
    source_uuid: sourceUuid,
    visible: true,
    locked: false,
    rot: 0,
    pos,
    scale: { x: 1, y: 1 },
    align: 5,
    bounds_type: 0,
    bounds_align: 0,
    bounds: { x: 0, y: 0 },
    crop_left: 0,
    crop_top: 0,
    crop_right: 0,
    crop_bottom: 0,
    id,
    group_item_backup: false,
    scale_filter: 'disable',
    blend_method: 'default',
    blend_type: 'normal',
    show_transition: { duration: 0 },
    hide_transition: { duration: 0 },
    private_settings: {},
  };
}

function source(id: string, name: string, sourceUuid: string, settings: Record<string, unknown>) {
  return { id, versioned_id: id, name, uuid: sourceUuid, settings, mixers: 0, enabled: true, muted: false, volume: 1, sync: 0, flags: 0, private_settings: {} };
}

function sceneCollection(transition: string): string {
  const ids = { main: randomUUID(), closeUp: randomUUID(), table: randomUUID(), color: randomUUID(), text: randomUUID(), bg: randomUUID() };
  const scene = (name: string, id: string, items: unknown[]) =>
    source('scene', name, id, { items, id_counter: items.length, custom_size: false });
  const sources = [
    // OBS colours are 0xAABBGGRR.
    source('color_source_v3', COLOR_SOURCE, ids.color, { color: 0xff00ff00, width: 400, height: 200 }),
    source('color_source_v3', 'Backdrop', ids.bg, { color: 0xffff0000, width: 640, height: 360 }),
    source('text_ft2_source_v2', TEXT_SOURCE, ids.text, {
      text: 'LIVESHELF',
      font: { face: 'DejaVu Sans', size: 96, style: 'Bold', flags: 1 },
      color1: 0xff00ffff,
      color2: 0xff00ffff,
    }),
    scene(SCENES.main, ids.main, [sceneItem(COLOR_SOURCE, ids.color, 1, { x: 100, y: 100 })]),
    scene(SCENES.closeUp, ids.closeUp, [sceneItem('Backdrop', ids.bg, 1, { x: 0, y: 0 })]),
    scene(SCENES.table, ids.table, [sceneItem(TEXT_SOURCE, ids.text, 1, { x: 50, y: 50 })]),
  ];
  return JSON.stringify({
    name: 'Test',
    current_scene: SCENES.main,
    current_program_scene: SCENES.main,
    scene_order: [{ name: SCENES.main }, { name: SCENES.closeUp }, { name: SCENES.table }],
    sources,
    groups: [],
    transitions: [],
    current_transition: transition,
    transition_duration: 300,
    modules: {},
    preview_locked: false,
    scaling_enabled: false,
  });
}

function writeConfig(home: string, port: number, password: string, canvas: { width: number; height: number }, transition: string): void {
  const cfg = join(home, '.config/obs-studio');
  // Recordings (the recording-status test starts one) stay inside the throwaway dir.
  const recordings = join(home, 'recordings');
  mkdirSync(recordings, { recursive: true });
  mkdirSync(join(cfg, 'basic/profiles/Test'), { recursive: true });
  mkdirSync(join(cfg, 'basic/scenes'), { recursive: true });
  // FirstRun=true + LastVersion (29.0.2 packed as (29<<24)|2) skip the auto-configuration wizard.
  // obs-websocket 5.1 reads its settings from [OBSWebSocket] in global.ini.
  writeFileSync(
    join(cfg, 'global.ini'),
    `[General]
FirstRun=true
LastVersion=486539266
EnableAutoUpdates=false
ConfirmOnExit=false
WarnBeforeStoppingStream=false
WarnBeforeStoppingRecord=false
Pre19Defaults=false
Pre21Defaults=false
Pre23Defaults=false
Pre24.1Defaults=false
MaxLogs=3

[Basic]
Profile=Test
ProfileDir=Test
SceneCollection=Test
SceneCollectionFile=Test

[BasicWindow]
SysTrayEnabled=false
SysTrayWhenStarted=false
PreviewEnabled=false

[OBSWebSocket]
FirstLoad=false
ServerEnabled=true
ServerPort=${port}
AlertsEnabled=false
AuthRequired=true
ServerPassword=${password}
`,
  );
  writeFileSync(
    join(cfg, 'basic/profiles/Test/basic.ini'),
    `[General]
Name=Test

[Video]
BaseCX=${canvas.width}
BaseCY=${canvas.height}
OutputCX=${canvas.width}
OutputCY=${canvas.height}
FPSType=0
FPSCommon=30
ScaleType=bicubic
ColorFormat=NV12
ColorSpace=709
ColorRange=Partial

[Audio]
SampleRate=48000
ChannelSetup=Stereo

[Output]
Mode=Simple

[SimpleOutput]
FilePath=${recordings}
RecFormat=mkv
RecQuality=Stream
StreamEncoder=x264
VBitrate=500
`,
  );
  writeFileSync(join(cfg, 'basic/scenes/Test.json'), sceneCollection(transition));
}

export async function startObs(opts: ObsOptions = {}): Promise<RealObs> {
  const baseDir = mkdtempSync(join(tmpdir(), 'liveshelf-obs-'));
  const home = join(baseDir, 'home');
  const runtime = join(baseDir, 'xdg-runtime');
  mkdirSync(runtime, { recursive: true, mode: 0o700 });
  const port = await freePort();
  const password = randomBytes(12).toString('base64url');
  writeConfig(home, port, password, opts.canvas ?? { width: 1280, height: 720 }, opts.transition ?? 'Fade');
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;
  const url = `ws://127.0.0.1:${port}`;

  let xvfb: ChildProcess | null = null;
  let obs: ChildProcess | null = null;
  let log = '';
  const admins: OBSWebSocket[] = [];
  let display = '';

  const launch = async (): Promise<void> => {
    log = '';
    const child = spawn(
      OBS_BIN,
      ['--multi', '--minimize-to-tray', '--disable-updater', '--disable-missing-files-check', '--profile', 'Test', '--collection', 'Test', '--scene', SCENES.main],
      {
        env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_RUNTIME_DIR: runtime, DISPLAY: display, LIBGL_ALWAYS_SOFTWARE: '1', QT_QPA_PLATFORM: 'xcb' },
        // Same process group as the runner (no setsid): a Ctrl-C on the test run reaches OBS as
        // SIGINT, its clean shutdown, instead of leaving an orphan OBS behind.
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    if (child.pid !== undefined) started.add(child.pid);
    const collect = (b: Buffer) => {
      log = (log + b.toString()).slice(-20_000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    let spawnError: Error | null = null;
    child.once('error', (e) => (spawnError = e));
    obs = child;
    const deadline = Date.now() + readyTimeoutMs;
    // Ready = obs-websocket answers a request with the collection loaded, not merely the port open.
    for (;;) {
      if (spawnError) throw new Error(`cannot start ${OBS_BIN} (${String(spawnError)}); scripts/ensure-system-deps.sh installs obs-studio`);
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`OBS exited before it was ready:\n${log.slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`OBS not ready after ${readyTimeoutMs} ms:\n${log.slice(-3000)}`);
      if (await portAccepts(port)) {
        const probe = new OBSWebSocket();
        try {
          await probe.connect(url, password, { rpcVersion: 1 });
          const { scenes } = await probe.call('GetSceneList');
          if (scenes.length >= 3) return;
        } catch {
          /* not yet */
        } finally {
          await probe.disconnect().catch(() => undefined);
        }
      }
      await sleep(50);
    }
  };

  const stopObs = async () => {
    for (const a of admins.splice(0)) await a.disconnect().catch(() => undefined);
    if (obs) {
      obs.kill('SIGCONT'); // a frozen OBS would not act on SIGINT
      await stopChild(obs, 'SIGINT', 15_000);
    }
    obs = null;
  };

  let closed = false;
  const handle: RealObs = {
    url,
    password,
    port,
    get display() {
      return display;
    },
    baseDir,
    get pid() {
      return obs?.pid ?? null;
    },
    async admin() {
      const c = new OBSWebSocket();
      await c.connect(url, password, { rpcVersion: 1 });
      admins.push(c);
      return c;
    },
    stopObs,
    freeze() {
      obs?.kill('SIGSTOP');
    },
    thaw() {
      obs?.kill('SIGCONT');
    },
    async startObs() {
      if (obs) throw new Error('OBS is already running');
      await launch();
    },
    async close() {
      if (closed) return;
      closed = true;
      await stopObs();
      if (xvfb) await stopChild(xvfb, 'SIGTERM', 5_000);
      xvfb = null;
      rmSync(baseDir, { recursive: true, force: true });
    },
    logTail: () => log.slice(-3000),
  };

  try {
    const x = await startXvfb();
    xvfb = x.child;
    display = x.display;
    await launch();
  } catch (e) {
    await handle.close();
    throw e;
  }
  return handle;
}

/**
 * One pixel of a GetSourceScreenshot taken with imageFormat 'bmp' (uncompressed, so it can be
 * read without an image library). Rows are bottom-up unless the height is negative.
 */
export function bmpPixel(dataUri: string, x: number, y: number): { r: number; g: number; b: number } {
  const buf = Buffer.from(dataUri.replace(/^data:image\/[a-z]+;base64,/, ''), 'base64');
  if (buf.toString('ascii', 0, 2) !== 'BM') throw new Error('not a BMP screenshot');
  const offset = buf.readUInt32LE(10);
  const width = buf.readInt32LE(18);
  const height = buf.readInt32LE(22);
  const bytesPerPixel = buf.readUInt16LE(28) / 8;
  const rowSize = Math.ceil((width * bytesPerPixel) / 4) * 4;
  const row = height > 0 ? height - 1 - y : y;
  const at = offset + row * rowSize + x * bytesPerPixel;
  return { b: buf[at] ?? -1, g: buf[at + 1] ?? -1, r: buf[at + 2] ?? -1 };
}
