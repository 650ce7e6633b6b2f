// vitest: runtime-only (about the runtime, not Redis: run once, npm run test:cluster leaves it out)
/**
 * `hunt start` under Node.js 24 (the registry's node-linux-<arch> build, fetched once into
 * .cache/node24 by scripts/node-binary.sh), where no native uWebSockets.js build loads: the node
 * says so in one warning line, serves on the ws fallback, and plays join, welcome, answer and
 * result over its socket.
 */
import { execFileSync, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HuntHttpClient, PlayerSocket } from '../client/index.js';
import { SERVER_NODE_FLAGS } from '../server/index.js';
import { freshPrefix, GM_KEY, liveHunt, redisUrl, ROOT } from './helpers.js';

describe('a node under Node.js 24', () => {
  let child: ReturnType<typeof spawn> | undefined;
  let out = '';
  let base = '';

  beforeAll(async () => {
    const node24 = execFileSync('bash', ['scripts/node-binary.sh', '24'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 300_000,
    }).trim();
    child = spawn(
      node24,
      [
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
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          HUNT_GM_KEY: GM_KEY,
          LOG_LEVEL: 'warn',
          HUNT_LOG_FORMAT: 'json',
          HUNT_TRANSPORT: 'auto',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      const read = (d: Buffer): void => {
        out += d.toString();
        const port = /listening on http:\/\/localhost:(\d+)/.exec(out)?.[1];
        if (port && /^transport: /m.test(out)) {
          base = `http://127.0.0.1:${port}`;
          resolve();
        }
      };
      child!.stdout!.on('data', read);
      child!.stderr!.on('data', read);
      child!.once('exit', (code) => reject(new Error(`node 24 exited with ${code}: ${out}`)));
    });
  }, 360_000);

  afterAll(async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });

  it('runs on the ws fallback and says so in one warning line', () => {
    const warnings = out.split('\n').filter((line) => line.includes('"level":40') && line.includes('uWebSockets.js'));
    expect(warnings).toHaveLength(1);
    const warning = JSON.parse(warnings[0]!) as { transport: string; msg: string };
    expect(warning.transport).toBe('ws');
    // which build is missing, what it costs, how to get the fast one
    expect(warning.msg).toMatch(/no build for Node\.js 24\.\d+\.\d+ \(ABI 137\)/);
    expect(warning.msg).toMatch(/CPU/);
    expect(warning.msg).toMatch(/run it on Node\.js 20/);
    expect(out).toContain('transport: ws fallback');
  });

  it('plays join, welcome, answer and result over the socket', async () => {
    const gm = new HuntHttpClient(base, GM_KEY);
    const hunt = await liveHunt(gm, 1);
    const joined = await gm.join(hunt.id, 'node24');
    const ws = await PlayerSocket.connect(base, joined.token);
    const welcome = await ws.waitType('welcome');
    expect(welcome.player).toEqual({ id: joined.player, name: 'node24' });
    const result = await ws.request({ t: 'answer', id: 'a1', puzzle: 'p1', answer: hunt.answers.get('p1')! });
    expect(result).toMatchObject({ t: 'result', id: 'a1', puzzle: 'p1', correct: true, points: 100, score: 100 });
    ws.close();
  });
});
