/**
 * A delta that pub/sub never delivered (a dropped message) is repaired by the front from the
 * hunt's delta log before the next one goes out, so clients see every seq once, in order.
 * The drop is made real: a delta is formed in Redis the way the delta script forms it (seq
 * taken, entry logged) but never published.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket, type LbDelta } from '../client/index.js';
import { liveHunt, recordingLogger, settledSeq, startCluster, until, type Cluster } from './helpers.js';

describe('delta gaps', () => {
  let c: Cluster;
  const log = recordingLogger();
  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker']], { logger: log.logger });
  });
  afterAll(() => c.close());

  it('replays a delta pub/sub dropped from the log, in order, before the next one', async () => {
    const hunt = await liveHunt(c.gm(), 1, 'gap');
    const a = await c.gm().join(hunt.id, 'alpha');
    const b = await c.gm().join(hunt.id, 'beta');
    const seq = await settledSeq(c, hunt.id);
    const ws = await PlayerSocket.connect(c.url(), a.token);
    const welcome = await ws.waitType('welcome');
    expect(welcome.seq).toBe(seq);
    // the dropped delta: seq taken and logged, never published
    const base = `${c.prefix}:{h:${hunt.id}}`;
    const dropped: LbDelta = {
      t: 'lb',
      seq: seq + 1,
      ts: Date.now(),
      changes: [{ player: b.player, name: 'beta', score: 0, rank: 2 }],
    };
    const taken = await c.redis.hincrby(`${base}:meta`, 'seq', 1);
    expect(taken).toBe(seq + 1);
    await c.redis.rpush(`${base}:deltas`, JSON.stringify(dropped));
    // the next real delta (a score change) is published as seq + 2
    await c.gm().request('POST', `/api/hunts/${hunt.id}/players/${a.player}/adjust`, { points: 7, reason: 'gap test' });
    const next = (await ws.waitFor((m) => m.t === 'lb' && m.seq === seq + 2)) as LbDelta;
    expect(next.changes).toEqual(expect.arrayContaining([expect.objectContaining({ player: a.player, score: 7 })]));
    const seqs = ws.received.filter((m): m is LbDelta => m.t === 'lb').map((m) => m.seq);
    expect(seqs).toEqual([seq + 1, seq + 2]);
    expect(ws.received.find((m) => m.t === 'lb' && m.seq === seq + 1)).toEqual(dropped);
    await until('the repair logged', () =>
      log.records.find(
        (r) => r.msg === 'delta gap repaired from the log' && r.hunt === hunt.id && r.from === seq && r.to === seq + 2,
      ),
    );
    ws.close();
  });
});
