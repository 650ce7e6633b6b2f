/**
 * Bounded storage: a deleted hunt leaves nothing on any master (keys, waiting stream entries,
 * timers, media), ended hunts go after retention.endedHuntDays, the hunt list comes a page at
 * a time, a node above storage.highWater refuses new work with 507 STORAGE_FULL while live
 * answers still score, and the embedded redis-server has a password, a maxmemory and a closed
 * data folder.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError, PlayerSocket } from '../client/index.js';
import { connectRedis, isCluster, startEmbeddedRedis, startLocalCluster, type RedisClient } from '../redis/index.js';
import { liveHunt, redisUrl, setConfig, startCluster, streamOf, until, type Cluster } from './helpers.js';

const media = mkdtempSync(join(tmpdir(), 'hunt-media-'));
process.env.HUNT_MEDIA_DIR = media;
afterAll(() => rmSync(media, { recursive: true, force: true }));

/** Every key matching `pattern` on every master. */
async function keysOnEveryMaster(redis: RedisClient, pattern: string): Promise<string[]> {
  const found: string[] = [];
  for (const server of isCluster(redis) ? redis.nodes('master') : [redis]) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      found.push(...keys);
    } while (cursor !== '0');
  }
  return found;
}

async function status(c: Cluster, method: string, path: string, body?: unknown): Promise<number> {
  try {
    await c.gm().request(method, path, body);
    return 200;
  } catch (err) {
    if (err instanceof HttpError) return err.status;
    throw err;
  }
}

describe('deleting a hunt', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker']], { retentionSweepMs: 300 });
  });
  afterAll(() => c.close());

  it('leaves zero keys on every master, no timers and no media, and answers 404 afterwards', async () => {
    const hunt = await liveHunt(c.gm(), 2);
    const tag = `${c.prefix}:{h:${hunt.id}}`;
    // a hunt that was played: players, answers, hints, moves, an end timer, a photo
    const players = await Promise.all(['a', 'b', 'c'].map((n) => c.gm().join(hunt.id, n)));
    const ws = await PlayerSocket.connect(c.url(), players[0]!.token);
    await ws.waitType('welcome');
    expect(await ws.request({ t: 'answer', id: 'a1', puzzle: 'p1', answer: hunt.answers.get('p1')! })).toMatchObject({
      correct: true,
    });
    expect(await ws.request({ t: 'hint', id: 'h1', puzzle: 'p2' })).toMatchObject({ t: 'hint' });
    ws.send({ t: 'move', lat: 43.29, lng: 5.37 });
    await c.gm().request('PATCH', `/api/hunts/${hunt.id}`, { endsAt: new Date(Date.now() + 3_600_000).toISOString() });
    mkdirSync(join(media, hunt.id), { recursive: true });
    writeFileSync(join(media, hunt.id, 's1.jpg'), 'photo');
    await until('the move stored', async () =>
      (await c.redis.hexists(`${tag}:positions`, players[0]!.player)) ? true : undefined,
    );
    expect((await keysOnEveryMaster(c.redis, `${tag}:*`)).length).toBeGreaterThan(10);
    expect(await keysOnEveryMaster(c.redis, `{${c.prefix}:q}:schedule:${hunt.id}-*`)).not.toEqual([]);

    await c.gm().deleteHunt(hunt.id);
    expect(await status(c, 'GET', `/api/hunts/${hunt.id}`)).toBe(404);
    expect(await status(c, 'GET', `/api/hunts/${hunt.id}/leaderboard`)).toBe(404);
    expect(await status(c, 'DELETE', `/api/hunts/${hunt.id}`)).toBe(404);
    expect((await c.gm().hunts({ limit: 200 })).hunts.map((h) => h.id)).not.toContain(hunt.id);
    // its players heard it end
    expect(await ws.waitFor((m) => m.t === 'hunt' && m.status === 'ended')).toBeTruthy();
    // a late event of the hunt's (a socket still open), and a late write as one applied after the first pass would make: the sweep's passes take it away too
    ws.send({ t: 'hint', id: 'late', puzzle: 'p2' });
    await c.redis.hset(`${tag}:positions`, players[1]!.player, '43.29,5.37');
    await until(
      'nothing of the hunt on any master',
      async () => ((await keysOnEveryMaster(c.redis, `${tag}:*`)).length === 0 ? true : undefined),
      60_000,
    );
    expect(await keysOnEveryMaster(c.redis, `{${c.prefix}:q}:schedule:${hunt.id}-*`)).toEqual([]);
    expect(existsSync(join(media, hunt.id))).toBe(false);
    ws.close();
  });

  it('deletes ended hunts once retention.endedHuntDays has passed, and keeps the others', async () => {
    const old = await liveHunt(c.gm(), 1);
    const running = await liveHunt(c.gm(), 1);
    await c.gm().lifecycle(old.id, 'end');
    await setConfig(c, 'retention', { endedHuntDays: 0 });
    await until(
      'the ended hunt deleted',
      async () => ((await status(c, 'GET', `/api/hunts/${old.id}`)) === 404 ? true : undefined),
      30_000,
    );
    await until(
      'nothing of it left',
      async () => ((await keysOnEveryMaster(c.redis, `${c.prefix}:{h:${old.id}}:*`)).length === 0 ? true : undefined),
      60_000,
    );
    expect((await c.gm().hunt(running.id)).status).toBe('live');
    await setConfig(c, 'retention', { endedHuntDays: 30 });
  });

  it('keeps the hunt’s event log (the export’s events) to its newest 100,000 entries', async () => {
    const hunt = await liveHunt(c.gm(), 1);
    const { player } = await c.gm().join(hunt.id, 'logged');
    const log = `${c.prefix}:{h:${hunt.id}}:log`;
    const old = JSON.stringify({ k: 'adjust', player, points: 0, reason: 'old', at: 0 });
    for (let i = 0; i < 10; i++) await c.redis.rpush(log, ...Array.from({ length: 10_000 }, () => old));
    await c.gm().request('POST', `/api/hunts/${hunt.id}/players/${player}/adjust`, { points: 5, reason: 'newest' });
    expect(await c.redis.llen(log)).toBe(100_000);
    expect(JSON.parse((await c.redis.lindex(log, -1))!)).toMatchObject({ k: 'adjust', reason: 'newest' });
  });

  it('lists hunts a page at a time, newest first, every hunt once', async () => {
    const made: string[] = [];
    for (let i = 0; i < 7; i++)
      made.push(
        (await c.gm().createHunt({ name: `page ${i}`, puzzles: [{ type: 'anagram', difficulty: 'easy' }] })).id,
      );
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await c.gm().hunts({ limit: 3, ...(cursor ? { cursor } : {}) });
      expect(page.hunts.length).toBeLessThanOrEqual(3);
      seen.push(...page.hunts.map((h) => h.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 100);
    expect(new Set(seen).size).toBe(seen.length);
    // the newest first: the ones made here, in reverse order of making
    const mine = seen.filter((id) => made.includes(id));
    expect(mine).toEqual([...made].reverse());
    expect((await c.gm().hunts()).hunts.length).toBe(Math.min(50, seen.length));
    for (const bad of ['limit=0', 'limit=201', 'limit=x', 'cursor=nope'])
      expect(await status(c, 'GET', `/api/hunts?${bad}`)).toBe(400);
  });
});

describe('deleting a hunt whose events wait in a stream', () => {
  let c: Cluster;
  beforeAll(async () => {
    // no shard: what is accepted waits in the stream, unread
    c = await startCluster([['front', 'worker']]);
  });
  afterAll(() => c.close());

  it('takes its undelivered entries out of the partition stream', async () => {
    const hunt = await liveHunt(c.gm(), 1);
    const { token } = await c.gm().join(hunt.id, 'waiting');
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${c.url()}/api/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [{ t: 'hint', id: `h${i}`, puzzle: 'p1' }] }),
      });
      expect(res.status).toBe(202);
    }
    const stream = streamOf(c, hunt.id);
    const ofHunt = async (): Promise<number> =>
      (await c.redis.xrange(stream, '-', '+')).filter(([, f]) =>
        (f[f.indexOf('e') + 1] ?? '').includes(`"h":"${hunt.id}"`),
      ).length;
    expect(await ofHunt()).toBeGreaterThan(0);
    await c.gm().deleteHunt(hunt.id);
    expect(await ofHunt()).toBe(0);
    expect(await keysOnEveryMaster(c.redis, `${c.prefix}:{h:${hunt.id}}:*`)).toEqual([]);
  });
});

describe('a node at its memory high-water mark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hunt-highwater-'));
  let own: { url: string; close(): Promise<void> } | undefined;
  let c: Cluster;
  beforeAll(async () => {
    // a Redis of its own, so its maxmemory can be made small without touching the other tests
    own = inject()
      ? await startLocalCluster({ dir, masters: 3, replicas: 0 })
      : await startEmbeddedRedis({ dir, appendonly: false });
    c = await startCluster([['front', 'shard', 'worker']], { redisUrl: own.url });
  }, 60_000);
  afterAll(async () => {
    await c?.close();
    await own?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses new hunts and joins with 507 STORAGE_FULL while live answers still score', async () => {
    const hunt = await liveHunt(c.gm(), 2);
    const { token } = await c.gm().join(hunt.id, 'live');
    const ws = await PlayerSocket.connect(c.url(), token);
    await ws.waitType('welcome');
    for (const server of isCluster(c.redis) ? c.redis.nodes('master') : [c.redis])
      await server.config('SET', 'maxmemory', '64mb');
    await setConfig(c, 'storage', { highWater: 0.01 });
    const ratio = await until('the ratio above 0.01', () => {
      const r = Number(/^hunt_redis_memory_ratio ([\d.e-]+)$/m.exec(c.nodes[0]!.metrics.render())?.[1] ?? 0);
      return r >= 0.01 ? r : undefined;
    });
    expect(ratio).toBeLessThan(1);
    const refused = await c
      .gm()
      .request('POST', '/api/hunts', { name: 'one more', puzzles: [{ type: 'anagram', difficulty: 'easy' }] })
      .catch((err: unknown) => err);
    expect(refused).toMatchObject({ status: 507, code: 'STORAGE_FULL' });
    expect(
      await c
        .gm()
        .join(hunt.id, 'late')
        .catch((err: unknown) => err),
    ).toMatchObject({ status: 507, code: 'STORAGE_FULL' });
    // live play goes on
    expect(await ws.request({ t: 'answer', id: 'a1', puzzle: 'p1', answer: hunt.answers.get('p1')! })).toMatchObject({
      t: 'result',
      correct: true,
    });
    expect(await ws.request({ t: 'hint', id: 'h1', puzzle: 'p2' })).toMatchObject({ t: 'hint' });
    // back under the mark: new work is taken again
    await setConfig(c, 'storage', { highWater: 0.85 });
    expect((await c.gm().join(hunt.id, 'later')).player).toBeTruthy();
    ws.close();
  });
});

describe('the embedded redis-server', () => {
  it('has a password kept 0600 in its 0700 folder, never on its command line, and a maxmemory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hunt-embedded-'));
    const redis = await startEmbeddedRedis({ dir, appendonly: false, maxmemory: '128mb' });
    try {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      const password = readFileSync(join(dir, 'password'), 'utf8').trim();
      expect(password.length).toBeGreaterThanOrEqual(16);
      expect(statSync(join(dir, 'password')).mode & 0o777).toBe(0o600);
      expect(redis.url).toContain(password);
      expect(redis.shownUrl).not.toContain(password);
      expect(readFileSync(`/proc/${redis.pid}/cmdline`, 'utf8')).not.toContain(password);
      // without the password: refused
      const anonymous = new Redis({
        port: redis.port,
        host: '127.0.0.1',
        lazyConnect: true,
        enableReadyCheck: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      anonymous.on('error', () => undefined);
      await expect(anonymous.connect().then(() => anonymous.get('x'))).rejects.toThrow(/NOAUTH|Authentication/);
      anonymous.disconnect();
      const client = connectRedis(redis.url);
      expect(await client.config('GET', 'maxmemory')).toEqual(['maxmemory', String(128 * 1024 * 1024)]);
      await client.quit();
    } finally {
      await redis.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Whether this run is on a Redis Cluster. */
function inject(): boolean {
  return redisUrl().includes('+cluster');
}
