// vitest: redis-free (it never touches the run's Redis, so npm run test:cluster leaves it out)
/**
 * A node's shutdown always finishes: each step has a 2 s deadline, so a dependency that hangs
 * (here the node's own redis-server, stopped with SIGSTOP so every call to it waits) cannot
 * hold the rest. The steps that overran are logged with their names.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PlayerSocket } from '../client/index.js';
import { startEmbeddedRedis, type EmbeddedRedis } from '../redis/index.js';
import { liveHunt, recordingLogger, startCluster } from './helpers.js';

const STEP_DEADLINE_MS = 2000;

describe('shutdown', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hunt-shutdown-'));
  let redis: EmbeddedRedis | undefined;
  afterAll(async () => {
    if (redis) process.kill(redis.pid, 'SIGCONT');
    await redis?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes within its step deadlines while Redis hangs, logging each step that overran', async () => {
    redis = await startEmbeddedRedis({ dir, appendonly: false });
    const log = recordingLogger();
    const c = await startCluster([['front', 'shard', 'worker']], { redisUrl: redis.url, logger: log.logger });
    const hunt = await liveHunt(c.gm(), 1, 'shutdown');
    const joined = await c.gm().join(hunt.id, 'stayer');
    const ws = await PlayerSocket.connect(c.url(), joined.token);
    await ws.waitType('welcome');
    // every Redis call from here on waits forever (the server neither answers nor closes)
    process.kill(redis.pid, 'SIGSTOP');
    const node = c.nodes[0]!;
    const started = performance.now();
    await node.close();
    const ms = performance.now() - started;
    const overran = log.records.filter((r) => r.msg === 'shutdown step overran its deadline; going on');
    console.log(
      `shutdown with a hung Redis took ${Math.round(ms)} ms; steps past their deadline: ${overran.map((r) => String(r.step)).join(', ')}`,
    );
    // at least one step hung on Redis and was cut at its deadline, and every step was cut, not awaited
    expect(overran.length).toBeGreaterThan(0);
    for (const r of overran) expect(r.ms).toBe(STEP_DEADLINE_MS);
    expect(ms).toBeLessThan((overran.length + 1) * STEP_DEADLINE_MS + 5_000);
    expect(log.records.some((r) => r.msg === 'node stopped')).toBe(true);
    // the socket was told the node is going away, although Redis hung
    expect(await ws.waitClose()).toBe(1001);
    process.kill(redis.pid, 'SIGCONT');
    await c.close();
  });
});
