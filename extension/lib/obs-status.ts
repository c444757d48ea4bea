/**
 * What the host sees of OBS: the connection's state and OBS's own (program scene, scenes,
 * streaming, recording), as plain data the worker posts to its pages. The worker's OBS session
 * (obs-session.ts) makes it; the pages only read it (console-port.ts).
 */
import type { ObsErrorInfo } from './obs-errors.js';

export type ObsConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting';

/** A snapshot; a new object on every change. Plain data: safe to post to the side panel. */
export interface ObsStatus {
  state: ObsConnectionState;
  /** What the host should know about the connection, or null when all is well. */
  error: ObsErrorInfo | null;
  programScene: string | null;
  /** Scene names in OBS's own order (top of its Scenes list first). */
  scenes: readonly string[];
  streaming: boolean;
  recording: boolean;
  obsVersion: string | null;
  obsWebSocketVersion: string | null;
}

/** The status of an ObsControl that is not connected (also what a host without OBS settings shows). */
export const DISCONNECTED_STATUS: ObsStatus = {
  state: 'disconnected',
  error: null,
  programScene: null,
  scenes: [],
  streaming: false,
  recording: false,
  obsVersion: null,
  obsWebSocketVersion: null,
};
