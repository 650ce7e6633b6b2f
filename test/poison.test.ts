/**
 * Poison work: a generation job that cannot be made fails its hunt with the reason; an answer
 * whose verification job fails for good is a dead letter (no retries), visible in metrics and
 * in the hunt's game-master view, and the player is told.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket } from '../client/index.js';
import { VERIFICATION_QUEUES } from '../puzzles/index.js';
import { queueConnection } from '../redis/index.js';
import { Keys } from '../rooms/index.js';
import { entryFields, type StreamEvent } from '../rooms/index.js';
import { liveHunt, metricValue, redisUrl, setConfig, startCluster, streamOf, until, type Cluster } from './helpers.js';

describe('poison jobs', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster([['front']]);
  });
  afterAll(() => c.close());

  it('fails a hunt whose puzzle cannot be generated, with the reason', async () => {
    // a cluster of its own with no worker yet, so that the poison job is first in line whatever ran before
    const c = await startCluster([['front']]);
    try {
      await failOnPoisonJob(c);
    } finally {
      await c.close();
    }
  });

  async function failOnPoisonJob(c: Cluster): Promise<void> {
    const { id } = await c.gm().createHunt({ name: 'doomed', template: 'starter' });
    // a job no generator can take, put ahead of the hunt's own jobs
    const conn = queueConnection(redisUrl());
    const queue = new Queue('generate', {
      connection: conn.connection,
      prefix: new Keys(c.prefix).queuePrefix('generate'),
    });
    await queue.add(
      'puzzle',
      { hunt: id, puzzle: 'p9', index: 8, type: 'sudoku', difficulty: 'impossible', seed: 'x' },
      { lifo: true, attempts: 3 },
    );
    await queue.close();
    await conn.close();
    await c.add(['worker']);
    const view = await until('the hunt failed', async () => {
      const v = await c.gm().hunt(id);
      return v.status === 'failed' ? v : undefined;
    });
    expect(view.failure).toMatch(/p9 could not be generated/);
    await expect(c.gm().lifecycle(id, 'launch')).rejects.toMatchObject({ status: 409 });
  }

  /** A node with `role` in the shared cluster, added when none has it (each test sets up what it needs). */
  async function withRole(role: 'shard' | 'worker') {
    return c.nodes.find((n) => n.roles.includes(role)) ?? (await c.add([role]));
  }

  it('sets a poison stream event aside after bounded tries; the rest of its entry and the partition go on', async () => {
    const shard = await withRole('shard');
    await withRole('worker');
    await setConfig(c, 'routing', { verifyIn: 'auto' });
    const streamDead = metricValue(shard.metrics.render(), 'hunt_stream_dead_letters_total');
    const hunt = await liveHunt(c.gm(), 3);
    const joined = await c.gm().join(hunt.id, 'mixed');
    const ws = await PlayerSocket.connect(c.url(), joined.token);
    await ws.waitType('welcome');
    // p2's stored puzzle is unreadable, so the script fails on any hint for it
    await c.redis.hset(`${c.prefix}:{h:${hunt.id}}:puzzles`, 'p2', '{broken');
    const node = c.nodes[0]!.id;
    const p = joined.player;
    await c.redis.xadd(
      streamOf(c, hunt.id),
      '*',
      ...entryFields(node, Date.now(), [
        { k: 'hint', h: hunt.id, p, id: 'bad-hint', puzzle: 'p2' },
        { k: 'answer', h: hunt.id, p, id: 'lone', puzzle: 'p1', answer: 'x\ud800' },
        // a kind no entry of the table declares (an older or foreign writer): set aside, never applied as another kind
        { k: 'shout', h: hunt.id, p, id: 'odd', puzzle: 'p1' } as unknown as StreamEvent,
        { k: 'answer', h: hunt.id, p, id: 'honest', puzzle: 'p1', answer: hunt.answers.get('p1')! },
      ]),
    );
    expect(await ws.waitFor((m) => m.t === 'error' && m.id === 'bad-hint', 20_000)).toMatchObject({
      code: 'EVENT_UNPROCESSABLE',
    });
    expect(await ws.waitFor((m) => m.t === 'error' && m.id === 'lone', 20_000)).toMatchObject({
      code: 'EVENT_UNPROCESSABLE',
    });
    expect(await ws.waitFor((m) => m.t === 'error' && m.id === 'odd', 20_000)).toMatchObject({
      code: 'EVENT_UNPROCESSABLE',
    });
    expect(await ws.waitFor((m) => m.t === 'result' && m.id === 'honest', 20_000)).toMatchObject({ correct: true });
    const view = await c
      .gm()
      .request<{ deadLetters: { count: number; recent: { id: string; kind?: string; reason: string }[] } }>(
        'GET',
        `/api/hunts/${hunt.id}`,
      );
    expect(view.deadLetters.count).toBe(3);
    expect(view.deadLetters.recent.map((d) => d.id).sort()).toEqual(['bad-hint', 'lone', 'odd']);
    expect(view.deadLetters.recent.find((d) => d.id === 'odd')?.reason).toMatch(/unknown kind/);
    expect(metricValue(shard.metrics.render(), 'hunt_stream_dead_letters_total')).toBe(streamDead + 3);
    // the partition goes on: nothing left pending, and the next answer is applied
    await until('the entry acknowledged', async () =>
      ((await c.redis.xpending(streamOf(c, hunt.id), 'shards')) as [number])[0] === 0 ? true : undefined,
    );
    expect(await ws.request({ t: 'hint', id: 'next', puzzle: 'p3' })).toMatchObject({ t: 'hint' });
    ws.close();
  });

  /** A live one-puzzle hunt with `verifyIn` set, one player on a socket, and its solutions made unreadable (a key of the wrong type); `restore` puts them back. */
  async function unreadableSolutions(verifyIn: 'queue' | 'auto', name: string) {
    const shard = await withRole('shard');
    await withRole('worker');
    await setConfig(c, 'routing', { verifyIn });
    const verifyDead = metricValue(shard.metrics.render(), 'hunt_dead_letters_total{queue="verify"}');
    const hunt = await liveHunt(c.gm(), 1);
    const joined = await c.gm().join(hunt.id, name);
    const ws = await PlayerSocket.connect(c.url(), joined.token);
    await ws.waitType('welcome');
    const solutions = `${c.prefix}:{h:${hunt.id}}:solutions`;
    const good = await c.redis.hgetall(solutions);
    await c.redis.multi().del(solutions).set(solutions, 'not a hash').exec();
    const restore = async (): Promise<void> => void (await c.redis.multi().del(solutions).hset(solutions, good).exec());
    return { shard, hunt, joined, ws, restore, verifyDead };
  }

  it('turns an answer whose verification job fails for good into a dead letter', async () => {
    // solutions the worker cannot read fail its job for good (no retries): a dead letter
    const { shard, hunt, joined, ws, restore, verifyDead } = await unreadableSolutions('queue', 'poisoner');
    ws.send({ t: 'answer', id: 'poison', puzzle: 'p1', answer: 'anything' });
    const reply = await ws.waitFor((m) => m.t === 'error' && m.id === 'poison', 20_000);
    expect(reply).toMatchObject({ code: 'VERIFICATION_FAILED' });
    const view = await c
      .gm()
      .request<{ deadLetters: { count: number; recent: { player: string; id: string }[] } }>(
        'GET',
        `/api/hunts/${hunt.id}`,
      );
    expect(view.deadLetters.count).toBe(1);
    expect(view.deadLetters.recent[0]).toMatchObject({ player: joined.player, id: 'poison' });
    expect(metricValue(shard.metrics.render(), 'hunt_dead_letters_total{queue="verify"}')).toBe(verifyDead + 1);
    // the failed job was not retried
    const conn = queueConnection(redisUrl());
    const queues = VERIFICATION_QUEUES.map(
      (name) => new Queue(name, { connection: conn.connection, prefix: new Keys(c.prefix).queuePrefix(name) }),
    );
    const failed = (await Promise.all(queues.map((q) => q.getFailed()))).flat();
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed.every((j) => j.attemptsMade <= 1)).toBe(true);
    await Promise.all(queues.map((q) => q.close()));
    await conn.close();
    // and once the solution is readable again the player can still answer properly
    await restore();
    expect(await ws.request({ t: 'answer', id: 'fine', puzzle: 'p1', answer: hunt.answers.get('p1')! })).toMatchObject({
      correct: true,
    });
    ws.close();
  });

  it('turns an answer the shard cannot check (unreadable solutions) into a dead letter, with verifyIn auto', async () => {
    const { shard, hunt, joined, ws, restore, verifyDead } = await unreadableSolutions('auto', 'unlucky');
    ws.send({ t: 'answer', id: 'stuck', puzzle: 'p1', answer: 'anything' });
    expect(await ws.waitFor((m) => m.t === 'error' && m.id === 'stuck', 20_000)).toMatchObject({
      code: 'VERIFICATION_FAILED',
    });
    const view = await c
      .gm()
      .request<{ deadLetters: { count: number; recent: { player: string; id: string }[] } }>(
        'GET',
        `/api/hunts/${hunt.id}`,
      );
    expect(view.deadLetters.count).toBe(1);
    expect(view.deadLetters.recent[0]).toMatchObject({ player: joined.player, id: 'stuck' });
    // the partition went on: readable again, the next answer is checked and scored
    await restore();
    expect(
      await ws.request({ t: 'answer', id: 'fine', puzzle: 'p1', answer: hunt.answers.get('p1')! }, 20_000),
    ).toMatchObject({ correct: true });
    expect(metricValue(shard.metrics.render(), 'hunt_dead_letters_total{queue="verify"}')).toBe(verifyDead + 1);
    ws.close();
  });
});
