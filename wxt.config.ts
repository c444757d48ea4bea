/**
 * WXT builds the browser extension from extension/ (house style: one folder per entrypoint).
 * Chrome MV3 first (`wxt build`), Firefox MV2 with a sidebar (`wxt build -b firefox`).
 * Permissions are the least that works: storage, sidePanel, alarms (to wake the worker so the
 * outbox is retried while the relay is down) and host access to a relay on loopback; any other
 * relay origin is an optional permission requested when the host pastes its pairing link.
 */
import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';

export default defineConfig({
  srcDir: 'extension',
  imports: false,
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: 'LiveShelf',
    description: 'Live-commerce console: product queue, show cards, count sales, ticker and countdown.',
    default_locale: undefined,
    permissions: ['storage', 'alarms'],
    host_permissions: ['http://127.0.0.1/*', 'http://localhost/*'],
    ...(browser === 'firefox'
      ? { optional_permissions: ['http://*/*', 'https://*/*'] as string[] }
      : { optional_host_permissions: ['http://*/*', 'https://*/*'] }),
    action: { default_title: 'LiveShelf' },
    commands: {
      'sale-plus-one': { suggested_key: { default: 'Alt+Shift+1' }, description: '+1 sale on the current product' },
      'card-next': { suggested_key: { default: 'Alt+Shift+N' }, description: 'Show the next product' },
      'card-toggle': { suggested_key: { default: 'Alt+Shift+H' }, description: 'Show or hide the product card' },
    },
    ...(browser === 'firefox' && {
      browser_specific_settings: { gecko: { id: 'liveshelf@liveshelf.dev', strict_min_version: '115.0' } },
    }),
  }),
});
