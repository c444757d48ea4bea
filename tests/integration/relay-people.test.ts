/** Named people (issue 18): invite, list without tokens, a person's token works, revoking refuses it and closes their socket. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectClient, send, startRelay, type TestRelay } from '../support/relay.js';

let r: TestRelay;
beforeAll(async () => {
  r = await startRelay();
});
afterAll(async () => r.close());

describe('named people', () => {
  it('invites a co-host by name, whose token works until the host revokes it', async () => {
    const room = await r.createRoom();
    const id = room.room.id;
    const made = await api(r.url, `/api/rooms/${id}/people`, { method: 'POST', token: room.tokens.host, body: { name: '王县长', role: 'cohost' } });
    expect(made.status).toBe(201);
    expect(made.json.person).toMatchObject({ name: '王县长', role: 'cohost' });
    expect(made.json.link).toContain('/pair#');
    const list = await api(r.url, `/api/rooms/${id}/people`, { token: room.tokens.host });
    expect(list.json.people).toHaveLength(1);
    expect(JSON.stringify(list.json)).not.toContain(made.json.token);
    const { socket } = await connectClient(r.url, id, made.json.token);
    expect(await send(socket, { id: 'h1', type: 'card.hide' })).toMatchObject({ ok: true });
    expect((await api(r.url, `/api/rooms/${id}/people`, { token: made.json.token })).status).toBe(403);
    const closed = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    const del = await api(r.url, `/api/rooms/${id}/people/${made.json.person.id}`, { method: 'DELETE', token: room.tokens.host });
    expect(del.status).toBe(200);
    await closed;
    expect((await api(r.url, `/api/rooms/${id}`, { token: made.json.token })).status).toBe(401);
    expect((await api(r.url, `/api/rooms/${id}/people/nobody`, { method: 'DELETE', token: room.tokens.host })).status).toBe(404);
    socket.close();
  });
});
