/**
 * The big-hunt benchmark's verdicts and its table: every figure of every size beside its ceiling
 * (the no-op servers in the same run), and each goal of issue 23 part 7 judged on this run only.
 */
import type { JoinsResult } from './bighunt-joins.js';
import type { SizeResult } from './bighunt-run.js';

export interface Goal {
  goal: string;
  /** what the run showed, in words and numbers */
  shown: string;
  /** null: the run could not show it either way (a figure without samples) */
  met: boolean | null;
}

export const fmt = (n: number | null | undefined, digits = 0): string =>
  n === null || n === undefined || !Number.isFinite(n)
    ? 'n/a'
    : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const within = (figure: number | null, limit: number | null): boolean | null =>
  figure === null || limit === null || !Number.isFinite(figure) || !Number.isFinite(limit) ? null : figure <= limit;

/**
 * A goal that a size met while the engine shed work there (or at the size it is compared with) is
 * not shown met: shed work is cheap and light, so the figure flatters. A miss stays a miss.
 */
function unless(shed: SizeResult[], met: boolean | null): { met: boolean | null; note: string } {
  const short = shed.filter((s) => !s.engine.keptUp.ok);
  if (short.length === 0 || met !== true) return { met, note: '' };
  return {
    met: null,
    note: ` (not shown: the engine shed work at ${short.map((s) => `${fmt(s.players)}: ${s.engine.keptUp.why}`).join('; ')})`,
  };
}

/** The goals, judged on this run's sizes: the first size stands for 1,000, the last for the largest. */
export function judge(sizes: SizeResult[], joins: JoinsResult | null, shardCount: number): Goal[] {
  const goals: Goal[] = [];
  const base = sizes[0];
  const largest = sizes.at(-1);
  if (base && largest) {
    for (const s of sizes.slice(1)) {
      const r = s.engine.bytesPerClientPerSec / Math.max(1e-9, base.engine.bytesPerClientPerSec);
      const v = unless([base, s], within(r, 1.2));
      goals.push({
        goal: `bytes received per client per second at ${fmt(s.players)} within 1.2× of ${fmt(base.players)}`,
        shown: `${fmt(s.engine.bytesPerClientPerSec)} B/s against ${fmt(base.engine.bytesPerClientPerSec)} B/s: ${fmt(r, 2)}×${v.note}`,
        met: v.met,
      });
    }
    const p99 = largest.engine.delta.p99;
    const noop = largest.noop.delta.p99;
    const d = unless([largest], p99 === null || noop === null ? null : within(p99, 1.5 * Math.max(1, noop)));
    goals.push({
      goal: `delta p99 at ${fmt(largest.players)} within 1.5× of the no-op's broadcast p99 at the same size`,
      shown: `${fmt(p99)} ms against ${fmt(noop)} ms: ${p99 === null || noop === null ? 'n/a' : `${fmt(p99 / Math.max(1, noop), 2)}×`} (${fmt(largest.engine.delta.samples)} and ${fmt(largest.noop.delta.samples)} samples of ${fmt(largest.engine.delta.deltas)} and ${fmt(largest.noop.delta.deltas)} deltas)${d.note}`,
      met: d.met,
    });
    const c = largest.engine.cpuUsPerPlayerSec.engine / Math.max(1e-9, base.engine.cpuUsPerPlayerSec.engine);
    const cv = unless([base, largest], within(c, 1.2));
    goals.push({
      goal: `engine CPU per player per second at ${fmt(largest.players)} within 1.2× of ${fmt(base.players)}`,
      shown: `${fmt(largest.engine.cpuUsPerPlayerSec.engine, 1)} µs against ${fmt(base.engine.cpuUsPerPlayerSec.engine, 1)} µs: ${fmt(c, 2)}×${cv.note}`,
      met: cv.met,
    });
    const worst = sizes.reduce((w, s) => (s.storm.outPerPlayer > w.storm.outPerPlayer ? s : w), base);
    goals.push({
      goal: 'a reconnect storm of half the players reads at most 2 KB of Redis per reconnecting player',
      shown: sizes
        .map(
          (s) =>
            `${fmt(s.players)}: ${fmt(s.storm.outPerPlayer)} B (${fmt(s.storm.reconnected)} of ${fmt(s.storm.reconnecting)} back)`,
        )
        .join('; '),
      met: within(worst.storm.outPerPlayer, 2048),
    });
    const shares = largest.engine.shardShares;
    goals.push({
      goal: `one hunt's moves served by ${shardCount} shard processes: each applies between 20 % and 30 %`,
      shown: `at ${fmt(largest.players)}: ${shares.map((x) => `${fmt(x)} %`).join(', ')} of ${fmt(largest.engine.movesApplied)} moves`,
      met: shardCount !== 4 || largest.engine.movesApplied === 0 ? null : shares.every((x) => x >= 20 && x <= 30),
    });
  }
  if (joins)
    goals.push({
      goal: `${fmt(joins.players)} players joining one hunt within 2× the no-op's time to accept as many sockets`,
      shown: `${fmt(joins.engineMs)} ms against ${fmt(joins.noopMs)} ms: ${fmt(joins.ratio, 2)}× (against a no-op sending the welcome's ${fmt(joins.welcomeBytes)} bytes, ${fmt(joins.noopSameBytesMs)} ms: ${fmt(joins.ratioSameBytes, 2)}×)`,
      met: within(joins.ratio, 2),
    });
  return goals;
}

/** Rows of figures, a column per size. */
export function table(sizes: SizeResult[]): string {
  const rows: [string, (s: SizeResult) => string][] = [
    [
      'machine cores: processes (others) / irq / steal / load',
      (s) =>
        `${fmt(s.machine.busyCores, 2)} (${fmt(s.machine.othersCores, 2)}) / ${fmt(s.machine.interruptCores, 2)} / ${fmt(s.machine.stealCores, 2)} / ${fmt(s.machine.loadAvg1, 1)}`,
    ],
    ['bot processes (their CPU, cores)', (s) => `${s.botProcesses} (${fmt(s.engine.cores.bots, 2)})`],
    ['joins (HTTP registrations) per s', (s) => fmt(s.joinsPerSec)],
    ['sockets opened at once: per s / p99', (s) => `${fmt(s.sockets.perSec)} / ${fmt(s.sockets.p99Ms)} ms`],
    [
      'bytes per client per s: engine / no-op',
      (s) => `${fmt(s.engine.bytesPerClientPerSec)} / ${fmt(s.noop.bytesPerClientPerSec)}`,
    ],
    [
      'frames per client per s: engine / no-op',
      (s) => `${fmt(s.engine.framesPerClientPerSec, 2)} / ${fmt(s.noop.framesPerClientPerSec, 2)}`,
    ],
    [
      '  of which lb / you (engine)',
      (s) =>
        `${fmt(s.engine.byType.lb?.framesPerClientPerSec, 2)} / ${fmt(s.engine.byType.you?.framesPerClientPerSec, 2)}`,
    ],
    ['  lb frame mean bytes', (s) => fmt(s.engine.byType.lb?.meanBytes)],
    [
      'delta p50 / p99 ms: engine (samples of deltas)',
      (s) =>
        `${fmt(s.engine.delta.p50)} / ${fmt(s.engine.delta.p99)} (${fmt(s.engine.delta.samples)} of ${fmt(s.engine.delta.deltas)})`,
    ],
    [
      'delta p50 / p99 ms: no-op (samples of deltas)',
      (s) =>
        `${fmt(s.noop.delta.p50)} / ${fmt(s.noop.delta.p99)} (${fmt(s.noop.delta.samples)} of ${fmt(s.noop.delta.deltas)})`,
    ],
    [
      'you p50 / p99 ms: engine',
      (s) => `${fmt(s.engine.you.p50)} / ${fmt(s.engine.you.p99)} (${fmt(s.engine.you.samples)})`,
    ],
    ['you p50 / p99 ms: no-op', (s) => `${fmt(s.noop.you.p50)} / ${fmt(s.noop.you.p99)}`],
    ['seq gaps / answers without a you', (s) => `${fmt(s.engine.gaps)} / ${fmt(s.engine.you.missing)}`],
    [
      'CPU µs per player per s: fronts',
      (s) => `${fmt(s.engine.cpuUsPerPlayerSec.fronts, 1)} (${fmt(s.engine.cores.fronts, 2)} cores)`,
    ],
    ['  shards', (s) => `${fmt(s.engine.cpuUsPerPlayerSec.shards, 1)} (${fmt(s.engine.cores.shards, 2)} cores)`],
    ['  per shard process', (s) => s.engine.shardCpuUsPerPlayerSec.map((x) => fmt(x, 1)).join(' / ')],
    ['  redis', (s) => `${fmt(s.engine.cpuUsPerPlayerSec.redis, 1)} (${fmt(s.engine.cores.redis, 2)} cores)`],
    [
      '  engine (sum) / no-op',
      (s) => `${fmt(s.engine.cpuUsPerPlayerSec.engine, 1)} / ${fmt(s.noop.cpuUsPerPlayerSec, 1)}`,
    ],
    ['moves sent / applied', (s) => `${fmt(s.engine.movesSent)} / ${fmt(s.engine.movesApplied)}`],
    ['  share per shard process %', (s) => s.engine.shardShares.map((x) => fmt(x)).join(' / ')],
    [
      'answers sent (sampled: answered / refused)',
      (s) =>
        `${fmt(s.engine.answersSent)} (${fmt(s.engine.sampledAnswers.results)} / ${fmt(s.engine.sampledAnswers.refused)})`,
    ],
    ['engine kept up', (s) => (s.engine.keptUp.ok ? 'yes' : `NO: ${s.engine.keptUp.why}`)],
    [
      'front event-loop delay p99 / p99.9 ms, each front',
      (s) => s.engine.loopLagMs.p99.map((p, i) => `${fmt(p)} / ${fmt(s.engine.loopLagMs.p999[i] ?? NaN)}`).join(', '),
    ],
    ['errors / server closes', (s) => `${JSON.stringify(s.engine.errors)} / ${JSON.stringify(s.engine.closed)}`],
    ['storm: since / seq', (s) => `${fmt(s.storm.since)} / ${fmt(s.storm.seq)}`],
    [
      'storm: back / p99 / span',
      (s) =>
        `${fmt(s.storm.reconnected)} of ${fmt(s.storm.reconnecting)} / ${fmt(s.storm.p99Ms)} ms / ${fmt(s.storm.spanMs)} ms`,
    ],
    [
      'storm: Redis bytes out per player (in)',
      (s) => `${fmt(s.storm.outPerPlayer)} (${fmt(s.storm.inPerPlayer)}); quiet ${fmt(s.storm.quietOutBytes)} B`,
    ],
  ];
  const cells = rows.map(([label, f]) => [label, ...sizes.map(f)]);
  const head = ['players', ...sizes.map((s) => fmt(s.players))];
  const widths = head.map((_, c) => Math.max(...[head, ...cells].map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string =>
    `  ${r.map((x, c) => (c === 0 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join('   ')}`;
  return [line(head), ...cells.map(line)].join('\n');
}
