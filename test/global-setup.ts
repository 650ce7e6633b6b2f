/** Starts one real redis-server for the whole run on a free port; each test uses its own key prefix. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedRedis, type EmbeddedRedis } from '../redis/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

let redis: EmbeddedRedis | undefined;
let dir: string | undefined;

/** The browser tests use Debian's Chromium; on Debian/Ubuntu as root it is installed when missing. */
function ensureChromium(): void {
  if (existsSync('/usr/bin/chromium')) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!existsSync('/etc/debian_version') || !root) throw new Error('the browser tests need /usr/bin/chromium: run `sudo apt-get install -y chromium`');
  for (const args of [['update'], ['install', '-y', 'chromium']]) {
    process.stderr.write(`$ apt-get ${args.join(' ')}\n`);
    const res = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (res.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed with exit code ${res.status}`);
  }
}

export async function setup(project: TestProject): Promise<void> {
  ensureChromium();
  dir = mkdtempSync(join(tmpdir(), 'hunt-test-redis-'));
  redis = await startEmbeddedRedis({ dir, appendonly: false });
  project.provide('redisUrl', redis.url);
}

export async function teardown(): Promise<void> {
  await redis?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
