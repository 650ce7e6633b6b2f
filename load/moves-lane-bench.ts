/**
 * `npx tsx load/moves-lane-bench.ts`: what the moves lane costs in a big hunt, on a redis-server
 * of its own. (1) A flush of N moved players written in calls of at most FLUSH_MAX_PLAYERS against
 * one call of all of them: script calls, Redis time per flush, and the longest call (how long one
 * flush holds the master, from SLOWLOG). (2) The reach check per move through the grid of places
 * against a check of every place, with the same reaches found.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectRedis, startEmbeddedRedis } from '../redis/index.js';
import { DEFAULT_FANOUT, DEFAULT_LIMITS, DEFAULT_SCORING } from '../config/index.js';
import { Keys, scriptParams } from '../rooms/index.js';
import { FLUSH_MAX_PLAYERS, flushMoves, SCRIPTS } from '../rooms/scripts.js';
import { distanceM, PlaceIndex } from '../rooms/place-index.js';

const ROUNDS = 5;

async function flushes(url: string): Promise<void> {
  const redis = connectRedis(url);
  const keys = new Keys('bench');
  const params = JSON.stringify(scriptParams(DEFAULT_SCORING, DEFAULT_LIMITS, DEFAULT_FANOUT));
  let sid = 1;
  try {
    for (const players of [5_000, 20_000, 100_000]) {
      const hunt = `h${players}`;
      await redis.hset(keys.hunt(hunt).meta, { status: 'live', seq: 0 });
      const moves = Array.from({ length: players }, (_, i) => ({ player: `p${i}`, lat: 43 + i / 1e6, lng: 5, n: 3 }));
      const packed = JSON.stringify(moves.flatMap((m) => [m.player, `${m.lat},${m.lng}`, m.n]));
      for (const mode of ['parts', 'one call'] as const) {
        await redis.config('RESETSTAT');
        await redis.slowlog('RESET');
        await redis.config('SET', 'slowlog-log-slower-than', '0', 'slowlog-max-len', '10000');
        for (let r = 0; r < ROUNDS; r++) {
          const at = { now: Date.now(), params };
          if (mode === 'parts') await flushMoves(redis, keys, hunt, `1-${sid++}-0`, moves, [], at);
          else
            await SCRIPTS.flushMoves.run(redis, keys.hunt(hunt), [
              `1-${sid++}-0`,
              'ch',
              packed,
              at.now,
              params,
              'm',
              'last',
            ]);
        }
        const stats = /cmdstat_evalsha:calls=(\d+),usec=(\d+)/.exec(await redis.info('commandstats'));
        const log: unknown = await redis.slowlog('GET', 10_000);
        // each script call's time (SLOWLOG, wall time in Redis: on a shared machine a call may be descheduled)
        const times: number[] = [];
        if (Array.isArray(log))
          for (const e of log)
            if (
              Array.isArray(e) &&
              typeof e[2] === 'number' &&
              Array.isArray(e[3]) &&
              String(e[3][0]).toLowerCase() === 'evalsha'
            )
              times.push(e[2] / 1000);
        times.sort((a, b) => a - b);
        const median = times[Math.floor(times.length / 2)] ?? 0;
        const longest = times.at(-1) ?? 0;
        const calls = Number(stats?.[1] ?? 0) / ROUNDS;
        const ms = Number(stats?.[2] ?? 0) / ROUNDS / 1000;
        const label = mode === 'parts' ? `parts of ${FLUSH_MAX_PLAYERS}` : 'one call';
        console.log(
          `flush of ${players} players, ${label}: ${calls.toFixed(0)} calls, ${ms.toFixed(1)} ms of Redis, a call ${median.toFixed(2)} ms (median), ${longest.toFixed(2)} ms (longest)`,
        );
      }
    }
  } finally {
    await redis.quit();
  }
}

function reaches(): void {
  for (const n of [100, 1000, 5000]) {
    const places = Array.from({ length: n }, (_, i) => ({
      puzzle: `p${i}`,
      lat: 43.25 + Math.random() * 0.1,
      lng: 5.3 + Math.random() * 0.15,
      radius: 30 + Math.random() * 70,
    }));
    const moves = Array.from({ length: 100_000 }, () => [43.25 + Math.random() * 0.1, 5.3 + Math.random() * 0.15]);
    let t = performance.now();
    const index = new PlaceIndex(places);
    const build = performance.now() - t;
    let brute = 0;
    let grid = 0;
    t = performance.now();
    for (const [lat = 0, lng = 0] of moves)
      for (const p of places) if (distanceM(lat, lng, p.lat, p.lng) <= p.radius) brute++;
    const bruteUs = ((performance.now() - t) / moves.length) * 1000;
    t = performance.now();
    for (const [lat = 0, lng = 0] of moves) grid += index.within(lat, lng).length;
    const gridUs = ((performance.now() - t) / moves.length) * 1000;
    console.log(
      `${n} places in a city: every place ${bruteUs.toFixed(2)} µs a move, grid ${gridUs.toFixed(2)} µs (built in ${build.toFixed(1)} ms; same reaches: ${brute === grid})`,
    );
  }
}

const dir = mkdtempSync(join(tmpdir(), 'moves-lane-'));
const server = await startEmbeddedRedis({ dir, appendonly: false, say: () => undefined });
try {
  await flushes(server.url);
  reaches();
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
