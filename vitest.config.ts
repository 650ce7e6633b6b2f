import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * `npm test` runs the suite twice: on one redis-server, then with HUNT_TEST_REDIS=cluster on a
 * Redis Cluster of 3 masters and 3 replicas (test/global-setup.ts starts either). A test file
 * that the second run would test nothing new in says so in a line of its own, so a new file
 * decides for itself and no list here is kept by hand:
 * - `// vitest: redis-free`: it never touches the run's Redis (it starts its own servers, such as
 *   the embedded one or a failover cluster, or none at all);
 * - `// vitest: runtime-only`: it is about the runtime (transports, Node.js versions, the build,
 *   TLS, logs, docs), not about Redis: once is enough.
 * The cluster run leaves both out.
 */
const MARK = /^\/\/ vitest: (redis-free|runtime-only)\b/m;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

/** Files marked redis-free or runtime-only. */
const ONCE_ONLY = testFiles('test').filter((f) => MARK.test(readFileSync(f, 'utf8')));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: process.env.HUNT_TEST_REDIS === 'cluster' ? ONCE_ONLY : [],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Several nodes and redis-server share two cores: run files one after another.
    fileParallelism: false,
    pool: 'forks',
  },
});
