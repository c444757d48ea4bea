/**
 * A small fake obs-websocket v5 server (JSON subprotocol), for the one path the real OBS on
 * this machine cannot run: Debian's obs-studio 29 has no `browser_source` input kind, so
 * creating/updating the overlay browser source can only be exercised against a stand-in.
 * Everything else is tested against the real OBS (tests/support/obs.ts).
 *
 * It implements the handshake as obs-websocket 5.1 does (Hello with an auth challenge,
 * Identify checked against the password, Identified, close 4009 on a wrong password) and only
 * the requests obs-control.ts sends; it records every request so tests can assert on them.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeInput {
  kind: string;
  settings: Record<string, unknown>;
}
export interface FakeSceneItem {
  id: number;
  source: string;
  enabled: boolean;
}
export interface FakeObsOptions {
  password?: string;
  canvas?: { width: number; height: number };
  inputKinds?: string[];
  scenes?: string[];
  /** 'v4': answer without the v5 subprotocol, like an obs-websocket 4.x plugin on OBS 27. */
  flavour?: 'v5' | 'v4';
  /** Requests left out of GetVersion's availableRequests (an older obs-websocket 5.x). */
  missingRequests?: string[];
  /** Requests that never get an answer (a frozen OBS). */
  silentRequests?: string[];
  /** Requests on which the server drops the connection instead of answering (OBS crashing). */
  dropOnRequests?: string[];
}
export interface FakeObs {
  url: string;
  password: string;
  requests: { requestType: string; requestData: Record<string, unknown> }[];
  inputs: Map<string, FakeInput>;
  sceneItems: Map<string, FakeSceneItem[]>;
  programScene: string;
  /** Stop answering anything (a frozen OBS, or a connection that died without a close). */
  frozen: boolean;
  close(): Promise<void>;
}

const sha256b64 = (s: string) => createHash('sha256').update(s).digest('base64');

type Reply = { status: number; comment?: string; data?: Record<string, unknown> };

export async function startFakeObs(opts: FakeObsOptions = {}): Promise<FakeObs> {
  const password = opts.password ?? randomBytes(9).toString('base64url');
  const canvas = opts.canvas ?? { width: 1920, height: 1080 };
  const inputKinds = opts.inputKinds ?? ['browser_source', 'color_source_v3', 'text_ft2_source_v2', 'image_source'];
  const scenes = opts.scenes ?? ['Scene', 'Live'];
  const sceneItems = new Map<string, FakeSceneItem[]>(scenes.map((s) => [s, []]));
  const inputs = new Map<string, FakeInput>();
  let nextItemId = 1;

  const wss = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    handleProtocols: (protocols) => (opts.flavour === 'v4' ? false : protocols.has('obswebsocket.json') ? 'obswebsocket.json' : false),
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;

  const fake: FakeObs = {
    url,
    password,
    requests: [],
    inputs,
    sceneItems,
    programScene: scenes[0] ?? 'Scene',
    frozen: false,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };

  const handle = (type: string, d: Record<string, unknown>): Reply => {
    const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
    switch (type) {
      case 'GetVersion':
        return {
          status: 100,
          data: {
            obsVersion: '29.1.3',
            obsWebSocketVersion: '5.1.0',
            rpcVersion: 1,
            availableRequests: ([
              'GetVersion', 'GetSceneList', 'GetCurrentProgramScene', 'SetCurrentProgramScene', 'GetStreamStatus', 'GetRecordStatus',
              'GetSceneItemId', 'GetSceneItemEnabled', 'SetSceneItemEnabled', 'GetInputKindList', 'GetVideoSettings', 'GetInputList',
              'CreateInput', 'SetInputSettings', 'CreateSceneItem', 'PressInputPropertiesButton',
            ] as string[]).filter((r) => !opts.missingRequests?.includes(r)),
            supportedImageFormats: ['png'],
            platform: 'fake',
            platformDescription: 'fake obs-websocket for tests',
          },
        };
      case 'GetCurrentProgramScene':
        return { status: 100, data: { currentProgramSceneName: fake.programScene } };
      case 'GetSceneList':
        return { status: 100, data: { currentProgramSceneName: fake.programScene, currentPreviewSceneName: null, scenes: scenes.map((sceneName, i) => ({ sceneName, sceneIndex: scenes.length - 1 - i })) } };
      case 'GetStreamStatus':
      case 'GetRecordStatus':
        return { status: 100, data: { outputActive: false } };
      case 'GetInputKindList':
        return { status: 100, data: { inputKinds } };
      case 'GetVideoSettings':
        return { status: 100, data: { baseWidth: canvas.width, baseHeight: canvas.height, outputWidth: canvas.width, outputHeight: canvas.height, fpsNumerator: 30, fpsDenominator: 1 } };
      case 'GetInputList':
        return { status: 100, data: { inputs: [...inputs].map(([inputName, i]) => ({ inputName, inputKind: i.kind, unversionedInputKind: i.kind })) } };
      case 'CreateInput': {
        const items = sceneItems.get(str('sceneName'));
        if (!items) return { status: 600, comment: 'No source was found by the name of `sceneName`.' };
        if (inputs.has(str('inputName')) || sceneItems.has(str('inputName'))) return { status: 601, comment: 'A source already exists by that input name.' };
        if (!inputKinds.includes(str('inputKind'))) return { status: 605, comment: 'Your specified input kind is not supported by OBS.' };
        inputs.set(str('inputName'), { kind: str('inputKind'), settings: { ...(d['inputSettings'] as Record<string, unknown>) } });
        const item = { id: nextItemId++, source: str('inputName'), enabled: d['sceneItemEnabled'] !== false };
        items.push(item);
        return { status: 100, data: { sceneItemId: item.id } };
      }
      case 'SetInputSettings': {
        const input = inputs.get(str('inputName'));
        if (!input) return { status: 600, comment: 'No source was found by the name of `inputName`.' };
        const incoming = d['inputSettings'] as Record<string, unknown>;
        input.settings = d['overlay'] === false ? { ...incoming } : { ...input.settings, ...incoming };
        return { status: 100 };
      }
      case 'GetSceneItemId': {
        const item = sceneItems.get(str('sceneName'))?.find((i) => i.source === str('sourceName'));
        return item ? { status: 100, data: { sceneItemId: item.id } } : { status: 600, comment: 'No scene items were found in the specified scene by that name.' };
      }
      case 'CreateSceneItem': {
        const items = sceneItems.get(str('sceneName'));
        if (!items) return { status: 600, comment: 'No source was found by the name of `sceneName`.' };
        if (!inputs.has(str('sourceName'))) return { status: 600, comment: 'No source was found by the name of `sourceName`.' };
        const item = { id: nextItemId++, source: str('sourceName'), enabled: d['sceneItemEnabled'] !== false };
        items.push(item);
        return { status: 100, data: { sceneItemId: item.id } };
      }
      case 'GetSceneItemEnabled': {
        const item = sceneItems.get(str('sceneName'))?.find((i) => i.id === d['sceneItemId']);
        return item ? { status: 100, data: { sceneItemEnabled: item.enabled } } : { status: 600, comment: 'No scene items were found in scene by that ID.' };
      }
      case 'SetSceneItemEnabled': {
        const item = sceneItems.get(str('sceneName'))?.find((i) => i.id === d['sceneItemId']);
        if (!item) return { status: 600, comment: 'No scene items were found in scene by that ID.' };
        item.enabled = d['sceneItemEnabled'] === true;
        return { status: 100 };
      }
      case 'PressInputPropertiesButton': {
        const input = inputs.get(str('inputName'));
        if (!input) return { status: 600, comment: 'No source was found by the name of `inputName`.' };
        if (input.kind !== 'browser_source' || str('propertyName') !== 'refreshnocache') return { status: 600, comment: 'Unable to find a property by that name.' };
        return { status: 100 };
      }
      default:
        return { status: 204, comment: 'Your request type is not valid.' };
    }
  };

  wss.on('connection', (socket: WebSocket) => {
    const salt = randomBytes(16).toString('base64');
    const challenge = randomBytes(16).toString('base64');
    let identified = false;
    const send = (op: number, d: unknown) => socket.send(JSON.stringify({ op, d }));
    send(0, { obsWebSocketVersion: '5.1.0', rpcVersion: 1, authentication: { challenge, salt } });
    socket.on('message', (raw) => {
      if (fake.frozen) return;
      let msg: { op?: unknown; d?: Record<string, unknown> };
      try {
        msg = JSON.parse(raw.toString()) as typeof msg;
      } catch {
        socket.close(4002, 'Unable to decode message.');
        return;
      }
      const d = msg.d ?? {};
      if (msg.op === 1) {
        const expected = sha256b64(sha256b64(password + salt) + challenge);
        if (d['authentication'] !== expected) {
          socket.close(4009, 'Authentication failed.');
          return;
        }
        if (d['rpcVersion'] !== 1) {
          socket.close(4010, 'Requested an rpcVersion this server does not support.');
          return;
        }
        identified = true;
        send(2, { negotiatedRpcVersion: 1 });
        return;
      }
      if (!identified) {
        socket.close(4007, 'Not identified.');
        return;
      }
      if (msg.op === 6) {
        const requestType = String(d['requestType']);
        const requestData = (d['requestData'] ?? {}) as Record<string, unknown>;
        fake.requests.push({ requestType, requestData });
        if (opts.silentRequests?.includes(requestType)) return;
        if (opts.dropOnRequests?.includes(requestType)) {
          socket.terminate();
          return;
        }
        const r = handle(requestType, requestData);
        send(7, {
          requestType,
          requestId: d['requestId'],
          requestStatus: { result: r.status === 100, code: r.status, ...(r.comment && { comment: r.comment }) },
          ...(r.data && { responseData: r.data }),
        });
      }
    });
  });
  return fake;
}
