/**
 * The subscribers of the split fan-out measurement (bench-support `fanoutSplit`), in their own
 * process: `n` overlay-token clients of one room that note, per client, when each version
 * first arrived, on the machine's monotonic clock (process.hrtime, CLOCK_MONOTONIC, the same
 * clock in every process here), and send the notes to the parent when asked.
 */
import type { RoomState } from '../shared/domain.js';
import { connect } from './bench-support.js';

export type FromSubscribers = { type: 'ready' } | { type: 'seen'; seen: [number, number][][] };
export type ToSubscribers = { type: 'start'; url: string; room: string; token: string; n: number } | { type: 'report' };

export const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;

if (process.send) {
  const send = (m: FromSubscribers, then: () => void = () => {}) => process.send!(m, then);
  let seen: Map<number, number>[] = [];
  process.on('message', async (m: ToSubscribers) => {
    if (m.type === 'start') {
      const subs = await Promise.all(Array.from({ length: m.n }, () => connect(m.url, m.room, m.token)));
      seen = subs.map(() => new Map());
      subs.forEach((s, k) =>
        s.on('room.state', (st: RoomState) => {
          if (!seen[k]!.has(st.version)) seen[k]!.set(st.version, monotonicMs());
        }),
      );
      send({ type: 'ready' });
    } else {
      // Exit only once the report is written: a large IPC message is sent asynchronously.
      send({ type: 'seen', seen: seen.map((m) => [...m.entries()]) }, () => process.exit(0));
    }
  });
}
