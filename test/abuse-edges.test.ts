/**
 * The smaller holes of issue 22: CSV formulas in exports, a removed player renewing its token,
 * pages without a content policy, and secrets in logs.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket } from '../client/index.js';
import { createLogger } from '../server/index.js';
import { raw } from './abuse-http.js';
import { liveHunt, startCluster, type Cluster } from './helpers.js';

describe('edges', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster();
  });
  afterAll(() => c?.close());

  it('writes CSV cells that a spreadsheet would run as formulas with a leading quote', async () => {
    const { id } = await liveHunt(c.gm(), 1);
    const names = ['=HYPERLINK("http://ev.il","w")', '+1+1', '-2', '@SUM(A1)', 'plain'];
    const players = await Promise.all(names.map((n) => c.gm().join(id, n)));
    await c
      .gm()
      .request('POST', `/api/hunts/${id}/players/${players[4]!.player}/adjust`, { points: 5, reason: '\tcmd' });
    await c
      .gm()
      .request('POST', `/api/hunts/${id}/players/${players[4]!.player}/adjust`, { points: 5, reason: '\rcr' });
    const csv = await c.gm().request<string>('GET', `/api/hunts/${id}/export`, undefined, undefined, 'text/csv');
    expect(csv).toContain(`"'=HYPERLINK(""http://ev.il"",""w"")"`);
    for (const cell of [",'+1+1,", ",'-2,", ",'@SUM(A1),", ",'\tcmd", `,"'\rcr"`]) expect(csv).toContain(cell);
    expect(csv).toContain(',plain,');
    // no cell starts with a formula character any more
    const cells = csv
      .split(/\r\n/)
      .flatMap((line) => line.split(','))
      .map((cell) => cell.replace(/^"/, ''));
    expect(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
  });

  it('refuses renew to a removed player and closes its socket (4008)', async () => {
    const { id } = await liveHunt(c.gm(), 1);
    const { player, token } = await c.gm().join(id, 'leaver');
    const ws = await PlayerSocket.connect(c.url(), token);
    await ws.waitType('welcome');
    expect(await ws.request({ t: 'renew', id: 'before' })).toMatchObject({ t: 'token', id: 'before' });
    // marked removed in Redis without the kick that removal publishes: the socket stays open, as on a node that missed it
    const k = `${c.prefix}:{h:${id}}:players`;
    const record = JSON.parse((await c.redis.hget(k, player))!) as Record<string, unknown>;
    await c.redis.hset(k, player, JSON.stringify({ ...record, removed: true }));
    expect(await ws.request({ t: 'renew', id: 'after' })).toMatchObject({
      t: 'error',
      id: 'after',
      code: 'PLAYER_REMOVED',
    });
    expect(await ws.waitClose()).toBe(4008);
    expect(ws.received.some((m) => m.t === 'token' && m.id === 'after')).toBe(false);
  });

  it('sends pages with a content policy, no inline script, and nosniff on every answer', async () => {
    for (const path of ['/', '/gm']) {
      const page = await raw(c.url(), path);
      expect(page.status).toBe(200);
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      // every script is a bundled file: none inline, no inline handlers
      for (const tag of page.text.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? [])
        expect(tag).toMatch(/^<script\b[^>]*\bsrc="\/assets\/[^"]+"[^>]*><\/script>$/);
      expect(page.text).not.toMatch(/\son[a-z]+\s*=/i);
    }
    for (const [path, status] of [
      ['/healthz', 200],
      ['/api/hunts', 401],
      ['/no/such/route', 404],
      ['/assets/nothing.js', 404],
    ] as const) {
      const r = await raw(c.url(), path);
      expect([path, r.status, r.headers['x-content-type-options']]).toEqual([path, status, 'nosniff']);
    }
  });

  it('logs keys, tokens, passcodes and authorization headers as [redacted]', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => void (lines.push(chunk.toString()), done()) });
    const log = createLogger('info', { destination: sink });
    log.info(
      {
        key: 'gm_k_secret1',
        token: 'tok-secret2',
        passcode: 'pc-secret3',
        req: { headers: { authorization: 'Bearer secret4' } },
        body: { passcode: 'secret5', gmKey: 'secret6' },
        redisUrl: 'redis://:secret7@h:1',
      },
      'hello',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/secret\d/);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      key: '[redacted]',
      token: '[redacted]',
      passcode: '[redacted]',
      msg: 'hello',
    });
  });
});
