/**
 * Load shedding by the node's own state (the backlog case is test/overload.test.ts): a late
 * event loop (`limits.maxLoopLagMs`) and too many accepted events not yet written to Redis
 * (`limits.maxQueuedEvents`) refuse new events with OVERLOADED and a retry hint; a refused
 * move is neither applied nor counted, and its sender hears of it once per retry window, not
 * once per move; everything accepted is still applied.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PlayerSocket, type ServerMessage } from '../client/index.js';
import { startEmbeddedRedis, type EmbeddedRedis } from '../redis/index.js';
import { liveHunt, metricValue, setConfig, startCluster, until } from './helpers.js';

/** Holds this process's event loop (the node runs in it) for `ms`, as a saturated node's would be. */
function holdLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy: nothing else in this process runs meanwhile
  }
}

const overloaded = (m: ServerMessage): m is Extract<ServerMessage, { t: 'error' }> =>
  m.t === 'error' && m.code === 'OVERLOADED';

describe('shedding by loop delay and by queued events', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hunt-shedding-'));
  let redis: EmbeddedRedis | undefined;
  afterAll(async () => {
    if (redis) process.kill(redis.pid, 'SIGCONT');
    await redis?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses while the event loop runs late; refused moves are not applied and are told once per retry window', async () => {
    const c = await startCluster([['front', 'shard', 'worker']]);
    try {
      await setConfig(c, 'limits', {
        maxLoopLagMs: 10,
        messagesPerSecond: 1_000_000,
        burst: 1_000_000,
        answersPerMinutePerPuzzle: 100_000,
      });
      const hunt = await liveHunt(c.gm(), 1, 'lag');
      const joined = await c.gm().join(hunt.id, 'late-loop');
      const ws = await PlayerSocket.connect(c.url(), joined.token);
      await ws.waitType('welcome');
      const applied = (): number => metricValue(c.nodes[0]!.metrics.render(), 'hunt_events_applied_total{type="move"}');
      const appliedBefore = applied();
      let round = 0;
      const refusal = await until(
        'a refusal for a late loop',
        async () => {
          const from = ws.received.length;
          // frames in the socket before the hold: the node reads them after its loop-delay timer fired late
          for (let i = 0; i < 40; i++) ws.send({ t: 'move', lat: 10 + i / 1000, lng: 20 });
          ws.send({ t: 'answer', id: `late-${round++}`, puzzle: 'p1', answer: 'wrong' });
          await new Promise((r) => setTimeout(r, 20));
          holdLoop(600);
          const reply = await ws.waitFor((m) => (m as { id?: string }).id === `late-${round - 1}`, 10_000, from);
          return overloaded(reply) ? { reply, from } : undefined;
        },
        30_000,
      );
      expect(refusal.reply.retryAfterMs).toBeGreaterThanOrEqual(100);
      expect(refusal.reply.retryAfterMs).toBeLessThanOrEqual(2000);
      // the 40 moves of that round were refused: one notice without an id for all of them
      const moveNotices = ws.received.slice(refusal.from).filter((m) => overloaded(m) && m.id === undefined);
      expect(moveNotices).toHaveLength(1);
      // every move sent so far was either taken or shed, never both, never neither (on a loaded machine
      // some of a round's moves may be read before the late timer fires: those are taken)
      const shedMoves = metricValue(c.nodes[0]!.metrics.render(), 'hunt_events_shed_total{type="move"}');
      const received = metricValue(c.nodes[0]!.metrics.render(), 'hunt_events_received_total{type="move"}');
      expect(shedMoves).toBeGreaterThan(0);
      expect(received + shedMoves).toBe(40 * round);
      // every refusal counted by its cause: the late loop, nothing else
      const cause = (name: string): number =>
        metricValue(c.nodes[0]!.metrics.render(), `hunt_events_shed_cause_total{cause="${name}"}`);
      expect(cause('lag')).toBeGreaterThanOrEqual(shedMoves);
      expect(cause('queued') + cause('backlog')).toBe(0);
      // once the loop is on time again, one more move is taken; the moves applied are only those accepted
      await until(
        'the loop on time again',
        async () => {
          const r = await ws.request({
            t: 'answer',
            id: `calm-${Date.now()}`,
            puzzle: 'p1',
            answer: hunt.answers.get('p1')!,
          });
          return overloaded(r) ? undefined : r;
        },
        30_000,
      );
      // `received` counts accepted moves only; the shed ones are counted apart and never applied
      await until('accepted moves applied', () => (applied() - appliedBefore >= received ? true : undefined), 20_000);
      // one more accepted move, applied: the count moves by exactly one, the shed 40 never arrive
      ws.send({ t: 'move', lat: 1, lng: 1 });
      await until(
        'the last move applied',
        () => (applied() - appliedBefore === received + 1 ? true : undefined),
        20_000,
      );
      expect(applied() - appliedBefore).toBe(received + 1);
      ws.close();
    } finally {
      await c.close();
    }
  });

  it('refuses past maxQueuedEvents while Redis does not take writes, and applies everything it accepted once it does', async () => {
    redis = await startEmbeddedRedis({ dir, appendonly: false });
    const c = await startCluster([['front', 'shard', 'worker']], { redisUrl: redis.url });
    try {
      await setConfig(c, 'limits', {
        maxQueuedEvents: 100,
        maxLoopLagMs: 10_000,
        messagesPerSecond: 1_000_000,
        burst: 1_000_000,
        answersPerMinutePerPuzzle: 100_000,
      });
      const hunt = await liveHunt(c.gm(), 1, 'queued');
      const joined = await c.gm().join(hunt.id, 'queuer');
      const ws = await PlayerSocket.connect(c.url(), joined.token);
      await ws.waitType('welcome');
      // Redis stops answering: accepted events wait in the node's router
      process.kill(redis.pid, 'SIGSTOP');
      const ids = Array.from({ length: 400 }, (_, i) => `q${i}`);
      for (const id of ids) ws.send({ t: 'answer', id, puzzle: 'p1', answer: `guess ${id}` });
      const refused = await until(
        'refusals past the queue limit',
        () => {
          const r = ws.received.filter(overloaded).filter((m) => m.id !== undefined);
          return r.length > 0 &&
            ids.every((id) => ws.received.some((m) => (m as { id?: string }).id === id) || r.length + 100 >= ids.length)
            ? r
            : undefined;
        },
        20_000,
      );
      for (const r of refused) expect(r.retryAfterMs).toBe(100);
      const refusedIds = new Set(refused.map((r) => r.id));
      // at least the limit's worth was taken before refusing
      expect(ids.length - refusedIds.size).toBeGreaterThanOrEqual(100);
      process.kill(redis.pid, 'SIGCONT');
      // every accepted answer gets its outcome (a wrong answer's result, or a rule's error), none is lost
      for (const id of ids.filter((x) => !refusedIds.has(x))) {
        const reply = await ws.waitFor((m) => (m as { id?: string }).id === id, 30_000);
        expect(overloaded(reply), id).toBe(false);
      }
      ws.close();
    } finally {
      process.kill(redis.pid, 'SIGCONT');
      await c.close();
    }
  });
});
