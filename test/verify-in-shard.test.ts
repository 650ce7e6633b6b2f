/**
 * `routing.verifyIn`: `queue` sends every answer to a worker through BullMQ; `shard` checks
 * every answer in the shard that applies it; `auto` (the default) checks in the shard the
 * types that are cheap to check (today all of them) and queues the rest.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlayerSocket } from '../client/index.js';
import { liveHunt, setConfig, startCluster, type Cluster } from './helpers.js';

async function verifiedOn(c: Cluster, node: number): Promise<number> {
  const text = await (await fetch(`${c.url(node)}/metrics`)).text();
  let total = 0;
  for (const m of text.matchAll(/^hunt_answers_verified_total\{[^}]*\} (\d+)$/gm)) total += Number(m[1]);
  return total;
}

describe('where answers are checked', () => {
  // each test has nodes of its own (the second stops its worker), so that they pass in any order
  let c: Cluster;
  beforeEach(async () => {
    c = await startCluster([['front', 'shard'], ['worker']]);
  });
  afterEach(() => c.close());

  it('queue: by the worker node, through BullMQ', async () => {
    const hunt = await liveHunt(c.gm(), 2);
    await setConfig(c, 'routing', { verifyIn: 'queue' });
    const before = { shard: await verifiedOn(c, 0), worker: await verifiedOn(c, 1) };
    const ws = await PlayerSocket.connect(c.url(), (await c.gm().join(hunt.id, 'queued')).token);
    await ws.waitType('welcome');
    expect(await ws.request({ t: 'answer', id: 'w', puzzle: 'p1', answer: 'not it' }, 20_000)).toMatchObject({
      t: 'result',
      correct: false,
    });
    expect(
      await ws.request({ t: 'answer', id: 'r', puzzle: 'p2', answer: hunt.answers.get('p2')! }, 20_000),
    ).toMatchObject({ t: 'result', correct: true });
    ws.close();
    expect(await verifiedOn(c, 1)).toBe(before.worker + 2);
    expect(await verifiedOn(c, 0)).toBe(before.shard);
  });

  it('auto and shard: in the shard, with no worker running', async () => {
    const hunt = await liveHunt(c.gm(), 2);
    // the only worker goes away: a queued verification could never finish now
    await c.nodes.splice(1, 1)[0]!.close();
    for (const mode of ['auto', 'shard'] as const) {
      await setConfig(c, 'routing', { verifyIn: mode });
      const before = await verifiedOn(c, 0);
      const ws = await PlayerSocket.connect(c.url(), (await c.gm().join(hunt.id, `local-${mode}`)).token);
      await ws.waitType('welcome');
      expect(await ws.request({ t: 'answer', id: 'w', puzzle: 'p1', answer: 'not it' }, 20_000)).toMatchObject({
        t: 'result',
        correct: false,
      });
      expect(
        await ws.request({ t: 'answer', id: 'r', puzzle: 'p2', answer: hunt.answers.get('p2')! }, 20_000),
      ).toMatchObject({ t: 'result', correct: true });
      ws.close();
      expect(await verifiedOn(c, 0)).toBe(before + 2);
    }
  });
});
