/**
 * The after-show report (issue 19): GET /api/rooms/:room/report (JSON, ?format=csv for the
 * per-product table, ?format=timeline.csv for the minutes) and the room answer's
 * totals.bySource. A thin adapter: it pages the sales and the card history out of the store
 * and hands them to shared/show-report.ts, which does all the counting.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Role, RoomState, Sale } from '../../shared/domain.js';
import { MAX_REPORT_MINUTES, MINUTE_MS, reportCsv, showReport, SourceTally, timelineCsv, type ReportSource, type ShowReport } from '../../shared/show-report.js';
import { errorBody } from './answers.js';
import type { Clock, RelayHttp } from './deps.js';
import { HttpError, requireHostOrSales } from './http-errors.js';
import type { RoomActor } from './room-hub.js';
import type { RoomStore, SalesAfter } from './room-store.js';

/**
 * The seam for the order feeds (issue 13): the display name of feed `feedId` of a room, when
 * a feed store exists; until then a `feed:<id>` source is named by its id.
 */
export type FeedNameOf = (roomId: string, feedId: string) => Promise<string | undefined>;

export interface ReportRouteDeps {
  store: RoomStore;
  clock: Clock;
  authorize(req: FastifyRequest, roomId: string): Promise<{ actor: RoomActor; role: Role }>;
  parseBody<T>(schema: z.ZodType<T>, body: unknown): T;
  storageFailed(err: unknown): never;
  feedName?: FeedNameOf;
}

/** Sales read per store call: big enough that 100k sales are 20 calls, small enough to stay a short query. */
const REPORT_PAGE = 5000;
const MAX_WINDOW_MS = MAX_REPORT_MINUTES * MINUTE_MS;

const ms = (field: string) =>
  z
    .string()
    .regex(/^\d{1,16}$/, `must be a time in milliseconds since 1970 (a whole number), e.g. ${Date.UTC(2026, 11, 3)}`)
    .transform(Number)
    .refine(Number.isSafeInteger, `${field} is too large`);

const ReportQuerySchema = z.strictObject({
  from: ms('from').optional(),
  to: ms('to').optional(),
  format: z.enum(['json', 'csv', 'timeline.csv']).optional(),
});

/** The room's first sale that is not a rehearsal's (issue 19): the report's default window starts there. */
async function firstLiveSale(store: RoomStore, roomId: string): Promise<Sale | undefined> {
  let after: SalesAfter | undefined;
  for (;;) {
    const page = await store.listSales(roomId, after, REPORT_PAGE);
    const live = page.find((s) => !s.rehearsal);
    if (live || page.length < REPORT_PAGE) return live;
    after = page[page.length - 1]!;
  }
}

/** Names the `feed:<id>` sources through the feed store seam (the others are named by themselves). */
async function nameFeeds(roomId: string, sources: ReportSource[], feedName: FeedNameOf | undefined): Promise<void> {
  if (!feedName) return;
  for (const s of sources) if (s.source.startsWith('feed:')) s.name = (await feedName(roomId, s.source.slice('feed:'.length))) ?? s.name;
}

/**
 * totals.bySource of GET /api/rooms/:room, computed here from the store at read time, not by
 * the reducer: the state goes to every overlay on every patch, and a per-source breakdown is
 * for the host and the shop, not for the OBS page; nor would it fit the reducer's totals
 * without one more field in every stored room. One fold of the sales per room version (the
 * cache is keyed on it), so a console polling the room does not re-read 100k sales each time.
 */
export function sourceTotals(store: RoomStore, feedName?: FeedNameOf) {
  const cache = new Map<string, { version: number; sources: Promise<ReportSource[]> }>();
  return (state: RoomState): Promise<ReportSource[]> => {
    const hit = cache.get(state.id);
    if (hit && hit.version === state.version) return hit.sources;
    const sources = (async () => {
      const tally = new SourceTally();
      for (const s of await store.reportSales(state.id, -Infinity, Infinity)) tally.addSale(s);
      const list = tally.list();
      await nameFeeds(state.id, list, feedName);
      return list;
    })();
    // A failed read is not kept: the next request tries again.
    sources.catch(() => cache.delete(state.id));
    cache.delete(state.id); // re-inserted last: the Map's order is then least recently computed first
    cache.set(state.id, { version: state.version, sources });
    if (cache.size > 1000) cache.delete(cache.keys().next().value!);
    return sources;
  };
}

export interface ReportQuery {
  from?: number | undefined;
  to?: number | undefined;
}

/**
 * The report of one room over a window (the whole room by default), as GET …/report answers it:
 * used by that route and by the series report. Refusals are HttpErrors naming the field.
 */
export function roomReporter({ store, clock, storageFailed, feedName }: Pick<ReportRouteDeps, 'store' | 'clock' | 'storageFailed' | 'feedName'>) {
  /** The window asked for, or the whole room: from its first sale or card change to now. */
  async function windowOf(roomId: string, q: ReportQuery): Promise<{ from: number; to: number }> {
    const to = q.to ?? clock.now() + 1;
    let from = q.from;
    if (from === undefined) {
      const firstSale = await firstLiveSale(store, roomId);
      const [firstCard] = await store.listCardChanges(roomId, -Infinity, Infinity);
      const first = Math.min(firstSale?.at ?? Infinity, firstCard?.at ?? Infinity);
      from = Number.isFinite(first) ? first : to - 1;
      // The whole of a room older than a month: its last month (the timeline's limit).
      if (q.to === undefined) from = Math.max(from, to - MAX_WINDOW_MS);
    }
    return { from, to };
  }

  return async (state: RoomState, q: ReportQuery): Promise<ShowReport> => {
    const roomId = state.id;
    const { from, to } = await windowOf(roomId, q).catch(storageFailed);
    if (to <= from) throw new HttpError(errorBody('invalid', `to: must be after from (${from})`, { field: 'to' }));
    if (to - from > MAX_WINDOW_MS) throw new HttpError(errorBody('invalid', `to: the window may be at most ${MAX_REPORT_MINUTES / 1440} days`, { field: 'to' }));

    // Read once into one array (the fold is synchronous), only what the report counts; the card history is small.
    const cards = await store.listCardChanges(roomId, from, to).catch(storageFailed);
    const sales = await store.reportSales(roomId, from, to).catch(storageFailed);
    const report: ShowReport = showReport({ state, sales, cards, from, to });
    await nameFeeds(roomId, report.sources, feedName).catch(storageFailed);
    return report;
  };
}

export function registerReportRoutes(app: RelayHttp, deps: ReportRouteDeps): void {
  const { authorize, parseBody } = deps;
  const reportOf = roomReporter(deps);

  app.get<{ Params: { room: string }; Querystring: Record<string, string> }>('/api/rooms/:room/report', async (req, reply) => {
    const { actor, role } = await authorize(req, req.params.room);
    requireHostOrSales(role, 'read the report');
    const q = parseBody(ReportQuerySchema, req.query);
    const state = actor.state;
    const roomId = state.id;
    const report = await reportOf(state, q);

    const currency = state.room.currency;
    if (q.format === 'csv' || q.format === 'timeline.csv') {
      const body = q.format === 'csv' ? reportCsv(report, currency) : timelineCsv(report, currency);
      const name = q.format === 'csv' ? `liveshelf-report-${roomId}.csv` : `liveshelf-timeline-${roomId}.csv`;
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(body);
    }
    return report;
  });
}
