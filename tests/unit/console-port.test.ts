/** The pages parse what the worker pushes over the console port (house rule 2). */
import { describe, expect, it } from 'vitest';
import { parsePush } from '../../extension/common/console-port';

const status = { state: 'connected', error: null, programScene: 'Main', scenes: ['Main', '产品特写'], streaming: false, recording: true, obsVersion: '29.0.2', obsWebSocketVersion: '5.1.0' };
const refused = { code: 'obs-password-refused', params: {}, message: 'OBS refused the password: check Tools → WebSocket Server Settings.' };

describe('parsePush', () => {
  it.each([
    ['an OBS status', { type: 'obs.status', status, notice: null }],
    ['an OBS status with an error and a notice', { type: 'obs.status', status: { ...status, state: 'disconnected', error: refused }, notice: { code: 'obs-scene-not-found', params: { scene: 'X' }, message: 'm' } }],
    ['a room state', { type: 'room.state', roomKey: 'r@h', state: { products: [] } }],
  ])('accepts %s', (_name, push) => {
    expect(parsePush(push)).toEqual(push);
  });

  it.each([
    ['an unknown type', { type: 'obs.password', status }],
    ['an unknown connection state', { type: 'obs.status', status: { ...status, state: 'happy' }, notice: null }],
    ['scenes that are not strings', { type: 'obs.status', status: { ...status, scenes: [1] }, notice: null }],
    ['an error with an unknown code', { type: 'obs.status', status: { ...status, error: { ...refused, code: 'obs-nope' } }, notice: null }],
    ['a room state without products', { type: 'room.state', roomKey: 'r@h', state: {} }],
    ['not an object', 'obs.status'],
  ])('refuses %s', (_name, push) => {
    expect(parsePush(push)).toBeNull();
  });

  it('keeps only string and number parameters of an error', () => {
    const p = parsePush({ type: 'obs.status', status, notice: { code: 'obs-scene-not-found', params: { scene: 'X', bad: { nested: true } }, message: 'm' } });
    expect(p?.type === 'obs.status' && p.notice?.params).toEqual({ scene: 'X' });
  });
});
