import { defineConfig } from 'vitest/config';

/**
 * `npm test` runs the suite twice: on one redis-server, then with HUNT_TEST_REDIS=cluster on a
 * Redis Cluster of 3 masters and 3 replicas (test/global-setup.ts starts either). The second
 * run leaves out the files that never touch the run's Redis: they start their own servers
 * (embedded, cluster failover) or none at all, so a second run would test nothing new.
 */
const REDIS_FREE = [
  'test/embedded.test.ts',
  'test/cluster-failover.test.ts',
  'test/uws-fallback.test.ts',
  'test/puzzles.test.ts',
  'test/cipher.test.ts',
  'test/auth.test.ts',
  'test/errors.test.ts',
  'test/read-frame.test.ts',
  'test/answer-lane.test.ts',
  'test/shutdown.test.ts',
  'test/message-kinds.test.ts',
  'test/failure-table.test.ts',
  'test/bighunt-bench.test.ts',
];
/** Files about the runtime (transports, Node.js versions, the build, TLS, logs), not about Redis: once is enough. */
const RUNTIME_ONLY = [
  'test/node24.test.ts',
  'test/dist-build.test.ts',
  'test/tls.test.ts',
  'test/logs.test.ts',
  'test/docs.test.ts',
];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: process.env.HUNT_TEST_REDIS === 'cluster' ? [...REDIS_FREE, ...RUNTIME_ONLY] : [],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Several nodes and redis-server share two cores: run files one after another.
    fileParallelism: false,
    pool: 'forks',
  },
});
