/**
 * The feature benchmark: answers beside moves, config propagation, puzzle generation and
 * verification, and autocannon over HTTP, against a front node and a shard+worker node as
 * child processes. Its answer figures come from one bot process; the move, ceiling, join and
 * overload figures are `npm run bench` (load/bench.ts).
 *   npm run bench:features -- [--clients 200] [--seconds 8] [--answers-per-second 2000]
 */
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { DIFFICULTIES, HuntHttpClient, PUZZLE_TYPES } from '../client/index.js';
import { DEFAULT_SCORING } from '../config/index.js';
import { makePuzzle, VerificationClient } from '../puzzles/index.js';
import { connectRedis } from '../redis/index.js';
import { Keys } from '../rooms/index.js';
import { closeBots, connectBots, paced, quantile, timeReplies, type Bot } from './bots.js';
import { histogramQuantile, scrape, value, type Samples } from './metrics-reader.js';
import { withBench } from './processes.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '8' },
    'answers-per-second': { type: 'string', default: '2000' },
  },
});
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);
const ANSWER_RATE = Number(values['answers-per-second']);
const HUNTS = 4;
const CONFIG_CHANGES = 50;
const GEN_SAMPLES = 30;
const VERIFY_ANSWERS = 100_000;
const SINGLE_JOBS = 3_000;
const GM_KEY = 'bench-gm-key-0123456789';

/** Generation rate and p99 per type and difficulty, a 50-puzzle hunt to ready, verification batched vs one job per answer. */
async function puzzleFigures(
  gm: HuntHttpClient,
  redisUrl: string,
  hunt: { id: string; answers: { puzzle: string; answer: string }[] },
): Promise<void> {
  console.log(`\npuzzle generation (one thread, this process; p99 over ${GEN_SAMPLES} puzzles each):`);
  console.log(`  type        easy                medium              hard`);
  for (const type of PUZZLE_TYPES) {
    const cells: string[] = [];
    for (const difficulty of DIFFICULTIES) {
      const times: number[] = [];
      const started = performance.now();
      for (let i = 0; i < GEN_SAMPLES; i++) {
        const t0 = performance.now();
        makePuzzle(
          { hunt: 'bench', puzzle: 'p1', index: 0, type, difficulty, seed: `bench-${i}` },
          DEFAULT_SCORING.points,
        );
        times.push(performance.now() - t0);
      }
      const rate = GEN_SAMPLES / ((performance.now() - started) / 1000);
      cells.push(`${fmt(rate).padStart(6)}/s p99 ${fmt(quantile(times, 0.99), 1).padStart(5)} ms`);
    }
    console.log(`  ${type.padEnd(10)}  ${cells.join('   ')}`);
  }
  const mixed = Array.from({ length: 50 }, (_, i) => ({
    type: PUZZLE_TYPES[i % PUZZLE_TYPES.length]!,
    difficulty: 'medium' as const,
  }));
  const t0 = performance.now();
  const { id } = await gm.createHunt({ name: 'fifty', puzzles: mixed });
  const ready = await gm.waitReady(id, 60_000);
  console.log(
    `  50-puzzle mixed medium hunt: ${ready.status} in ${fmt(performance.now() - t0)} ms (goal ≤ 5,000 ms; one worker node, one generation thread)`,
  );

  const redis = connectRedis(redisUrl);
  const keys = new Keys('hunt');
  const client = new VerificationClient({
    redis,
    redisUrl,
    prefix: (queue) => keys.queuePrefix(queue),
    verdictChannel: (c) => keys.verdictChannel(c),
    timeoutMs: 60_000,
  });
  const items = Array.from({ length: VERIFY_ANSWERS }, (_, i) => {
    const a = hunt.answers[i % hunt.answers.length]!;
    return { hunt: hunt.id, puzzle: a.puzzle, answer: i % 2 ? a.answer : 'wrong' };
  });
  const batchedStart = performance.now();
  const chunks = Array.from({ length: VERIFY_ANSWERS / 1000 }, (_, i) => items.slice(i * 1000, (i + 1) * 1000));
  const verdicts = (await Promise.all(chunks.map((chunk) => client.verify(chunk)))).flat();
  const batched = VERIFY_ANSWERS / ((performance.now() - batchedStart) / 1000);
  const singles = items.slice(0, SINGLE_JOBS);
  const singleStart = performance.now();
  await Promise.all(singles.map((item) => client.verify([item])));
  const single = SINGLE_JOBS / ((performance.now() - singleStart) / 1000);
  await client.close();
  redis.disconnect();
  const right = verdicts.filter((v) => v === true).length;
  console.log(
    `  verification: batched (1,000 a job) ${fmt(batched)} answers/s (${fmt(VERIFY_ANSWERS)} answers, ${right} right) vs one job per answer ${fmt(single)} answers/s (${fmt(SINGLE_JOBS)} jobs); goal ≥ 50,000/s`,
  );
}

/** Waits until every live node reports applying `version` of config `name`. */
async function waitApplied(gm: HuntHttpClient, name: string, version: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const body = await gm.request<{ configs: { name: string; applied: Record<string, number | null> }[] }>(
      'GET',
      '/api/configs',
    );
    const applied = Object.values(body.configs.find((c) => c.name === name)?.applied ?? {});
    if (applied.length > 0 && applied.every((v) => v !== null && v >= version)) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 2));
  }
}

const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';
const ms = (seconds: number): string => `${fmt(seconds * 1000, 2)} ms`;

async function main(): Promise<void> {
  await withBench('bench', async ({ redis, huntNodes }) => {
    // Moves, the ceiling, joins and overload live in load/bench.ts (several bot processes, raw samples).
    console.log(
      `feature benchmark: ${CLIENTS} clients, ${SECONDS} s per phase, one bot process, everything on this machine`,
    );
    // 2. the hunt: a front node and a shard+worker node, as separate processes
    const { front, back } = await huntNodes(GM_KEY);
    const base = `http://127.0.0.1:${front.port}`;
    const backBase = `http://127.0.0.1:${back.port}`;
    const gm = new HuntHttpClient(base, GM_KEY);
    // load testers lift the per-connection rate limit (a named config) for the run
    const limits = await gm.request<{ version: number; value: Record<string, unknown> }>('GET', '/api/configs/limits');
    const lifted = await gm.request<{ version: number }>('PUT', '/api/configs/limits', {
      value: { ...limits.value, messagesPerSecond: 1_000_000, burst: 1_000_000, answersPerMinutePerPuzzle: 100_000 },
      expectedVersion: limits.version,
    });
    await waitApplied(gm, 'limits', lifted.version);
    const hunts: { id: string; answers: { puzzle: string; answer: string }[] }[] = [];
    for (let h = 0; h < HUNTS; h++) {
      const { id } = await gm.createHunt({
        name: `bench ${h}`,
        puzzles: [
          { type: 'cipher', difficulty: 'easy' },
          { type: 'cipher', difficulty: 'medium' },
          { type: 'cipher', difficulty: 'hard' },
        ],
      });
      await gm.waitReady(id);
      await gm.lifecycle(id, 'launch');
      hunts.push({ id, answers: (await gm.answers(id)).answers });
    }
    const id = hunts[0]!.id;
    const players = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) => gm.join(hunts[i % HUNTS]!.id, `bot${i}`)),
    );
    const answersOf = (i: number): { puzzle: string; answer: string }[] => hunts[i % HUNTS]!.answers;
    const bots = await connectBots(players.map((p) => `ws://127.0.0.1:${front.port}/ws?token=${p.token}`));
    await new Promise((r) => setTimeout(r, 500));
    const moved = async (): Promise<{ front: Samples; back: Samples }> => ({
      front: await scrape(base),
      back: await scrape(backBase),
    });

    // 2c. answers at a steady rate beside moves
    const rtts: number[] = [];
    timeReplies(bots, rtts);
    let answerN = 0;
    const a0 = await moved();
    const { sent } = await paced(
      bots,
      10_000,
      SECONDS,
      (bot: Bot, i: number) => {
        const aid = `ans${answerN++}`;
        bot.pending.set(aid, performance.now());
        const puzzle = `p${(i % 3) + 1}`;
        const right = i % 4 === 0 ? (answersOf(i).find((a) => a.puzzle === puzzle)?.answer ?? '') : `wrong ${i}`;
        return JSON.stringify({ t: 'answer', id: aid, puzzle, answer: right });
      },
      ANSWER_RATE,
    );
    await new Promise((r) => setTimeout(r, 1000));
    const a1 = await moved();
    console.log(`\nanswers: ${fmt(answerN / SECONDS)} answers/s beside ${fmt(sent / SECONDS)} moves/s:`);
    console.log(
      `  answer round trip (bots) p50 ${fmt(quantile(rtts, 0.5), 2)} ms  p99 ${fmt(quantile(rtts, 0.99), 2)} ms  (${rtts.length} of ${answerN} answered)`,
    );
    console.log(
      `  received→result sent (front) p50 ${ms(histogramQuantile(a0.front, a1.front, 'hunt_answer_result_seconds', 0.5))}  p99 ${ms(histogramQuantile(a0.front, a1.front, 'hunt_answer_result_seconds', 0.99))}`,
    );
    closeBots(bots);

    // 2d. how long a config change takes to reach every node
    const times: number[] = [];
    for (let i = 0; i < CONFIG_CHANGES; i++) {
      const cur = await gm.request<{ version: number; value: { topN: number } }>('GET', '/api/configs/fanout');
      const started = performance.now();
      const { version } = await gm.request<{ version: number }>('PUT', '/api/configs/fanout', {
        value: { ...cur.value, topN: 40 + (i % 20) },
        expectedVersion: cur.version,
      });
      await waitApplied(gm, 'fanout', version);
      times.push(performance.now() - started);
    }
    console.log(
      `\nconfig change (PUT) to applied on every node (${CONFIG_CHANGES} changes, 2 nodes, polled every 2 ms): p50 ${fmt(quantile(times, 0.5), 2)} ms  p99 ${fmt(quantile(times, 0.99), 2)} ms`,
    );

    // 2e. puzzles: generation per type and difficulty (in this process), a 50-puzzle hunt, verification throughput
    await puzzleFigures(gm, redis.url, hunts[0]!);

    // 3. autocannon over HTTP
    const token = players[0]?.token ?? '';
    const events = JSON.stringify({ events: Array.from({ length: 10 }, (_, i) => ({ t: 'move', lat: i, lng: i })) });
    for (const scenario of [
      {
        title: 'POST /api/events (10 moves per request)',
        method: 'POST' as const,
        path: '/api/events',
        body: events,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      {
        title: `GET /api/hunts/:id/leaderboard?limit=10`,
        method: 'GET' as const,
        path: `/api/hunts/${id}/leaderboard?limit=10`,
        headers: {},
      },
    ]) {
      const shed0 = value(await scrape(base), 'hunt_events_shed_total{type="move"}');
      const r = await autocannon({
        url: `${base}${scenario.path}`,
        method: scenario.method,
        headers: scenario.headers,
        ...(scenario.body ? { body: scenario.body } : {}),
        connections: 50,
        duration: Math.max(3, Math.round(SECONDS / 2)),
      });
      // which statuses the non-2xx were (a 503 is the node shedding load, by design)
      const other = Object.entries(r.statusCodeStats ?? {})
        .filter(([code]) => !code.startsWith('2'))
        .map(([code, v]) => `${code} × ${v.count ?? 0}`)
        .join(', ');
      const shed = value(await scrape(base), 'hunt_events_shed_total{type="move"}') - shed0;
      console.log(
        `\nautocannon ${scenario.title}: ${fmt(r.requests.average)} req/s, latency p50 ${r.latency.p50} ms p99 ${r.latency.p99} ms, ${r.non2xx} non-2xx${other ? ` (${other})` : ''}, ${r.errors} errors${shed > 0 ? `; moves shed by the front (OVERLOADED): ${fmt(shed)}` : ''}`,
      );
    }
  });
}

await main();
process.exit(0);
