// vitest: runtime-only (about the runtime, not Redis: run once, npm run test:cluster leaves it out)
/**
 * Logs for people and for collectors: `hunt start` writes readable lines (pino-pretty) on a
 * terminal and JSON lines elsewhere; HUNT_LOG_FORMAT chooses either way.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../server/index.js';
import { freshPrefix, redisUrl, ROOT, spawnNode, until } from './helpers.js';

const started = (out: string): string | undefined => out.split(/\r?\n/).find((l) => l.includes('node started'));

async function logOf(env: NodeJS.ProcessEnv): Promise<string> {
  const node = spawnNode(['--port', '0', '--host', '127.0.0.1', '--redis', redisUrl(), '--prefix', freshPrefix()], {
    LOG_LEVEL: 'info',
    ...env,
  });
  try {
    await node.ready;
    return await until('the node started line', () => started(node.output()));
  } finally {
    const exited = new Promise((resolve) => node.child.once('exit', resolve));
    node.child.kill('SIGTERM');
    await exited;
  }
}

/** The node on a pseudo-terminal (util-linux `script`), as `npm start` in a shell runs it. */
async function logOnTerminal(env: NodeJS.ProcessEnv): Promise<string> {
  const command = [
    process.execPath,
    ...SERVER_NODE_FLAGS,
    '--import',
    'tsx',
    'server/cli.ts',
    'start',
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--redis',
    redisUrl(),
    '--prefix',
    freshPrefix(),
  ].join(' ');
  const child = spawn('script', ['-qfec', `exec ${command}`, '/dev/null'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  try {
    return await until('the node started line on the terminal', () => started(out), 30_000);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

describe('logs', () => {
  it('are JSON lines when stdout is not a terminal', async () => {
    const line = await logOf({});
    expect(JSON.parse(line)).toMatchObject({ level: 30, msg: 'node started', transport: expect.any(String) });
  });

  it('are readable lines with HUNT_LOG_FORMAT=pretty, terminal or not', async () => {
    const line = await logOf({ HUNT_LOG_FORMAT: 'pretty' });
    expect(line).toMatch(/INFO.*node started/);
    expect(() => JSON.parse(line) as unknown).toThrow();
  });

  it('are readable lines on a terminal, and JSON there with HUNT_LOG_FORMAT=json', async () => {
    const pretty = await logOnTerminal({});
    expect(pretty).toMatch(/INFO.*node started/);
    const json = await logOnTerminal({ HUNT_LOG_FORMAT: 'json' });
    expect(JSON.parse(json.trim())).toMatchObject({ msg: 'node started' });
  });
});
