/** `routing.verifyIn: shard`: answers are checked by the shard that applies them, with no worker and no queue round trip. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket } from '../client/index.js';
import { liveHunt, setConfig, startCluster, type Cluster } from './helpers.js';

describe('verification in the shard', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster([['front', 'shard'], ['worker']]);
  });
  afterAll(() => c.close());

  it('answers right and wrong with no worker running', async () => {
    const hunt = await liveHunt(c.gm(), 2);
    await setConfig(c, 'routing', { verifyIn: 'shard' });
    // the only worker goes away: a queued verification could never finish now
    await c.nodes[1]!.close();
    const joined = await c.gm().join(hunt.id, 'local');
    const ws = await PlayerSocket.connect(c.url(), joined.token);
    await ws.waitType('welcome');
    expect(await ws.request({ t: 'answer', id: 'w', puzzle: 'p1', answer: 'not it' }, 20_000)).toMatchObject({ t: 'result', correct: false });
    expect(await ws.request({ t: 'answer', id: 'r', puzzle: 'p2', answer: hunt.answers.get('p2')! }, 20_000)).toMatchObject({ t: 'result', correct: true });
    ws.close();
  });
});
