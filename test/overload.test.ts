/**
 * Load shedding: a front node whose shards fall behind refuses new events with OVERLOADED and
 * a retry hint (HTTP: 503 with Retry-After), still answers pings, and loses nothing it had
 * accepted; once the backlog drains it takes events again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket, type ServerMessage } from '../client/index.js';
import { liveHunt, setConfig, startCluster, until, type Cluster } from './helpers.js';

describe('overload', () => {
  let c: Cluster;
  beforeAll(async () => {
    // a front and a worker, and no shard yet: whatever is accepted waits in the streams
    c = await startCluster([['front', 'worker']]);
    await setConfig(c, 'limits', {
      maxBacklogEvents: 100,
      messagesPerSecond: 1_000_000,
      burst: 1_000_000,
      answersPerMinutePerPuzzle: 100_000,
    });
  });
  afterAll(() => c.close());

  it('refuses with OVERLOADED past the backlog limit, keeps answering pings, and applies everything it accepted', async () => {
    const hunt = await liveHunt(c.gm(), 1);
    const joined = await c.gm().join(hunt.id, 'flood');
    const ws = await PlayerSocket.connect(c.url(), joined.token);
    await ws.waitType('welcome');
    // fill the backlog past 100 events, a few entries at a time so the poll sees it grow
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 20; i++) ws.send({ t: 'move', lat: round % 80, lng: i });
      ws.send({ t: 'hint', id: `h${round}`, puzzle: 'p1' });
      await new Promise((r) => setTimeout(r, 15));
    }
    const refused = await ws.waitFor((m) => m.t === 'error' && (m as { code: string }).code === 'OVERLOADED', 10_000);
    expect(refused).toMatchObject({ retryAfterMs: expect.any(Number) });
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    // an answer now is refused by id; a ping is still answered
    const answer = await ws.request({ t: 'answer', id: 'late', puzzle: 'p1', answer: hunt.answers.get('p1')! });
    expect(answer).toMatchObject({ t: 'error', id: 'late', code: 'OVERLOADED' });
    expect(await ws.request({ t: 'ping', id: 'still-here' })).toMatchObject({ t: 'pong' });
    // over HTTP: 503 with Retry-After
    const res = await fetch(`${c.url()}/api/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${joined.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [{ t: 'hint', id: 'http', puzzle: 'p1' }] }),
    });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await res.json()) as { error: { code: string; details: { retryAfterMs: number } } }).error).toMatchObject({
      code: 'OVERLOADED',
      details: { retryAfterMs: expect.any(Number) },
    });
    const shedMetric = Number(
      /hunt_events_shed_total\{type="answer"\} (\d+)/.exec(c.nodes[0]!.metrics.render())?.[1] ?? 0,
    );
    expect(shedMetric).toBeGreaterThanOrEqual(1);
    // every refusal of every type counted by its cause: the shards' backlog
    const byCause = c.nodes[0]!.metrics.render();
    const shedAll = [...byCause.matchAll(/^hunt_events_shed_total\{type="[a-z]+"\} (\d+)$/gm)].reduce(
      (s, m) => s + Number(m[1]),
      0,
    );
    expect(Number(/hunt_events_shed_cause_total\{cause="backlog"\} (\d+)/.exec(byCause)?.[1] ?? 0)).toBe(shedAll);
    expect(byCause).not.toMatch(/hunt_events_shed_cause_total\{cause="(lag|queued)"\}/);

    // a shard arrives: every hint that was accepted (not refused) gets its reply
    const accepted = Array.from({ length: 40 }, (_, r) => `h${r}`).filter(
      (id) =>
        !ws.received.some(
          (m) => m.t === 'error' && (m as { id?: string }).id === id && (m as { code: string }).code === 'OVERLOADED',
        ),
    );
    expect(accepted.length).toBeGreaterThan(0);
    await c.add(['shard']);
    for (const id of accepted) {
      // a hint, or NO_MORE_HINTS once the puzzle's hints are used up: an answer either way
      const reply = (await ws.waitFor(
        (m) => (m as { id?: string }).id === id && (m as { code?: string }).code !== 'OVERLOADED',
        30_000,
      )) as ServerMessage;
      expect(reply.t === 'hint' || (reply.t === 'error' && reply.code === 'NO_MORE_HINTS')).toBe(true);
    }
    // and once the backlog is gone, new events are taken again
    const again = await until(
      'events taken again',
      async () => {
        const r = await ws.request({
          t: 'answer',
          id: `retry${Date.now()}`,
          puzzle: 'p1',
          answer: hunt.answers.get('p1')!,
        });
        return r.t === 'result' ? r : undefined;
      },
      30_000,
    );
    expect(again).toMatchObject({ correct: true });
    ws.close();
  });
});
