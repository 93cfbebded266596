import { defineConfig } from 'vitest/config';

// The browser tests (test/browser): Debian's chromium driven by playwright-core against a
// `kubesim dashboard` process and report files. A project of their own, run by `npm test` after
// the rest (`npm run test:browser` alone); tools/ensure-chromium.sh installs the browser.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // one browser at a time: two cores are shared with the rest of the machine
    fileParallelism: false,
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/on-demand-modules.ts'],
  },
});
