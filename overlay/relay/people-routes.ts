/**
 * Named people of a room (issue 18): the host invites someone by name and role and gets a
 * personal token and link for them; lists them (never a token); revokes one, which refuses
 * their token from then on and closes their open connections at once. Persons are an access
 * list kept beside the room (RoomStore people), not part of the state the reducer sees. The list
 * says who is connected now (from the live sockets), never a token.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Role } from '../../shared/domain.js';
import { pairingLink } from '../../shared/pairing.js';
import { errorBody } from './answers.js';
import type { Clock, RelayHttp } from './deps.js';
import { HttpError } from './http-errors.js';
import { patchRoom } from './patch-room.js';
import type { RoomActor } from './room-hub.js';
import type { RoomStore } from './room-store.js';
import type { RelayServer } from './socket-session.js';
import { hashToken, newToken } from './tokens.js';

export const InviteSchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  role: z.enum(['host', 'cohost', 'sales']),
});

export interface PeopleRouteDeps {
  io: RelayServer;
  store: RoomStore;
  clock: Clock;
  publicUrl: () => string;
  authorize: (req: FastifyRequest, roomId: string) => Promise<{ actor: RoomActor; role: Role }>;
  parseBody: <T>(schema: z.ZodType<T>, body: unknown) => T;
  storageFailed: (err: unknown) => never;
}

export function registerPeopleRoutes(app: RelayHttp, { io, store, clock, publicUrl, authorize, parseBody, storageFailed }: PeopleRouteDeps): void {
  async function hostOf(req: FastifyRequest, roomId: string): Promise<RoomActor> {
    const { actor, role } = await authorize(req, roomId);
    if (role !== 'host') throw new HttpError(errorBody('forbidden', 'only the host token may manage the people of a room'));
    return actor;
  }

  app.post<{ Params: { room: string } }>('/api/rooms/:room/people', async (req, reply) => {
    const actor = await hostOf(req, req.params.room);
    const { name, role } = parseBody(InviteSchema, req.body);
    const roomId = actor.state.id;
    const token = newToken(role);
    const id = 'p_' + randomBytes(8).toString('base64url').replace(/[-_]/g, 'x');
    await store.addPerson(roomId, { id, name, role, tokenHash: hashToken(token), createdAt: clock.now(), lastSeenAt: null }).catch(storageFailed);
    return reply.code(201).send({ person: { id, name, role }, token, link: pairingLink(publicUrl(), roomId, role, token) });
  });

  app.get<{ Params: { room: string } }>('/api/rooms/:room/people', async (req) => {
    const actor = await hostOf(req, req.params.room);
    const roomId = actor.state.id;
    const people = await store.listPeople(roomId).catch(storageFailed);
    // Who is connected now: their open sockets, on any relay process (through the adapter).
    const online = new Set<string>();
    for (const s of await io.in([roomId, patchRoom(roomId)]).fetchSockets().catch(() => [])) if (s.data.personId !== undefined) online.add(s.data.personId);
    return { people: people.map(({ id, name, role, createdAt, lastSeenAt }) => ({ id, name, role, createdAt, lastSeenAt, connected: online.has(id) })) };
  });

  app.delete<{ Params: { room: string; id: string } }>('/api/rooms/:room/people/:id', async (req) => {
    const actor = await hostOf(req, req.params.room);
    const roomId = actor.state.id;
    const removed = await store.removePerson(roomId, req.params.id).catch(storageFailed);
    if (!removed) throw new HttpError(errorBody('not_found', `no person "${req.params.id}" in this room`, { field: 'id' }));
    // Their open connections (on any relay process, through the adapter) are closed now.
    for (const s of await io.in([roomId, patchRoom(roomId)]).fetchSockets()) {
      if (s.data.personId !== req.params.id) continue;
      s.emit('session.ended', { code: 'unauthorized', message: 'the host revoked your access to this room' });
      s.disconnect(true);
    }
    return { ok: true, revoked: req.params.id };
  });
}
