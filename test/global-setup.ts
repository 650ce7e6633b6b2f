/**
 * Starts the Redis the whole run uses: one real redis-server on a free port, or, with
 * HUNT_TEST_REDIS=cluster, a Redis Cluster of 3 masters with a replica each (redis-server
 * processes joined by redis-cli). Each test uses its own key prefix.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedRedis, startLocalCluster, type EmbeddedRedis, type LocalCluster } from '../redis/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    /** the ports of the cluster's nodes, when the run is on a cluster */
    clusterPorts: number[];
  }
}

let redis: EmbeddedRedis | undefined;
let cluster: LocalCluster | undefined;
let dir: string | undefined;

/** The browser tests use Debian's Chromium; on Debian/Ubuntu as root it is installed when missing. */
function ensureChromium(): void {
  if (existsSync('/usr/bin/chromium')) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!existsSync('/etc/debian_version') || !root)
    throw new Error('the browser tests need /usr/bin/chromium: run `sudo apt-get install -y chromium`');
  for (const args of [['update'], ['install', '-y', 'chromium']]) {
    process.stderr.write(`$ apt-get ${args.join(' ')}\n`);
    const res = spawnSync('apt-get', args, {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (res.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed with exit code ${res.status}`);
  }
}

export async function setup(project: TestProject): Promise<void> {
  ensureChromium();
  dir = mkdtempSync(join(tmpdir(), 'hunt-test-redis-'));
  if (process.env.HUNT_TEST_REDIS === 'cluster') {
    cluster = await startLocalCluster({ dir, masters: 3, replicas: 1 });
    process.stderr.write(`tests run on a Redis Cluster: ${cluster.url} (3 masters, 3 replicas)\n`);
    project.provide('redisUrl', cluster.url);
    project.provide(
      'clusterPorts',
      cluster.nodes.map((n) => n.port),
    );
    return;
  }
  redis = await startEmbeddedRedis({ dir, appendonly: false });
  project.provide('redisUrl', redis.url);
  project.provide('clusterPorts', []);
}

export async function teardown(): Promise<void> {
  await redis?.close();
  await cluster?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
