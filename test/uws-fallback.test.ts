/** The node refuses to run on the ws fallback of the uWebSockets.js package. */
import { describe, expect, it } from 'vitest';
import { spawnNode } from './helpers.js';

const FALLBACK_SWITCH = 'UWS_USE_FALLBACK';

describe('uWebSockets.js native check', () => {
  it('exits with a clear message when the package falls back to ws', async () => {
    const node = spawnNode(['--port', '0', '--redis', 'redis://127.0.0.1:1'], { [FALLBACK_SWITCH]: String(1) });
    const code = await new Promise<number | null>((resolve) => node.child.once('exit', resolve));
    expect(code).toBe(1);
    expect(node.output()).toContain('refusing to run on the slow ws fallback');
    expect(node.output()).not.toContain('listening on');
  });
});
