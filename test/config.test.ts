/** Named configs: compare-and-set, validation, hot reload on every node, rollback, live limits. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket } from '../client/index.js';
import { DEFAULT_LIMITS, type LimitsConfig } from '../config/index.js';
import { liveHunt, startCluster, until, type Cluster } from './helpers.js';

interface ConfigsBody {
  configs: { name: string; version: number; applied: Record<string, number | null> }[];
}

describe('named configs', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker'], ['front'], ['front']]);
  });
  afterAll(() => c.close());

  const current = async (name: string): Promise<{ version: number; value: unknown }> =>
    c.gm().request('GET', `/api/configs/${name}`);
  const put = (
    name: string,
    value: unknown,
    expectedVersion: number,
    node = 0,
    force?: boolean,
  ): Promise<{ name: string; version: number }> =>
    c.gm(node).request('PUT', `/api/configs/${name}`, { value, expectedVersion, ...(force ? { force } : {}) });
  /** Waits until every node reports applying `version` of `name`. */
  const converged = (name: string, version: number): Promise<true> =>
    until(`every node on ${name} v${version}`, async () => {
      const body = await c.gm().request<ConfigsBody>('GET', '/api/configs');
      const applied = Object.values(body.configs.find((x) => x.name === name)?.applied ?? {});
      return applied.length === c.nodes.length && applied.every((v) => v === version) ? true : undefined;
    });

  it('lists the shipped defaults with a version each', async () => {
    const body = await c.gm().request<ConfigsBody>('GET', '/api/configs');
    expect(body.configs.map((x) => x.name)).toEqual(
      expect.arrayContaining(['fanout', 'limits', 'routing', 'scoring', 'template:starter']),
    );
    // the first version is the shipped default, whatever other tests wrote since
    const now = await current('limits');
    const { history } = await c
      .gm()
      .request<{ history: { version: number; value: unknown }[] }>('GET', '/api/configs/limits/history');
    const first = [now, ...history].reduce((a, b) => (b.version < a.version ? b : a));
    expect(first.version).toBe(1);
    expect(first.value).toEqual(DEFAULT_LIMITS);
  });

  it('lets exactly one of 20 concurrent writers with the same expected version win', async () => {
    const { version } = await current('fanout');
    const { value } = await current('fanout');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => put('fanout', { ...(value as object), topN: 10 + i }, version, i % 3)),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const l of lost) expect(l.reason).toMatchObject({ status: 409, code: 'CONFIG_VERSION_CONFLICT' });
    expect((await current('fanout')).version).toBe(version + 1);
  });

  it('brings every node to a new version, visible in the reported versions and metrics', async () => {
    const { version, value } = await current('limits');
    const next = await put('limits', { ...(value as LimitsConfig), burst: 321 }, version);
    await converged('limits', next.version);
    for (const node of c.nodes) {
      expect(node.config.limits.burst).toBe(321);
      expect(node.metrics.render()).toContain(`hunt_config_version{name="limits"} ${next.version}`);
    }
  });

  it('refuses an invalid value with the issues and changes nothing', async () => {
    const before = await current('limits');
    await expect(put('limits', { ...(before.value as LimitsConfig), burst: -5 }, before.version)).rejects.toMatchObject(
      {
        status: 400,
        code: 'CONFIG_INVALID',
        details: expect.arrayContaining([expect.objectContaining({ path: 'burst' })]),
      },
    );
    await expect(put('limits', { nonsense: true }, before.version)).rejects.toMatchObject({
      status: 400,
      code: 'CONFIG_INVALID',
    });
    await expect(put('no-such-config', {}, 0)).rejects.toMatchObject({ status: 400, code: 'CONFIG_INVALID' });
    expect(await current('limits')).toEqual(before);
  });

  it('keeps nodes on the last good version when a bad value is planted in Redis', async () => {
    const good = await current('scoring');
    const key = `${c.prefix}:{cfg}:current:scoring`;
    await c.redis.hset(key, 'version', good.version + 1, 'value', JSON.stringify({ points: 'lots' }));
    await c.redis.publish(`${c.prefix}:ch:config`, `scoring ${good.version + 1}`);
    // a later, valid write to another config proves the nodes reconciled past the bad one
    const fanout = await current('fanout');
    const next = await put('fanout', fanout.value, fanout.version);
    await converged('fanout', next.version);
    for (const node of c.nodes) {
      expect(node.config.scoring).toEqual(good.value);
      expect(node.config.versions().scoring).toBe(good.version);
    }
    await c.redis.hset(key, 'version', good.version, 'value', JSON.stringify(good.value));
  });

  it('rolls back by writing a new version with the old value', async () => {
    const v1 = await current('fanout');
    const v2 = await put('fanout', { ...(v1.value as object), topN: 7 }, v1.version);
    const history = await c
      .gm()
      .request<{ history: { version: number; value: unknown }[] }>('GET', '/api/configs/fanout/history');
    expect(history.history[0]).toMatchObject({ version: v1.version, value: v1.value });
    const back = await c
      .gm()
      .request<{ version: number }>('POST', '/api/configs/fanout/rollback', { version: v1.version });
    expect(back.version).toBe(v2.version + 1);
    expect((await current('fanout')).value).toEqual(v1.value);
    await expect(c.gm().request('POST', '/api/configs/fanout/rollback', { version: 9999 })).rejects.toMatchObject({
      status: 400,
      code: 'CONFIG_INVALID',
    });
    await expect(c.gm().request('GET', '/api/configs/nothing')).rejects.toMatchObject({
      status: 404,
      code: 'CONFIG_NOT_FOUND',
    });
  });

  it('creates hunts from a template written at run time', async () => {
    await put(
      'template:duo',
      {
        puzzles: [
          { type: 'cipher', difficulty: 'easy' },
          { type: 'cipher', difficulty: 'hard' },
        ],
      },
      0,
    );
    await converged('template:duo', 1);
    const { id } = await c.gm(2).createHunt({ name: 'from template', template: 'duo' });
    const view = await c.gm().waitReady(id);
    expect(view.puzzles.map((p) => p.difficulty)).toEqual(['easy', 'hard']);
  });

  it('applies a lower message rate to a connection that is already open', async () => {
    const { id } = await liveHunt(c.gm());
    const { token } = await c.gm().join(id, 'chatty');
    const ws = await PlayerSocket.connect(c.url(), token);
    await ws.waitType('welcome');
    for (let i = 0; i < 30; i++) ws.send({ t: 'ping', id: `a${i}` });
    await ws.waitFor((m) => m.t === 'pong' && m.id === 'a29');
    expect(ws.received.some((m) => m.t === 'error' && m.code === 'RATE_LIMITED')).toBe(false);

    const limits = await current('limits');
    // forced: rates this low would refuse an ordinary player (config/guard-rails.ts), which is the point here
    const slow = await put(
      'limits',
      { ...(limits.value as LimitsConfig), messagesPerSecond: 1, burst: 5, strikesBeforeClose: 1000 },
      limits.version,
      0,
      true,
    );
    await converged('limits', slow.version);
    const from = ws.received.length;
    for (let i = 0; i < 30; i++) ws.send({ t: 'ping', id: `b${i}` });
    await ws.waitFor((m) => m.t === 'pong' && m.id === 'b0', 5000, from);
    await until('the rate-limited replies', () =>
      ws.received.slice(from).filter((m) => m.t === 'error' && m.code === 'RATE_LIMITED').length >= 20
        ? true
        : undefined,
    );
    expect(ws.closeCode).toBeUndefined();
    ws.close();
    const now = await current('limits');
    await put('limits', limits.value, now.version);
  });
});
