/**
 * The room's audit log (issue 18), for the host: who applied which command and when, as JSON
 * pages (`?after=<next>&limit=`) or the whole log as a CSV (`?format=csv`). The entries are
 * written by the room actor's commit (room-hub.ts), never here: this route only reads.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { auditCsv } from '../../shared/audit-export.js';
import type { Role } from '../../shared/domain.js';
import { errorBody } from './answers.js';
import type { RelayHttp } from './deps.js';
import { HttpError } from './http-errors.js';
import type { RoomActor } from './room-hub.js';
import type { RoomStore } from './room-store.js';

const AuditQuerySchema = z.strictObject({
  // The cursor is the seq of the last entry of the previous page (0 = from the start).
  after: z.coerce.number().int('must be a whole number (use "next" from the previous page)').min(0, 'must be at least 0').max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(10_000, 'must be at most 10000').optional(),
  format: z.enum(['json', 'csv']).optional(),
});

const CSV_PAGE = 2000;

export interface AuditRouteDeps {
  store: RoomStore;
  authorize: (req: FastifyRequest, roomId: string) => Promise<{ actor: RoomActor; role: Role }>;
  parseBody: <T>(schema: z.ZodType<T>, body: unknown) => T;
  storageFailed: (err: unknown) => never;
}

export function registerAuditRoutes(app: RelayHttp, { store, authorize, parseBody, storageFailed }: AuditRouteDeps): void {
  app.get<{ Params: { room: string }; Querystring: Record<string, string> }>('/api/rooms/:room/audit', async (req, reply) => {
    const { actor, role } = await authorize(req, req.params.room);
    if (role !== 'host') throw new HttpError(errorBody('forbidden', `the ${role} token may not read the audit log: use the host token`));
    // An unknown parameter is named itself (the strict schema alone would say only "(body)").
    const unknown = Object.keys(req.query).find((k) => !Object.hasOwn(AuditQuerySchema.shape, k));
    if (unknown !== undefined) throw new HttpError(errorBody('invalid', `${unknown}: not a parameter of the audit log (after, limit, format)`, { field: unknown }));
    const q = parseBody(AuditQuerySchema, req.query);
    const roomId = actor.state.id;
    let after = q.after ?? 0;
    if (q.format === 'csv') {
      // Read page by page so one request never holds a huge query result.
      const parts: string[] = [];
      for (let first = true; ; first = false) {
        const page = await store.listAudit(roomId, after, CSV_PAGE).catch(storageFailed);
        parts.push(auditCsv(page, { header: first }));
        if (page.length < CSV_PAGE) break;
        after = page[page.length - 1]!.seq;
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="liveshelf-audit-${roomId}.csv"`)
        .send(parts.join(''));
    }
    const limit = q.limit ?? 1000;
    // The reversal record is the relay's own: a client gets the entry without it.
    const entries = (await store.listAudit(roomId, after, limit).catch(storageFailed)).map(({ inverse: _inverse, ...e }) => e);
    const last = entries[entries.length - 1];
    return { room: roomId, entries, next: entries.length === limit && last ? String(last.seq) : null };
  });
}
