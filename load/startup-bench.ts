/**
 * Start-up time and memory of a node run from its sources (`npm start`: node --import tsx
 * server/cli.ts) against the build (`node dist/server/cli.js`): each started N times in turn on
 * one private redis-server, every role, a fresh prefix each time; the time from spawn to its
 * `listening on` line, to the first 200 from /readyz, and its RSS then and after 2,000 requests.
 * Usage: npm run bench:startup [-- --runs 5]   (runs npm run build first)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { freePort } from '../redis/index.js';
import { SERVER_NODE_FLAGS } from '../server/index.js';
import { withBench } from './processes.js';

const ROOT = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);

const rss = (pid: number): number =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const WAYS = {
  'npm start (tsx, sources)': [...SERVER_NODE_FLAGS, '--import', 'tsx', 'server/cli.ts'],
  'node dist/server/cli.js': [...SERVER_NODE_FLAGS, 'dist/server/cli.js'],
} as const;

await withBench('startup', async ({ redis }) => {
  const results: Record<string, { listening: number[]; ready: number[]; rssReady: number[]; rssWarm: number[] }> = {};
  for (let i = 0; i < runs; i++) {
    for (const [name, args] of Object.entries(WAYS)) {
      const port = await freePort();
      const started = performance.now();
      const proc = spawn(
        process.execPath,
        [
          ...args,
          'start',
          '--port',
          String(port),
          '--host',
          '127.0.0.1',
          '--redis',
          redis.url,
          '--prefix',
          `startup${i}`,
        ],
        {
          cwd: ROOT,
          env: { ...process.env, LOG_LEVEL: 'warn', HUNT_GM_KEY: 'startup-bench-key' },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const listening = await new Promise<number>((resolve, reject) => {
        let out = '';
        proc.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('listening on')) resolve(performance.now() - started);
        });
        proc.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
      });
      for (;;) {
        const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.status === 200,
          () => false,
        );
        if (ok) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      const ready = performance.now() - started;
      const rssReady = rss(proc.pid!);
      for (let k = 0; k < 2000; k++)
        await fetch(`http://127.0.0.1:${port}/api/hunts/none/leaderboard`).then((r) => r.arrayBuffer());
      const rssWarm = rss(proc.pid!);
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      await exited;
      const r = (results[name] ??= { listening: [], ready: [], rssReady: [], rssWarm: [] });
      r.listening.push(listening);
      r.ready.push(ready);
      r.rssReady.push(rssReady);
      r.rssWarm.push(rssWarm);
    }
  }
  console.log(`medians of ${runs} starts each (every role, one redis-server):`);
  console.log('| way | spawn → listening | spawn → /readyz 200 | RSS when ready | RSS after 2,000 requests |');
  console.log('|---|---|---|---|---|');
  for (const [name, r] of Object.entries(results)) {
    console.log(
      `| ${name} | ${median(r.listening).toFixed(0)} ms | ${median(r.ready).toFixed(0)} ms | ${median(r.rssReady).toFixed(0)} MiB | ${median(r.rssWarm).toFixed(0)} MiB |`,
    );
  }
});
