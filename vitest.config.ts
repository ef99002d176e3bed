import { defineConfig } from 'vitest/config'

/**
 * Test tiers, from fast and local to slow and real: unit tests beside the code; integration tests against real brokers and
 * stores; reliability tests that kill and restart real processes; end-to-end tests in headless
 * Chromium. `pnpm test` runs them all.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/src/**/*.test.ts', 'server/src/**/*.test.ts', 'simulators/src/**/*.test.ts', 'web/src/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
          environment: 'node',
          // A safety net, not an expectation: the CPU-bound ones (the simulators' scenarios, ~2 s idle)
          // ran past vitest's default 5 s with both cores busy.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          // Cross-package tests, and package tests that need a real broker (`*.integration.test.ts` beside the code).
          include: ['tests/integration/**/*.test.ts', '*/src/**/*.integration.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'reliability',
          // Real processes killed and restarted, real brokers, fuzzing: one file at a time, bounded.
          include: ['tests/reliability/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'scale',
          // Several real instances in cluster mode (PostgreSQL, Mosquitto, Redis, nginx), killed and restarted.
          include: ['tests/scale/**/*.test.ts'],
          // Safety nets, not expectations: a stuck cluster fails sooner on its own checks (an instance
          // that exits, no progress). With both cores busy, cold starts alone took over a minute.
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
          // One Chromium at a time on a 2-core machine.
          fileParallelism: false,
        },
      },
    ],
  },
})
