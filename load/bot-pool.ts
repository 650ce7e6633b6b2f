/** Bot processes for the benchmarks: each runs load/bot-worker.ts with its share of the clients. */
import { spawn } from 'node:child_process';
import type { BotOrders, BotReport } from './bot-worker.js';

const ROOT = new URL('..', import.meta.url).pathname;

/** Runs one bot process with its orders; resolves with its report. */
export function bot(orders: BotOrders): Promise<BotReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'load/bot-worker.ts'], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`bot process exited with ${code}`));
      try {
        resolve(JSON.parse(out) as BotReport);
      } catch {
        reject(new Error(`bot process wrote an unreadable report (${out.length} bytes)`));
      }
    });
    child.stdin.write(`${JSON.stringify(orders)}\n`);
  });
}

/** Splits urls over `procs` bot processes that start together; merges their reports. */
export async function drive(
  procs: number,
  urls: string[],
  o: Omit<BotOrders, 'urls' | 'startAt'>,
  startAt = Date.now() + 1500 + urls.length,
): Promise<BotReport & { processes: number }> {
  // startAt leaves time to open every socket first
  const shares = Array.from({ length: procs }, (_, p) => urls.filter((_, i) => i % procs === p)).filter(
    (s) => s.length > 0,
  );
  // per-process rates: the total is split evenly over the processes
  const reports = await Promise.all(
    shares.map((share) =>
      bot({
        ...o,
        urls: share,
        startAt,
        ...(o.answersPerSecond ? { answersPerSecond: o.answersPerSecond / shares.length } : {}),
      }),
    ),
  );
  return {
    processes: shares.length,
    opened: reports.reduce((a, r) => a + r.opened, 0),
    connectMs: reports.flatMap((r) => r.connectMs),
    ...span(reports),
    moves: reports.reduce((a, r) => a + r.moves, 0),
    warmupMoves: reports.reduce((a, r) => a + (r.warmupMoves ?? 0), 0),
    pings: reports.flatMap((r) => r.pings),
    lostPings: reports.reduce((a, r) => a + r.lostPings, 0),
    errors: reports.reduce<Record<string, number>>((acc, r) => {
      for (const [k, v] of Object.entries(r.errors)) acc[k] = (acc[k] ?? 0) + v;
      return acc;
    }, {}),
    cpuSeconds: reports.reduce((a, r) => a + r.cpuSeconds, 0),
    lateness: reports.flatMap((r) => r.lateness ?? []),
    messageLateness: reports.flatMap((r) => r.messageLateness ?? []),
    answers: reports.flatMap((r) => r.answers ?? []),
    lostAnswers: reports.reduce((a, r) => a + (r.lostAnswers ?? 0), 0),
    gaps: reports.reduce((a, r) => a + (r.gaps ?? 0), 0),
    deltas: reports.reduce((a, r) => a + (r.deltas ?? 0), 0),
  };
}

/** From the first process's start of opening to the last socket's first message, over every process. */
function span(reports: BotReport[]): { connectSpan?: { from: number; to: number } } {
  const spans = reports.flatMap((r) => (r.connectSpan ? [r.connectSpan] : []));
  if (spans.length === 0) return {};
  return { connectSpan: { from: Math.min(...spans.map((s) => s.from)), to: Math.max(...spans.map((s) => s.to)) } };
}
