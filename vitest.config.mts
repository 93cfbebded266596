import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the browser tests are a project of their own (vitest.browser.config.mts), run after these
    exclude: ['test/browser/**', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/on-demand-modules.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
