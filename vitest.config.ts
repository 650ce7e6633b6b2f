import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Several nodes and redis-server share two cores: run files one after another.
    fileParallelism: false,
    pool: 'forks',
  },
});
