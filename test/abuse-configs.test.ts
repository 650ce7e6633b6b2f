/**
 * Config guard rails: values the schemas take but that would stop play are refused with
 * CONFIG_INVALID and the reason, on a write and on a rollback, unless the writer forces them.
 */
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { HttpError } from '../client/index.js';
import { DEFAULT_FANOUT, DEFAULT_LIMITS, DEFAULT_ROUTING } from '../config/index.js';
import { isCluster } from '../redis/index.js';
import { restoreConfigs, startCluster, type Cluster } from './helpers.js';

describe('config guard rails', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster();
  });
  afterEach(() => restoreConfigs(c, { limits: DEFAULT_LIMITS, routing: DEFAULT_ROUTING, fanout: DEFAULT_FANOUT }));
  afterAll(() => c?.close());

  const current = (name: string): Promise<{ version: number; value: Record<string, unknown> }> =>
    c.gm().request('GET', `/api/configs/${name}`);
  const put = async (
    name: string,
    patch: Record<string, unknown>,
    force?: boolean,
  ): Promise<{ status: number; code?: string; paths?: string[]; message?: string }> => {
    const cur = await current(name);
    try {
      await c.gm().request('PUT', `/api/configs/${name}`, {
        value: { ...cur.value, ...patch },
        expectedVersion: cur.version,
        ...(force === undefined ? {} : { force }),
      });
      return { status: 200 };
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      return {
        status: err.status,
        code: err.code,
        paths: (err.details as { path: string }[]).map((d) => d.path),
        message: err.message,
      };
    }
  };

  const cases: [string, Record<string, unknown>, string][] = [
    ['limits', { messagesPerSecond: 0.5 }, 'messagesPerSecond'],
    ['limits', { burst: 1, strikesBeforeClose: 1 }, 'burst'],
    ['limits', { maxFrameBytes: 1024 }, 'maxFrameBytes'],
    ['limits', { maxBodyBytes: 2048 }, 'maxBodyBytes'],
    ['fanout', { tickMs: 10_000 }, 'tickMs'],
    ['routing', { batch: { ...DEFAULT_ROUTING.batch, maxDelayMs: 1000 } }, 'batch.maxDelayMs'],
  ];
  for (const [name, patch, path] of cases) {
    it(`refuses ${name}.${path} at ${JSON.stringify(patch)} unless forced`, async () => {
      const before = await current(name);
      const refused = await put(name, patch);
      expect(refused).toMatchObject({ status: 400, code: 'CONFIG_INVALID', paths: [path] });
      expect(refused.message).toContain('force');
      expect((await current(name)).version).toBe(before.version);
      expect(await put(name, patch, false)).toMatchObject({ status: 400, code: 'CONFIG_INVALID' });
      expect(await put(name, patch, true)).toEqual({ status: 200 });
      expect((await current(name)).value).toMatchObject(patch);
    });
  }

  it('refuses acknowledgements waiting for more replicas than the masters have', async () => {
    // the test cluster gives each master one replica; the single redis-server has none
    const present = isCluster(c.redis) ? 1 : 0;
    expect(await put('routing', { ackReplicas: present + 1 })).toMatchObject({
      status: 400,
      code: 'CONFIG_INVALID',
      paths: ['ackReplicas'],
    });
    expect(await put('routing', { ackReplicas: present })).toEqual({ status: 200 });
    expect(await put('routing', { ackReplicas: present + 1 }, true)).toEqual({ status: 200 });
  });

  it('refuses a rollback to a version that would stop play, unless forced', async () => {
    expect(await put('fanout', { tickMs: 5000 }, true)).toEqual({ status: 200 });
    const bad = (await current('fanout')).version;
    expect(await put('fanout', { tickMs: 50 })).toEqual({ status: 200 });
    await expect(c.gm().request('POST', '/api/configs/fanout/rollback', { version: bad })).rejects.toMatchObject({
      status: 400,
      code: 'CONFIG_INVALID',
    });
    expect((await current('fanout')).value.tickMs).toBe(50);
    await c.gm().request('POST', '/api/configs/fanout/rollback', { version: bad, force: true });
    expect((await current('fanout')).value.tickMs).toBe(5000);
  });

  it('takes the shipped defaults and ordinary changes as they are', async () => {
    for (const [name, value] of Object.entries({
      limits: DEFAULT_LIMITS,
      routing: DEFAULT_ROUTING,
      fanout: DEFAULT_FANOUT,
    })) {
      expect(await put(name, value)).toEqual({ status: 200 });
    }
    expect(await put('limits', { messagesPerSecond: 20, burst: 40 })).toEqual({ status: 200 });
  });
});
