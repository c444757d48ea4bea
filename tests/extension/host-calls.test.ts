/**
 * The worker's host calls (messages.ts 'host.call', issue 18) under WXT's fakeBrowser against a
 * REAL relay on port 0: for a host room the worker calls the relay with the room's token and
 * hands back its answer (the page never holds the token); a co-host room is refused before any
 * request; the relay's refusal comes back with its field.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createBackground } from '../../extension/worker/background-main';
import { roomKeyOf } from '../../extension/common/storage-items';
import { startRelay, type CreatedRoom, type TestRelay } from '../support/relay';

let relay: TestRelay;
let room: CreatedRoom;
let bg: ReturnType<typeof createBackground>;

beforeAll(async () => {
  relay = await startRelay();
});
afterAll(async () => relay.close());
beforeEach(async () => {
  fakeBrowser.reset();
  room = await relay.createRoom({ title: 'Host calls' });
  bg = createBackground();
});
afterEach(() => bg.stop());

describe("the worker's host calls", () => {
  it('invites and lists people with the host token it holds, and passes the relay’s refusal on with its field', async () => {
    expect(await bg.handleMessage({ type: 'pair', link: room.links.host })).toMatchObject({ ok: true });
    const roomKey = roomKeyOf(relay.url, room.room.id);
    const invited = await bg.handleMessage({ type: 'host.call', roomKey, call: { kind: 'invite', name: '王县长', role: 'cohost' } });
    expect(invited).toMatchObject({ ok: true, host: { ok: true, body: { person: { name: '王县长', role: 'cohost' }, link: expect.stringContaining('/pair#') } } });
    const listed = await bg.handleMessage({ type: 'host.call', roomKey, call: { kind: 'people' } });
    expect(listed).toMatchObject({ ok: true, host: { ok: true, body: { people: [expect.objectContaining({ name: '王县长', connected: false })] } } });
    const empty = await bg.handleMessage({ type: 'host.call', roomKey, call: { kind: 'invite', name: ' ', role: 'cohost' } });
    expect(empty).toMatchObject({ ok: true, host: { ok: false, status: 400, code: 'invalid', field: 'name' } });
    const log = await bg.handleMessage({ type: 'host.call', roomKey, call: { kind: 'audit', after: 0, limit: 50 } });
    expect(log).toMatchObject({ ok: true, host: { ok: true, body: { entries: [] } } });
  });

  it('refuses them for a co-host room, and a malformed call names its field', async () => {
    expect(await bg.handleMessage({ type: 'pair', link: room.links.cohost })).toMatchObject({ ok: true });
    const roomKey = roomKeyOf(relay.url, room.room.id);
    expect(await bg.handleMessage({ type: 'host.call', roomKey, call: { kind: 'people' } })).toMatchObject({ ok: false, problem: 'forbidden' });
    const bad = await bg.handleMessage({ type: 'host.call', roomKey, call: { kind: 'audit', after: -1, limit: 50 } });
    expect(bad).toMatchObject({ ok: false, problem: 'invalid' });
    expect(bad.ok ? [] : bad.issues?.map((i) => i.field)).toContain('call.after');
  });
});
