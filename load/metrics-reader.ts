/** Reads Prometheus text from a node and CPU time of processes from /proc, for the benchmark. */
import { readFileSync } from 'node:fs';

export type Samples = Map<string, number>;

export async function scrape(baseUrl: string): Promise<Samples> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

export function value(s: Samples, name: string): number {
  return s.get(name) ?? 0;
}

/** A quantile (seconds) of a histogram's growth between two scrapes, from its buckets. */
export function histogramQuantile(before: Samples, after: Samples, name: string, q: number): number {
  const buckets: { le: number; count: number }[] = [];
  for (const [key, v] of after) {
    const m = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\}$`).exec(key);
    if (!m) continue;
    const le = m[1] === '+Inf' ? Infinity : Number(m[1]);
    buckets.push({ le, count: v - (before.get(key) ?? 0) });
  }
  buckets.sort((a, b) => a.le - b.le);
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return NaN;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of buckets) {
    if (b.count >= rank) {
      if (b.le === Infinity) return prevLe;
      const inBucket = b.count - prevCount;
      return inBucket === 0 ? b.le : prevLe + ((rank - prevCount) / inBucket) * (b.le - prevLe);
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return prevLe;
}

/** User + system CPU seconds a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100;
}

/**
 * A redis-server's own CPU in microseconds: its main thread, user and system (INFO cpu), so
 * commands, parsing and socket I/O alike. (Summing INFO commandstats counts a script's inner
 * commands twice: once alone and once inside the script's own time.)
 */
export async function redisCpuUsec(redis: { info(section: string): Promise<string> }): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string): number => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return (field('used_cpu_user_main_thread') + field('used_cpu_sys_main_thread')) * 1e6;
}
