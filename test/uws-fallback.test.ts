// vitest: redis-free (it never touches the run's Redis, so npm run test:cluster leaves it out)
/**
 * The uWebSockets.js package switches silently to a JavaScript shim of its own when its addon
 * does not load (or when UWS_USE_FALLBACK is set). The node never takes that shim: it loads the
 * addon itself, tells the addon from the shim, and where no addon loads runs its own, tested
 * fallback transport (test/transport-fallback.test.ts).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadNativeUws, nativeProblem } from '../server/index.js';
import { freshPrefix, redisUrl, spawnNode } from './helpers.js';

describe('uWebSockets.js native check', () => {
  it("tells the native addon from the package's own shim", () => {
    const shim = createRequire(import.meta.url)('uWebSockets.js/dist/index.js') as object;
    expect(nativeProblem(shim)).toMatch(/not the native addon/);
    expect(nativeProblem(loadNativeUws())).toBeNull();
  });

  it("never runs on the package's shim, even when UWS_USE_FALLBACK asks for it", async () => {
    const node = spawnNode(['--port', '0', '--redis', redisUrl(), '--prefix', freshPrefix()], {
      UWS_USE_FALLBACK: '1',
    });
    const exited = new Promise<number | null>((resolve) => node.child.once('exit', resolve));
    try {
      await node.ready;
    } finally {
      node.child.kill('SIGTERM');
      await exited;
    }
    expect(node.output()).toContain('transport: uWebSockets.js (native)');
    expect(node.output()).not.toContain('Using µWS fallback');
  });
});
