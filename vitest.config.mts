import { defineConfig } from 'vitest/config';

/**
 * Files that measure rates against a bound (not only behaviour): they run after the rest of the suite,
 * one at a time, so that other files' local clouds do not starve them of CPU on a 2-core machine.
 */
const MEASURING = ['tests/inventory/shared-budget.test.ts'];

const timeouts = { testTimeout: 60_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        test: {
          ...timeouts,
          name: 'suite',
          include: ['tests/**/*.test.ts'],
          exclude: MEASURING,
          globalSetup: ['tests/support/global-setup.ts'],
          fileParallelism: true,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...timeouts,
          name: 'measuring',
          include: MEASURING,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
