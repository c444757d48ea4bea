/**
 * What LiveShelf knows of the obs-websocket v5 protocol, apart from the code that uses it: the
 * RPC version and the requests it needs, the status and close codes it reacts to, the shape of
 * every answer and event it relies on (house rule 2: parsed with zod, obs-websocket-js's types
 * are not validation), and how a failure to connect reads as an ObsError. The session
 * (obs-session.ts) and the actions (obs-control.ts) share it.
 */
import { OBSWebSocketError } from 'obs-websocket-js/json';
import { z } from 'zod';
import { ObsError } from '../common/obs-errors.js';

/** The obs-websocket RPC version this module speaks (obs-websocket 5.x). */
export const OBS_RPC_VERSION = 1;

/** Requests LiveShelf sends (obs-session.ts, obs-control.ts); an obs-websocket lacking one of them is too old for us. */
export const REQUIRED_REQUESTS = [
  'GetVersion',
  'GetSceneList',
  'GetCurrentProgramScene',
  'SetCurrentProgramScene',
  'GetStreamStatus',
  'GetRecordStatus',
  'GetSceneItemId',
  'GetSceneItemEnabled',
  'SetSceneItemEnabled',
  'GetInputKindList',
  'GetVideoSettings',
  'GetInputList',
  'CreateInput',
  'SetInputSettings',
  'CreateSceneItem',
  'PressInputPropertiesButton',
] as const;

// obs-websocket request status codes we react to (RequestStatus enum).
export const STATUS_NOT_READY = 207;
export const STATUS_NOT_FOUND = 600;
export const STATUS_ALREADY_EXISTS = 601;
// obs-websocket close codes (WebSocketCloseCode enum).
export const CLOSE_AUTH_FAILED = 4009;
export const CLOSE_UNSUPPORTED_RPC = 4010;
export const CLOSE_SESSION_INVALIDATED = 4011;

// What we accept from OBS.
export const VersionSchema = z.object({
  obsVersion: z.string(),
  obsWebSocketVersion: z.string(),
  rpcVersion: z.number().int(),
  availableRequests: z.array(z.string()),
});
export const ProgramSceneSchema = z.object({ currentProgramSceneName: z.string() });
export const OutputStatusSchema = z.object({ outputActive: z.boolean() });
export const SceneListSchema = z.object({ scenes: z.array(z.object({ sceneName: z.string(), sceneIndex: z.number().int() })) });
/** For requests whose answer nothing relies on. */
export const Ignored = z.unknown();
export const SceneItemIdSchema = z.object({ sceneItemId: z.number().int().nonnegative() });
export const SceneItemEnabledSchema = z.object({ sceneItemEnabled: z.boolean() });
export const InputKindsSchema = z.object({ inputKinds: z.array(z.string()) });
export const VideoSettingsSchema = z.object({ baseWidth: z.number().int().positive(), baseHeight: z.number().int().positive() });
export const InputListSchema = z.object({ inputs: z.array(z.object({ inputName: z.string(), inputKind: z.string() })) });
export const IdentifiedSchema = z.object({ negotiatedRpcVersion: z.number().int() });

export const ProgramSceneEvent = z.object({ sceneName: z.string() });
export const OutputStateEvent = z.object({ outputActive: z.boolean() });
export const SceneNameChangedEvent = z.object({ oldSceneName: z.string(), sceneName: z.string() });

/** obs-websocket lists scenes bottom-up (index 0 is the bottom of OBS's list); hosts think top-down. */
export function sceneNames(list: z.infer<typeof SceneListSchema>): string[] {
  return [...list.scenes].sort((a, b) => b.sceneIndex - a.sceneIndex).map((s) => s.sceneName);
}

export function validUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'ws:' || u.protocol === 'wss:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** Map a failure to open or identify a session to what the host should hear. */
export function connectError(e: unknown, ctx: { url: string; hasPassword: boolean }): ObsError {
  if (e instanceof ObsError) return e;
  if (e instanceof OBSWebSocketError) {
    if (e.code === CLOSE_AUTH_FAILED) return new ObsError(ctx.hasPassword ? 'obs-password-refused' : 'obs-password-required', {}, { cause: e });
    if (e.code === CLOSE_UNSUPPORTED_RPC) return new ObsError('obs-too-old', { found: e.message }, { cause: e });
    if (e.code === CLOSE_SESSION_INVALIDATED) return new ObsError('obs-session-invalidated', {}, { cause: e });
    // An obs-websocket 4.x server (OBS 27 and older with the plugin) does not speak the v5 subprotocol.
    if (/subprotocol/i.test(e.message)) return new ObsError('obs-too-old', { found: 'obs-websocket 4 or older' }, { cause: e });
    // Node's ws reports a refused/unreachable socket as an error (-1) with the errno in the
    // message; browsers give only a close with 1006. Both mean nobody answered at that address.
    if (e.code === -1 || e.code === 1006) return new ObsError('obs-unreachable', { url: ctx.url }, { cause: e });
    return new ObsError('obs-connect-failed', { closeCode: e.code, reason: e.message || `close code ${e.code}` }, { cause: e });
  }
  return new ObsError('obs-connect-failed', { reason: e instanceof Error ? e.message : String(e) }, { cause: e });
}

/** The obs-websocket status code of a refused request (RequestStatus enum), else undefined. */
export function requestStatus(e: unknown): number | undefined {
  return e instanceof ObsError && e.code === 'obs-request-failed' ? Number(e.params['status']) : undefined;
}
