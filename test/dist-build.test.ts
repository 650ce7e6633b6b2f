// vitest: runtime-only (about the runtime, not Redis: run once, npm run test:cluster leaves it out)
/**
 * The production build: `npm run build`'s script compiles the server (into .cache/dist-test here,
 * so a developer's dist/ is left alone), and plain `node <out>/server/cli.js start`, with no
 * TypeScript loader, serves /readyz, the pages, puzzle generation (worker threads) and a player
 * who joins and answers over the socket.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HuntHttpClient, PlayerSocket } from '../client/index.js';
import { SERVER_NODE_FLAGS } from '../server/index.js';
import { freshPrefix, GM_KEY, liveHunt, redisUrl, ROOT } from './helpers.js';

const OUT = '.cache/dist-test';

describe('node dist/server/cli.js start', () => {
  let child: ChildProcess | undefined;
  let out = '';
  let base = '';

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/build.mjs', '--outdir', OUT], {
      cwd: ROOT,
      stdio: 'pipe',
      timeout: 120_000,
    });
    // no --import tsx: a .ts file reached at run time would fail to load
    child = spawn(
      process.execPath,
      [
        ...SERVER_NODE_FLAGS,
        join(OUT, 'server', 'cli.js'),
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
        env: { ...process.env, HUNT_GM_KEY: GM_KEY, LOG_LEVEL: 'warn', NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    base = await new Promise<string>((resolve, reject) => {
      const read = (d: Buffer): void => {
        out += d.toString();
        const port = /listening on http:\/\/localhost:(\d+)/.exec(out)?.[1];
        if (port) resolve(`http://127.0.0.1:${port}`);
      };
      child!.stdout!.on('data', read);
      child!.stderr!.on('data', read);
      child!.once('exit', (code) => reject(new Error(`the built node exited with ${code}: ${out}`)));
    });
  }, 180_000);

  afterAll(async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });

  it('holds no TypeScript and finds its Lua scripts and bundled pages', () => {
    expect(existsSync(join(ROOT, OUT, 'server', 'cli.ts'))).toBe(false);
    expect(existsSync(join(ROOT, OUT, 'rooms', 'lua', 'apply-answers.lua'))).toBe(true);
    expect(existsSync(join(ROOT, OUT, 'client', 'pages', 'assets', 'player.js'))).toBe(true);
  });

  it('is ready and serves the pages', async () => {
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    const script = /\/assets\/player\.js\?v=\w+/.exec(await page.text())?.[0];
    expect(script).toBeDefined();
    expect((await fetch(`${base}${script}`)).status).toBe(200);
  });

  it('generates a hunt and plays a join and an answer', async () => {
    const gm = new HuntHttpClient(base, GM_KEY);
    const hunt = await liveHunt(gm, 1);
    const joined = await gm.join(hunt.id, 'built');
    const ws = await PlayerSocket.connect(base, joined.token);
    expect((await ws.waitType('welcome')).player).toEqual({ id: joined.player, name: 'built' });
    expect(await ws.request({ t: 'answer', id: 'a1', puzzle: 'p1', answer: hunt.answers.get('p1')! })).toMatchObject({
      t: 'result',
      correct: true,
    });
    ws.close();
  });
});
