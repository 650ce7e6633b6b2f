/**
 * The embedded default: a private redis-server on a free loopback port, data under
 * `<dataDir>/redis` (AOF on, fsync every second, noeviction as BullMQ requires), with a
 * `maxmemory` (default a quarter of the machine's memory) and a random password kept in that
 * folder (the folder 0700, the files with the password 0600; the password is never on a
 * command line, where any local user could read it). Installs redis-server with apt-get where
 * it is missing on Debian/Ubuntu as root.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
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
    const res = spawnSync('apt-get', args, {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (res.status !== 0)
      throw new Error(`apt-get ${args.join(' ')} failed with exit code ${res.status}; install redis-server by hand`);
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
  /** with the password: for connections, never for printing (see `shownUrl`) */
  url: string;
  /** the URL with the password blanked, fit to print */
  shownUrl: string;
  port: number;
  /** the redis-server process id (changes after a restart) */
  readonly pid: number;
  /** null while redis-server runs; else why it does not */
  problem(): string | null;
  close(): Promise<void>;
}

export interface EmbeddedRedisOptions {
  /** folder for the AOF, the dump and the pid file; created if missing */
  dir: string;
  /** @default a free port */
  port?: number;
  /** @default true */
  appendonly?: boolean;
  say?: (line: string) => void;
  /** told when redis-server exits without being asked to; it is restarted unless `gaveUp` */
  onUnexpectedExit?: (info: { code: number | null; signal: string | null; restarts: number; gaveUp: boolean }) => void;
  /** told when a restarted redis-server answers again */
  onRestarted?: (pid: number) => void;
  /** restarts allowed within a minute before giving up. @default 5 */
  maxRestartsPerMinute?: number;
  /** redis-server's maxmemory: bytes, or a number with kb, mb or gb. @default a quarter of the machine's memory */
  maxmemory?: string | number;
}

const PASSWORD_FILE = 'password';
const CONFIG_FILE = 'redis.conf';

/** The password kept in the data folder (made on first start), and a config file that sets it, both 0600. */
function secretConfig(dir: string): { password: string; configFile: string } {
  const file = join(dir, PASSWORD_FILE);
  let password = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (!/^[A-Za-z0-9_-]{16,}$/.test(password)) {
    password = randomBytes(24).toString('base64url');
    writeFileSync(file, `${password}\n`, { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  const configFile = join(dir, CONFIG_FILE);
  writeFileSync(configFile, `requirepass ${password}\n`, { mode: 0o600 });
  chmodSync(configFile, 0o600);
  return { password, configFile };
}

const PID_FILE = 'redis.pid';

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A redis-server left running on this data folder (its node was killed with -9, say) is
 * stopped first, so one folder never has two servers appending to its AOF. It is known by
 * the pid file and checked by its working directory (redis-server runs in its --dir).
 */
async function stopLeftover(dir: string, say: (line: string) => void): Promise<void> {
  const file = join(dir, PID_FILE);
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 1 || !alive(pid)) return;
  let cwd = '';
  let cmd = '';
  try {
    cwd = readlinkSync(`/proc/${pid}/cwd`);
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return; // not ours to look at, so not ours to stop
  }
  if (cwd !== dir || !cmd.includes('redis-server')) return;
  say(`stopping redis-server ${pid} left running on ${dir} by an earlier run`);
  process.kill(pid, 'SIGTERM'); // redis-server writes the AOF out and exits
  for (let waited = 0; alive(pid); waited += 50) {
    if (waited > 10_000) {
      process.kill(pid, 'SIGKILL');
      break;
    }
    await sleep(50);
  }
}

async function waitForPing(url: string, child: ChildProcess, port: number, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `redis-server exited with code ${child.exitCode}: ${output().trim().split('\n').slice(-3).join(' | ')}`,
      );
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined); // refused while redis-server starts; the loop retries
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return;
    } catch {
      probe.disconnect();
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`redis-server on port ${port} did not answer within 10 s`);
      }
      await sleep(50);
    }
  }
}

export async function startEmbeddedRedis(opts: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  const say = opts.say ?? ((line: string) => process.stderr.write(`${line}\n`));
  const binary = ensureRedisServer(say);
  const dir = resolve(opts.dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // an older folder (or one made under a looser umask) is closed to other users too
  chmodSync(dir, 0o700);
  await stopLeftover(dir, say);
  const { password, configFile } = secretConfig(dir);
  const port = opts.port ?? (await freePort());
  const maxmemory = String(opts.maxmemory ?? Math.floor(totalmem() / 4));
  const args = [
    configFile,
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--pidfile',
    join(dir, PID_FILE),
    '--appendonly',
    opts.appendonly === false ? 'no' : 'yes',
    '--appendfsync',
    'everysec',
    '--maxmemory',
    maxmemory,
    '--maxmemory-policy',
    'noeviction',
    '--save',
    '',
    '--daemonize',
    'no',
    '--protected-mode',
    'yes',
  ];
  const url = `redis://:${password}@127.0.0.1:${port}`;
  const shownUrl = `redis://:***@127.0.0.1:${port}`;
  let output = '';
  let closing = false;
  let child!: ChildProcess;
  let problem: string | null = 'starting';
  const restarts: number[] = [];

  const spawnServer = async (): Promise<void> => {
    // its own process group: Ctrl-C in a terminal reaches the node, which drains and then stops redis itself
    child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    const current = child;
    current.once('exit', (code, signal) => {
      if (closing || current !== child) return;
      problem = `redis-server exited (${signal ?? `code ${code}`})`;
      const now = Date.now();
      restarts.push(now);
      while ((restarts[0] ?? Infinity) < now - 60_000) restarts.shift();
      const gaveUp = restarts.length > (opts.maxRestartsPerMinute ?? 5);
      opts.onUnexpectedExit?.({ code, signal, restarts: restarts.length, gaveUp });
      if (gaveUp) return;
      void sleep(1000) // a pause before the restart, so a crash loop cannot spin
        .then(() => spawnServer())
        .then(() => opts.onRestarted?.(child.pid ?? 0))
        .catch((err: unknown) => {
          problem = `redis-server could not be restarted: ${err instanceof Error ? err.message : String(err)}`;
          opts.onUnexpectedExit?.({ code: null, signal: null, restarts: restarts.length, gaveUp: true });
        });
    });
    await waitForPing(url, current, port, () => output);
    problem = null;
  };
  await spawnServer();

  let closed: Promise<void> | undefined;
  return {
    url,
    shownUrl,
    port,
    get pid() {
      return child.pid ?? 0;
    },
    problem: () => problem,
    close: () =>
      (closed ??= (async () => {
        closing = true;
        problem = 'stopped';
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((res) => child.once('exit', () => res()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      })()),
  };
}
