/**
 * The embedded default: a private redis-server on a free loopback port, data under
 * `<dataDir>/redis` (AOF on, fsync every second, noeviction as BullMQ requires).
 * Installs redis-server with apt-get where it is missing on Debian/Ubuntu as root.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';

const CANDIDATES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/usr/sbin/redis-server'];

function which(binary: string): string | undefined {
  const out = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
  const path = out.stdout.trim();
  return out.status === 0 && path ? path : undefined;
}

export function findRedisServer(): string | undefined {
  return which('redis-server') ?? CANDIDATES.find((p) => existsSync(p));
}

/**
 * Finds redis-server, installing it on Debian/Ubuntu as root (showing what it runs).
 * Elsewhere throws one clear line naming the command to run.
 */
export function ensureRedisServer(say: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): string {
  const found = findRedisServer();
  if (found) return found;
  const debian = existsSync('/etc/debian_version');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!debian || !root) {
    throw new Error(
      debian
        ? 'redis-server is not installed: run `sudo apt-get install -y redis-server`, or set REDIS_URL to a Redis you run'
        : 'redis-server is not installed: install Redis 7 (e.g. `brew install redis`), or set REDIS_URL to a Redis you run',
    );
  }
  for (const args of [['update'], ['install', '-y', 'redis-server']]) {
    say(`$ apt-get ${args.join(' ')}`);
    const res = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (res.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed with exit code ${res.status}; install redis-server by hand`);
  }
  const installed = findRedisServer();
  if (!installed) throw new Error('apt-get installed redis-server but it is not on PATH');
  return installed;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

export interface EmbeddedRedis {
  url: string;
  port: number;
  /** the redis-server process id */
  pid: number;
  close(): Promise<void>;
}

export interface EmbeddedRedisOptions {
  /** folder for the AOF and dump; created if missing */
  dir: string;
  /** @default a free port */
  port?: number;
  /** @default true */
  appendonly?: boolean;
  say?: (line: string) => void;
}

export async function startEmbeddedRedis(opts: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  const binary = ensureRedisServer(opts.say);
  const dir = resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--appendonly', opts.appendonly === false ? 'no' : 'yes',
    '--appendfsync', 'everysec',
    '--maxmemory-policy', 'noeviction',
    '--save', '',
    '--daemonize', 'no',
    '--protected-mode', 'yes',
  ];
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const url = `redis://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));

  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}: ${output.trim().split('\n').slice(-3).join(' | ')}`);
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined); // refused while redis-server starts; the loop retries
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      break;
    } catch {
      probe.disconnect();
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`redis-server on port ${port} did not answer within 10 s`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    pid: child.pid ?? 0,
    close: () =>
      (closing ??= (async () => {
        if (child.exitCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      })()),
  };
}
