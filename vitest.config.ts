import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Projects: pure unit tests (no I/O), integration (real relay on port 0, real socket.io
// clients, real processes), e2e (real Chromium, real OBS under Xvfb, real Redis).
export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 60_000 } },
      // The extension's logic under WXT's fakeBrowser (in-memory storage, runtime messaging).
      { plugins: [WxtVitest()], test: { name: 'extension', include: ['tests/extension/**/*.test.ts'], environment: 'node', testTimeout: 30_000 } },
      { test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], environment: 'node', testTimeout: 120_000, hookTimeout: 120_000 } },
    ],
  },
});
