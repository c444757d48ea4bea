/**
 * A burst of sales from several senders over real socket.io connections, each sender behaving
 * like the extension's outbox: up to 8 sales in flight, a sale is kept until it is answered,
 * a 503 is retried, and when its relay goes away the sender connects to the next relay URL
 * and sends every unanswered sale again (same command id, same orderId).
 */
import type { CommandReply } from '../../shared/protocol.js';
import { connectSocket, type TestSocket } from './relay.js';

export interface SaleEntry {
  id: string;
  orderId: string;
}

export interface SalesLedger {
  /** Every sale emitted at least once. */
  sent: SaleEntry[];
  /** Command ids answered ok (first time or duplicate). */
  acked: Set<string>;
  /** Refusals by reason (out_of_stock, …): final, not retried. */
  refused: Map<string, number>;
  /** 503 answers received (each was retried). */
  unavailable: number;
  /** Sales given up after too many 503s. */
  failed: number;
  /** Times a sender lost its relay and moved to another. */
  failovers: number;
}

const IN_FLIGHT = 8;
const RETRY_MS = 50;
const MAX_TRIES = 600;

async function connectAny(urls: readonly string[], start: number, roomId: string, token: string): Promise<{ socket: TestSocket; index: number }> {
  const deadline = Date.now() + 30_000;
  for (let i = start; ; i++) {
    const index = i % urls.length;
    try {
      return { socket: await connectSocket(urls[index]!, roomId, token, { timeout: 3000 }), index };
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export async function salesBurst(opts: {
  urls: readonly string[];
  roomId: string;
  token: string;
  productId: string;
  senders: number;
  perSender: number;
  /** Called after each acknowledgement with the number acknowledged so far. */
  onAcked?: (acked: number) => void;
}): Promise<SalesLedger> {
  const ledger: SalesLedger = { sent: [], acked: new Set(), refused: new Map(), unavailable: 0, failed: 0, failovers: 0 };
  const sentIds = new Set<string>();
  const sockets: TestSocket[] = [];

  async function runSender(k: number): Promise<void> {
    const pending: (SaleEntry & { tries: number })[] = Array.from({ length: opts.perSender }, (_, i) => ({
      id: `${opts.roomId}-s${k}-${i}`,
      orderId: `order-${opts.roomId}-s${k}-${i}`,
      tries: 0,
    }));
    const inflight = new Map<string, SaleEntry & { tries: number }>();
    let finished = 0;
    let { socket, index } = await connectAny(opts.urls, k, opts.roomId, opts.token);
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      const settle = () => {
        finished++;
        if (finished === opts.perSender) resolve();
      };
      const pump = (s: TestSocket) => {
        while (s === socket && s.connected && inflight.size < IN_FLIGHT && pending.length) {
          const e = pending.shift()!;
          inflight.set(e.id, e);
          if (!sentIds.has(e.id)) {
            sentIds.add(e.id);
            ledger.sent.push({ id: e.id, orderId: e.orderId });
          }
          s.emit('command', { id: e.id, type: 'sale.record', productId: opts.productId, orderId: e.orderId }, (reply: CommandReply) => {
            if (s !== socket || !inflight.delete(e.id)) return; // answered after a failover: resent already
            if (reply.ok) {
              ledger.acked.add(e.id);
              settle();
              opts.onAcked?.(ledger.acked.size);
            } else if (reply.error.code === 'unavailable' || reply.error.code === 'rate_limited') {
              ledger.unavailable++;
              if (++e.tries >= MAX_TRIES) {
                ledger.failed++;
                settle();
              } else {
                setTimeout(() => {
                  pending.push(e);
                  pump(socket);
                }, RETRY_MS);
              }
            } else {
              ledger.refused.set(reply.error.reason ?? reply.error.code, (ledger.refused.get(reply.error.reason ?? reply.error.code) ?? 0) + 1);
              settle();
            }
            pump(s);
          });
        }
      };
      const onDisconnect = (s: TestSocket) => () => {
        if (s !== socket) return;
        // The outbox: everything unanswered goes again, first, on the next relay.
        pending.unshift(...inflight.values());
        inflight.clear();
        ledger.failovers++;
        connectAny(opts.urls, index + 1, opts.roomId, opts.token).then((next) => {
          socket = next.socket;
          index = next.index;
          sockets.push(socket);
          socket.on('disconnect', onDisconnect(socket));
          pump(socket);
        }, reject);
      };
      socket.on('disconnect', onDisconnect(socket));
      pump(socket);
    });
  }

  try {
    await Promise.all(Array.from({ length: opts.senders }, (_, k) => runSender(k)));
  } finally {
    for (const s of sockets) s.close();
  }
  return ledger;
}

/** Sends every sale ever sent again, half with the same command id, half with a new id and the same orderId. */
export async function resendAll(opts: { url: string; roomId: string; token: string; productId: string; ledger: SalesLedger }): Promise<{ duplicates: number }> {
  const socket = await connectSocket(opts.url, opts.roomId, opts.token, { timeout: 3000 });
  try {
    const replies = await Promise.all(
      opts.ledger.sent.map(
        (e, i) =>
          new Promise<CommandReply>((resolve) =>
            socket.emit('command', { id: i % 2 ? e.id : `retry-${e.id}`, type: 'sale.record', productId: opts.productId, orderId: e.orderId }, resolve),
          ),
      ),
    );
    const notOk = replies.filter((r) => !r.ok);
    if (notOk.length) throw new Error(`resend refused: ${JSON.stringify(notOk[0])}`);
    return { duplicates: replies.filter((r) => r.ok && r.duplicate).length };
  } finally {
    socket.close();
  }
}
