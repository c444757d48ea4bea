/**
 * The report of a series of shows (issue 19): GET /api/series/:series/report (admin token; the
 * rooms of a series may have different hosts, and the county that publishes the sum is the
 * relay's owner), ?format=csv for one row per show and a total row. Each room's report is the
 * one GET /api/rooms/:room/report answers (roomReporter); shared/series-report.ts adds them up.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { seriesCsv, seriesReport, type SeriesInput } from '../../shared/series-report.js';
import { errorBody } from './answers.js';
import type { RelayHttp } from './deps.js';
import { HttpError } from './http-errors.js';
import type { RoomHub } from './room-hub.js';
import type { RoomStore } from './room-store.js';
import type { ReportQuery } from './report-routes.js';
import type { RoomState } from '../../shared/domain.js';
import type { ShowReport } from '../../shared/show-report.js';

export interface SeriesRouteDeps {
  hub: Pick<RoomHub, 'fresh'>;
  store: Pick<RoomStore, 'listSeriesRooms'>;
  requireAdmin(req: FastifyRequest, what: string): void;
  reportOf(state: RoomState, q: ReportQuery): Promise<ShowReport>;
  parseBody<T>(schema: z.ZodType<T>, body: unknown): T;
  storageFailed(err: unknown): never;
}

const SeriesQuerySchema = z.strictObject({ format: z.enum(['json', 'csv']).optional() });
/** As room.update's `series` (shared/domain.ts): up to 60 characters. */
const SeriesNameSchema = z.string().trim().min(1, 'must name a series').max(60, 'a series name has at most 60 characters');

export function registerSeriesRoutes(app: RelayHttp, { hub, store, requireAdmin, reportOf, parseBody, storageFailed }: SeriesRouteDeps): void {
  app.get<{ Params: { series: string }; Querystring: Record<string, string> }>('/api/series/:series/report', async (req, reply) => {
    requireAdmin(req, 'reading a series report');
    const q = parseBody(SeriesQuerySchema, req.query);
    const named = SeriesNameSchema.safeParse(req.params.series);
    if (!named.success) throw new HttpError(errorBody('invalid', `series: ${named.error.issues[0]?.message}`, { field: 'series' }));
    const series = named.data;
    const ids = await store.listSeriesRooms(series).catch(storageFailed);
    const rooms: { state: RoomState }[] = [];
    for (const id of ids) {
      const actor = await hub.fresh(id).catch(storageFailed);
      // A room deleted between the listing and now is not part of the series any more.
      if (actor && actor.state.room.series === series) rooms.push({ state: actor.state });
    }
    if (rooms.length === 0) throw new HttpError(errorBody('not_found', `no room is in the series "${series}" (set it with room.update {changes: {series}})`));
    const currencies = [...new Set(rooms.map((r) => r.state.room.currency))];
    if (currencies.length > 1) {
      const which = rooms.map((r) => `${r.state.id} ${r.state.room.currency}`).join(', ');
      throw new HttpError(errorBody('conflict', `the series mixes currencies (${which}): money of two currencies is not added up`, { reason: 'mixed_currencies' }));
    }
    const inputs: SeriesInput[] = [];
    for (const { state } of rooms) inputs.push({ title: state.room.title, locale: state.room.locale, timeZone: state.room.timeZone, report: await reportOf(state, {}) });
    const report = seriesReport(series, currencies[0]!, inputs);
    if (q.format === 'csv') {
      const file = `liveshelf-series-${encodeURIComponent(series)}.csv`;
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="series.csv"; filename*=UTF-8''${file}`).send(seriesCsv(report));
    }
    return report;
  });
}
