import { describe, expect, it } from 'vitest';
import { OBS_ERROR_CODES, OBS_MESSAGES, ObsError, obsErrorText, overlayUrlForCanvas } from '../../extension/worker/obs-control.js';
import type { Locale } from '../../shared/i18n/locale.js';

const link = 'http://127.0.0.1:4600/overlay/?room=r_demo&token=t0k%2Fen';

describe('overlayUrlForCanvas', () => {
  it.each([
    { canvas: { width: 1920, height: 1080 }, layout: 'landscape' },
    { canvas: { width: 1280, height: 720 }, layout: 'landscape' },
    { canvas: { width: 1080, height: 1920 }, layout: 'portrait' },
    { canvas: { width: 720, height: 1280 }, layout: 'portrait' },
    { canvas: { width: 1080, height: 1080 }, layout: 'landscape' },
  ] as const)('chooses $layout on a $canvas.width x $canvas.height canvas', ({ canvas, layout }) => {
    const r = overlayUrlForCanvas(link, canvas);
    expect(r.layout).toBe(layout);
    const u = new URL(r.url);
    expect(u.searchParams.getAll('layout')).toEqual([layout]);
    expect(u.searchParams.get('room')).toBe('r_demo');
    expect(u.searchParams.get('token')).toBe('t0k/en');
  });

  it('replaces a layout already in the link instead of adding a second one', () => {
    const u = new URL(overlayUrlForCanvas(`${link}&layout=landscape&theme=dark`, { width: 1080, height: 1920 }).url);
    expect(u.searchParams.getAll('layout')).toEqual(['portrait']);
    expect(u.searchParams.get('theme')).toBe('dark');
  });
});

describe('OBS error messages', () => {
  it.each(['en', 'zh-CN', 'fr'] as Locale[])('has %s wording for every code, using only the params it is given', (locale) => {
    const en = OBS_MESSAGES.en;
    for (const code of OBS_ERROR_CODES) {
      const template = OBS_MESSAGES[locale][code];
      const names = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(template), `${locale} ${code}`).toEqual(names(en[code]));
    }
  });

  it('fills in the params, in the host language', () => {
    expect(obsErrorText({ code: 'obs-scene-not-found', params: { scene: '产品特写' } }, 'zh-CN')).toBe('OBS 中没有名为“产品特写”的场景。请核对商品上的场景名或 OBS 中的场景。');
    expect(obsErrorText({ code: 'obs-unreachable', params: { url: 'ws://127.0.0.1:4455' } }, 'fr')).toContain('Impossible de joindre OBS à ws://127.0.0.1:4455.');
  });

  it('says plainly what happened and what to do, in English by default', () => {
    expect(new ObsError('obs-password-refused').message).toBe('OBS refused the password: check Tools → WebSocket Server Settings.');
    expect(new ObsError('obs-no-browser-source', { url: link }).message).toContain(link);
    expect(new ObsError('obs-scene-not-found', { scene: '产品特写' }).message).toContain('"产品特写"');
  });

  it('crosses the message channel as plain data with code, params and message', () => {
    const info = new ObsError('obs-unreachable', { url: 'ws://127.0.0.1:4455' }).toInfo();
    expect(structuredClone(info)).toEqual({ code: 'obs-unreachable', params: { url: 'ws://127.0.0.1:4455' }, message: expect.stringContaining('ws://127.0.0.1:4455') });
  });

  it.each([
    ['obs-unreachable', true],
    ['obs-connection-lost', true],
    ['obs-password-refused', false],
    ['obs-too-old', false],
    ['obs-scene-not-found', false],
  ] as const)('%s is retryable by itself: %s', (code, retryable) => {
    expect(new ObsError(code).retryable).toBe(retryable);
  });
});
