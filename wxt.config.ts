/**
 * WXT builds the browser extension from extension/ (house style: one folder per entrypoint).
 * Chrome MV3 first (`wxt build`), Firefox MV2 with a sidebar (`wxt build -b firefox`).
 * Permissions are the least that works: storage, sidePanel, alarms (to wake the worker so the
 * outbox is retried while the relay is down) and host access to a relay on loopback; any other
 * relay origin is an optional permission requested when the host pastes its pairing link.
 * The manifest's texts (description, toolbar tooltip, shortcut descriptions) are `__MSG_…__`
 * placeholders the browser fills from extension/public/_locales/{en,zh_CN,fr}/messages.json
 * (the vanilla browser.i18n mechanism; tests/unit/manifest-locales.test.ts checks the keys).
 * The console's own words are in shared/i18n/<locale>/console.ts (extension/ui/i18n.ts reads
 * them): keep the two in step.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import preact from '@preact/preset-vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'wxt';
import { extensionBundlePolicy } from './scripts/extension-bundle-policy';

/**
 * The side panel's first paint should wait for as few requests as possible: each file is one
 * more round trip through the browser process on the main thread all extension pages share.
 * So the side panel is built on its own (not in one multi-page build with the popup and the
 * options page, which made the code they share a separate chunk): everything it imports
 * statically is in its one entry file, and only what loads on first use (product form, CSV
 * import, OBS) is split into chunks that import from that file. Its stylesheet is inlined into
 * sidepanel.html (the extension CSP restricts scripts, not styles), so no <link> holds up its
 * script and first frame (the lazy chunks list no CSS of their own: console.css is the entry's).
 */
const SOLO_PAGES = new Set(['sidepanel']);

const ICONS = { 16: 'icon/16.png', 32: 'icon/32.png', 48: 'icon/48.png', 128: 'icon/128.png' };

/**
 * The side panel's app bundle is not a <script type="module"> of its page: the snapshot script
 * (entrypoints/sidepanel-snapshot.ts) imports it, after the snapshot's first frame when it
 * painted one, at once otherwise. A module script in the page would hold up its load event, and
 * Chrome shows a side panel only after that event. The bundle's address is written into the
 * snapshot script (built earlier, in its own group) as the literal of its import(), over the
 * placeholder there, and the script is marked data-app (what tells it from `wxt dev`'s page).
 */
const APP_BUNDLE_PLACEHOLDER = '/__liveshelf-app-bundle__.js';
function appAfterSnapshot(): Plugin {
  let app: string | undefined;
  return {
    name: 'liveshelf:app-after-snapshot',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const m = /<script type="module" crossorigin src="([^"]+)"><\/script>\s*/.exec(html);
        if (!m || !html.includes('<script src="/sidepanel-snapshot.js"></script>')) throw new Error('sidepanel.html: the app script or the snapshot script is missing');
        app = m[1]!;
        return html.replace(m[0], '').replace('<script src="/sidepanel-snapshot.js"></script>', `<script src="/sidepanel-snapshot.js" data-app="${app}"></script>`);
      },
    },
    writeBundle(options) {
      const file = join(options.dir ?? '', 'sidepanel-snapshot.js');
      const code = existsSync(file) ? readFileSync(file, 'utf8') : '';
      if (!app || code.split(APP_BUNDLE_PLACEHOLDER).length !== 2) throw new Error(`${file}: not built before the side panel, or without its one placeholder for the app's address`);
      writeFileSync(file, code.replace(APP_BUNDLE_PLACEHOLDER, app));
    },
  };
}

function inlineCss(): Plugin {
  return {
    name: 'liveshelf:inline-css',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        return html.replace(/<link rel="stylesheet"(?: crossorigin)? href="\/?([^"]+\.css)">/g, (tag, file: string) => {
          const asset = ctx.bundle?.[file];
          if (!asset || asset.type !== 'asset') return tag;
          delete ctx.bundle![file];
          return `<style>${String(asset.source).replace(/<\/style/gi, '<\\/style')}</style>`;
        });
      },
    },
  };
}

export default defineConfig({
  srcDir: 'extension',
  // WXT 0.21 copies `<root>/public` by default (not `<srcDir>/public`): keep the extension's files with it.
  publicDir: 'extension/public',
  imports: false,
  // `npm run zip`: the store packages, and for AMO the sources they build from; what .gitignore
  // keeps out of the repository (test screenshots, the overlay's build, a relay's data) stays out.
  zip: { excludeSources: ['tests/artifacts/**', 'dist/**', 'data/**', 'bench/results/**'] },
  vite: () => ({ plugins: [preact(), extensionBundlePolicy()] }),
  hooks: {
    // Firefox's sidebar gets the same icons; WXT writes sidebar_action from the side panel entrypoint, after `manifest` below.
    'build:manifestGenerated': (_wxt, manifest) => {
      const sidebar = (manifest as { sidebar_action?: Record<string, unknown> }).sidebar_action;
      if (sidebar) sidebar['default_icon'] = ICONS;
    },
    'entrypoints:grouped': (_wxt, groups) => {
      // Groups are edited in place: the pages in SOLO_PAGES leave their multi-page group for one of their own.
      for (const group of [...groups]) {
        if (!Array.isArray(group) || group.length < 2) continue;
        for (const entry of group.filter((e) => SOLO_PAGES.has(e.name))) {
          group.splice(group.indexOf(entry), 1);
          groups.push([entry]);
        }
      }
    },
    'vite:build:extendConfig': (entrypoints, config) => {
      if (entrypoints.length === 1 && SOLO_PAGES.has(entrypoints[0]!.name)) config.plugins = [...(config.plugins ?? []), inlineCss(), appAfterSnapshot()];
    },
  },
  manifest: ({ browser, manifestVersion }) => ({
    name: 'LiveShelf',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // Rendered from assets/icon/liveshelf.svg by scripts/render-icons.ts: toolbar, extensions page, store.
    icons: ICONS,
    // WXT adds the popup's page and title to the toolbar button; MV2 (Firefox) calls it browser_action.
    ...(manifestVersion === 2 ? { browser_action: { default_icon: ICONS } } : { action: { default_icon: ICONS } }),
    // scripting: the seller-page reader (issue 13) injects its content script into the tab the host
    // picks a number on, and registers it for the sites bound, under an optional host permission
    // asked for that site only; nothing is registered for all sites.
    permissions: ['storage', 'alarms', 'scripting'],
    host_permissions: ['http://127.0.0.1/*', 'http://localhost/*'],
    ...(browser === 'firefox'
      ? { optional_permissions: ['http://*/*', 'https://*/*'] as string[] }
      : { optional_host_permissions: ['http://*/*', 'https://*/*'] }),
    // action.default_title (the toolbar button's tooltip) is the popup's <title>, __MSG_actionTitle__:
    // WXT puts that title into the manifest over any set here (extension/entrypoints/popup/index.html).
    commands: {
      'sale-plus-one': { suggested_key: { default: 'Alt+Shift+1' }, description: '__MSG_commandSalePlusOne__' },
      'card-next': { suggested_key: { default: 'Alt+Shift+N' }, description: '__MSG_commandCardNext__' },
      'card-toggle': { suggested_key: { default: 'Alt+Shift+H' }, description: '__MSG_commandCardToggle__' },
    },
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'liveshelf@liveshelf.dev',
          // 140 (the ESR line since 115's ended) is the first Firefox that reads data_collection_permissions.
          strict_min_version: '140.0',
          // Nothing is collected for LiveShelf's authors or anyone else: what the host types (products,
          // sales, ticker) goes only to the relay they run and paired with (store/firefox/*.md says so).
          data_collection_permissions: { required: ['none'] },
        },
        // Firefox for Android reads the same declaration from 142 on.
        gecko_android: { strict_min_version: '142.0' },
      },
    }),
  }),
});
