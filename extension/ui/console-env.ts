/**
 * The console's link to the worker in a real browser (the ConsoleEnv a page's state is made
 * with; tests make their own): requests by runtime message, and the port the worker pushes
 * over. The port follower opens the port, hands on each push it can parse (common/console-port.ts),
 * asks the whole state again for the caller, and opens the port again when it closes: Chrome
 * stops an idle worker, and connecting wakes it.
 */
import { browser } from 'wxt/browser';
import { CONSOLE_PORT, parsePush, type ConsolePush, type SyncRequest } from '../common/console-port';
import type { ConsoleEnv } from './console-state';
import { pageStore } from './first-paint';
import type { Response } from '../common/messages';

/** Follows the worker's pushes until the returned function is called. */
export function followWorker(onPush: (push: ConsolePush, resync: () => void) => void): () => void {
  let stopped = false;
  let port: ReturnType<typeof browser.runtime.connect> | null = null;
  const open = () => {
    port = browser.runtime.connect({ name: CONSOLE_PORT });
    const self = port;
    const resync = () => self.postMessage({ type: 'room.sync' } satisfies SyncRequest);
    port.onMessage.addListener((m: unknown) => {
      const push = parsePush(m);
      if (push) onPush(push, resync);
    });
    // The worker was stopped (Chrome does that to idle workers): connect again, which wakes it.
    port.onDisconnect.addListener(() => !stopped && setTimeout(open, 1000));
  };
  open();
  return () => {
    stopped = true;
    port?.disconnect();
  };
}

export function browserEnv(): ConsoleEnv {
  return {
    send: (request) => browser.runtime.sendMessage(request) as Promise<Response>,
    preferredLanguages: navigator.languages?.length ? navigator.languages : [navigator.language],
    firstPaint: pageStore(),
    follow: followWorker,
  };
}
