// vitest: redis-free (it never touches the run's Redis, so npm run test:cluster leaves it out)
/**
 * `npm run bench:bighunt -- --quick`: the whole benchmark at 50 and 100 players for a few seconds
 * (its own redis-server, fronts, shards, no-op servers and bot processes, built into .cache/ so a
 * developer's dist/ is left alone) writes a JSON report with every figure present and finite. No
 * threshold on any figure: the machine is shared and noisy; the goals are the benchmark's to judge.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const OUT = '.cache/dist-bighunt';
const dir = mkdtempSync(join(tmpdir(), 'bighunt-test-'));

/** The value at a dotted path, or undefined. */
function at(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const key of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = Reflect.get(cur, key);
  }
  return cur;
}

/** Every path to a null or a non-finite number (JSON writes NaN and Infinity as null). */
function missing(o: unknown, path = ''): string[] {
  if (o === null) return [path];
  if (typeof o === 'number') return Number.isFinite(o) ? [] : [path];
  if (typeof o !== 'object') return [];
  return Object.entries(o).flatMap(([k, v]) => missing(v, path ? `${path}.${k}` : k));
}

const PER_SIZE = [
  'players',
  'botProcesses',
  'joinsPerSec',
  'sockets.opened',
  'sockets.perSec',
  'sockets.p99Ms',
  'engine.bytesPerClientPerSec',
  'engine.framesPerClientPerSec',
  'engine.delta.p50',
  'engine.delta.p99',
  'engine.delta.deltas',
  'engine.you.samples',
  'engine.gaps',
  'engine.movesSent',
  'engine.movesApplied',
  'engine.answersSent',
  'engine.cpuUsPerPlayerSec.fronts',
  'engine.cpuUsPerPlayerSec.shards',
  'engine.cpuUsPerPlayerSec.redis',
  'engine.cpuUsPerPlayerSec.engine',
  'engine.cores.bots',
  'noop.bytesPerClientPerSec',
  'noop.framesPerClientPerSec',
  'noop.delta.p99',
  'noop.delta.deltas',
  'noop.you.p99',
  'noop.cpuUsPerPlayerSec',
  'storm.reconnecting',
  'storm.reconnected',
  'storm.spanMs',
  'storm.redisOutBytes',
  'storm.outPerPlayer',
  'storm.inPerPlayer',
];

describe('npm run bench:bighunt -- --quick', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every figure of every size, finite, with a verdict for each goal', () => {
    execFileSync(process.execPath, ['scripts/build.mjs', '--outdir', OUT], {
      cwd: ROOT,
      stdio: 'pipe',
      timeout: 120_000,
    });
    const file = join(dir, 'report.json');
    execFileSync(process.execPath, ['--import', 'tsx', 'load/bighunt-bench.ts', '--quick', '--out', file], {
      cwd: ROOT,
      env: { ...process.env, HUNT_BENCH_DIST: OUT, NODE_OPTIONS: '' },
      stdio: 'pipe',
      timeout: 420_000,
    });
    const report: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const sizes = at(report, 'sizes');
    expect(Array.isArray(sizes) ? sizes.map((s: unknown) => at(s, 'players')) : sizes).toEqual([50, 100]);
    for (const s of Array.isArray(sizes) ? sizes : []) {
      for (const path of PER_SIZE) expect({ path, value: at(s, path) }).toEqual({ path, value: expect.any(Number) });
      // every shard process reports its count: four shares that add up to the moves applied
      expect(at(s, 'engine.shardMoves')).toHaveLength(4);
      expect(at(s, 'engine.shardShares')).toHaveLength(4);
      expect(at(s, 'engine.shardCpuUsPerPlayerSec')).toHaveLength(4);
      // the delta samples come from whole broadcasts, each read by every sampled client
      for (const side of ['engine', 'noop']) {
        const deltas = Number(at(s, `${side}.delta.deltas`));
        expect(deltas).toBeGreaterThan(0);
        expect(Number(at(s, `${side}.delta.samples`))).toBeGreaterThanOrEqual(deltas);
      }
      // a figure may be missing only where it has no samples (a `you` only once the engine sends it)
      const you = at(s, 'engine.you.samples');
      const gone = missing(s).filter((p) => !(you === 0 && (p === 'engine.you.p50' || p === 'engine.you.p99')));
      expect(gone).toEqual([]);
    }
    for (const path of ['joins.engineMs', 'joins.noopMs', 'joins.ratio', 'cores', 'openFiles.players'])
      expect({ path, value: at(report, path) }).toEqual({ path, value: expect.any(Number) });
    expect(missing(at(report, 'joins'))).toEqual([]);
    const goals = at(report, 'goals');
    expect(Array.isArray(goals) ? goals.length : 0).toBe(6);
    for (const g of Array.isArray(goals) ? goals : []) expect([true, false, null]).toContain(at(g, 'met'));
  }, 600_000);
});
