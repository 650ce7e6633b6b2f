/**
 * Joins as an attacker sends them: a flood from one address (refused past the limit on every
 * node, while another address and a game master still join), X-Forwarded-For believed only from
 * a trusted proxy, cross-site `text/plain` joins, `maxPlayers` under concurrent joins, passcodes,
 * names taken twice, and fast-check over bodies and headers.
 */
import { Agent } from 'node:http';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../protocol/index.js';
import { DEFAULT_LIMITS } from '../config/index.js';
import { codeOf, joinAs, raw, type RawReply } from './abuse-http.js';
import { GM_KEY, restoreConfigs, setConfig, startCluster, type Cluster } from './helpers.js';

describe('joins', () => {
  let c: Cluster;
  const refused = (code: string): number => c.nodes.reduce((n, node) => n + node.metrics.joinsRefused.get({ code }), 0);
  const hunt = async (settings: Record<string, unknown> = {}): Promise<string> => {
    const { id } = await c.gm().request<{ id: string }>('POST', '/api/hunts', {
      name: 'open',
      puzzles: [{ type: 'anagram', difficulty: 'easy' }],
      seed: 'j',
      ...settings,
    });
    await c.gm().waitReady(id);
    return id;
  };

  beforeAll(async () => {
    // node 0 trusts 127.0.0.1 as a proxy; node 1 trusts nobody
    c = await startCluster([['front', 'shard', 'worker']], { trustedProxies: '127.0.0.1' });
    await c.add(['front']);
  });
  afterEach(() => restoreConfigs(c, { limits: DEFAULT_LIMITS }));
  afterAll(() => c?.close());

  it('refuses a 2,000-join flood from one address past the limit on every node, while another address still joins', async () => {
    const id = await hunt();
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const replies: RawReply[] = [];
    // the flood comes from 127.0.0.3 and is spread over both front nodes
    for (let i = 0; i < 2000; i += 100) {
      replies.push(
        ...(await Promise.all(
          Array.from({ length: 100 }, (_, k) =>
            joinAs(c.url((i + k) % 2), id, { name: `flood${i + k}` }, { localAddress: '127.0.0.3', agent }).catch(
              (err: unknown): RawReply => ({ status: 0, headers: {}, text: String(err), json: undefined }),
            ),
          ),
        )),
      );
    }
    agent.destroy();
    expect(replies.filter((r) => r.status !== 201 && r.status !== 429).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    const created = replies.filter((r) => r.status === 201);
    const limited = replies.filter((r) => r.status === 429);
    expect(created).toHaveLength(DEFAULT_LIMITS.joinsPerMinutePerAddress);
    expect(limited).toHaveLength(2000 - DEFAULT_LIMITS.joinsPerMinutePerAddress);
    for (const r of limited) {
      expect(codeOf(r)).toBe('RATE_LIMITED');
      const retry = Number(r.headers['retry-after']);
      expect(retry).toBeGreaterThanOrEqual(1);
      expect(retry).toBeLessThanOrEqual(60);
    }
    expect(refused('RATE_LIMITED')).toBeGreaterThanOrEqual(limited.length);
    // another address, and a game master from the flooding one, still join
    expect((await joinAs(c.url(1), id, { name: 'neighbour' }, { localAddress: '127.0.0.4' })).status).toBe(201);
    expect(
      (
        await joinAs(
          c.url(0),
          id,
          { name: 'bulk' },
          { localAddress: '127.0.0.3', headers: { authorization: `Bearer ${GM_KEY}` } },
        )
      ).status,
    ).toBe(201);
    expect((await c.gm().hunt(id)).players).toBe(DEFAULT_LIMITS.joinsPerMinutePerAddress + 2);
  });

  it('takes X-Forwarded-For from a trusted proxy only, and only its last hop', async () => {
    await setConfig(c, 'limits', { joinsPerMinutePerAddress: 3 });
    const id = await hunt();
    const via = (node: number, xff: string, name: string, localAddress = '127.0.0.1'): Promise<RawReply> =>
      joinAs(c.url(node), id, { name }, { localAddress, headers: { 'x-forwarded-for': xff } });
    // through the trusted proxy (node 0's peer 127.0.0.1): counted by the last hop, whatever the client wrote before it
    for (let i = 0; i < 3; i++) expect((await via(0, `1.1.1.${i}, 10.0.0.5`, `a${i}`)).status).toBe(201);
    expect(codeOf(await via(0, '9.9.9.9, 10.0.0.5', 'a3'))).toBe('RATE_LIMITED');
    expect((await via(0, '10.0.0.5, 10.0.0.6', 'b0')).status).toBe(201);
    // node 1 trusts no proxy: the header is ignored and the peer (127.0.0.5) is counted
    for (let i = 0; i < 3; i++) expect((await via(1, `10.1.0.${i}`, `c${i}`, '127.0.0.5')).status).toBe(201);
    expect(codeOf(await via(1, '10.1.0.99', 'c3', '127.0.0.5'))).toBe('RATE_LIMITED');
  });

  it('refuses a join that is not application/json with 415 before reading it', async () => {
    const id = await hunt();
    const before = refused('UNSUPPORTED_MEDIA_TYPE');
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) {
      const r = await raw(c.url(), `/api/hunts/${id}/players`, {
        method: 'POST',
        headers: type ? { 'content-type': type } : {},
        body: '{"name":"csrf"}',
        localAddress: '127.0.0.6',
      });
      expect([type, r.status, codeOf(r)]).toEqual([type, 415, 'UNSUPPORTED_MEDIA_TYPE']);
    }
    expect(refused('UNSUPPORTED_MEDIA_TYPE')).toBe(before + 4);
    expect(
      (
        await joinAs(
          c.url(),
          id,
          { name: 'fine' },
          { headers: { 'content-type': 'Application/JSON; charset=utf-8' }, localAddress: '127.0.0.6' },
        )
      ).status,
    ).toBe(201);
    expect((await c.gm().hunt(id)).players).toBe(1);
  });

  it("holds maxPlayers under concurrent joins, frees a removed player's place, and takes a new bound by PATCH", async () => {
    const id = await hunt({ maxPlayers: 10 });
    expect((await c.gm().hunt(id)).maxPlayers).toBe(10);
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        c
          .gm(i % 2)
          .request<{ player: string }>('POST', `/api/hunts/${id}/players`, { name: `p${i}` })
          .then(
            (r) => r.player,
            (err: { code?: string }) => err.code,
          ),
      ),
    );
    const players = replies.filter((r) => r !== undefined && r !== 'HUNT_FULL');
    expect(players).toHaveLength(10);
    expect(replies.filter((r) => r === 'HUNT_FULL')).toHaveLength(30);
    await c.gm().request('DELETE', `/api/hunts/${id}/players/${players[0]}`);
    await c.gm().join(id, 'late');
    await expect(c.gm().join(id, 'later')).rejects.toMatchObject({ code: 'HUNT_FULL', status: 409 });
    expect(await c.gm().request('PATCH', `/api/hunts/${id}`, { maxPlayers: 11 })).toMatchObject({ maxPlayers: 11 });
    await c.gm().join(id, 'later');
  });

  it('asks for the passcode of a hunt that has one, except from a key that may run it', async () => {
    const id = await hunt({ passcode: 'sesame' });
    expect((await c.gm().hunt(id)).passcode).toBe('sesame');
    const join = (body: Record<string, unknown>): Promise<RawReply> =>
      joinAs(c.url(), id, body, { localAddress: '127.0.0.7' });
    expect(codeOf(await join({ name: 'a' }))).toBe('PASSCODE_REQUIRED');
    expect(codeOf(await join({ name: 'a', passcode: 'sesamE' }))).toBe('PASSCODE_WRONG');
    expect(codeOf(await join({ name: 'a', passcode: 'sesame!' }))).toBe('PASSCODE_WRONG');
    expect((await join({ name: 'a', passcode: 'sesame' })).status).toBe(201);
    expect((await c.gm().join(id, 'registered')).player).toBeTruthy();
    expect(refused('PASSCODE_WRONG')).toBeGreaterThanOrEqual(2);
    expect(await c.gm().request('PATCH', `/api/hunts/${id}`, { passcode: null })).toMatchObject({ passcode: null });
    expect((await join({ name: 'b' })).status).toBe(201);
  });

  it('gives each display name to one player of a hunt', async () => {
    const id = await hunt();
    await c.gm().join(id, 'Ann Lee');
    for (const name of ['ann lee', ' ANN   LEE ', 'Ａｎｎ Ｌｅｅ']) {
      await expect(c.gm().join(id, name)).rejects.toMatchObject({ code: 'NAME_TAKEN', status: 409 });
    }
    await c.gm().join(id, 'Ann Lea');
    const other = await hunt();
    await c.gm().join(other, 'Ann Lee');
  });

  it('fuzz: any join body and headers get a contract answer, and the node stays up', async () => {
    await setConfig(c, 'limits', { joinsPerMinutePerAddress: 1_000_000 });
    const id = await hunt({ passcode: 'pw' });
    const header = fc.oneof(
      fc.constant(''),
      fc.string({ maxLength: 40 }),
      fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8', 'APPLICATION/JSON'),
    );
    const body = fc.oneof(
      fc.record(
        {
          name: fc.string({ maxLength: 40 }),
          passcode: fc.option(fc.string({ maxLength: 70 }), { nil: undefined }),
          team: fc.option(fc.string(), { nil: undefined }),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(header, header, body, fc.boolean(), async (contentType, xff, b, withKey) => {
        const headers: Record<string, string> = {};
        const printable = (v: string): boolean => v !== '' && /^[\x21-\x7e][\x20-\x7e]*$/.test(v);
        if (printable(contentType)) headers['content-type'] = contentType;
        if (printable(xff)) headers['x-forwarded-for'] = xff;
        if (withKey) headers.authorization = `Bearer ${GM_KEY}`;
        const r = await raw(c.url(), `/api/hunts/${id}/players`, {
          method: 'POST',
          headers,
          body: typeof b === 'string' ? b : JSON.stringify(b),
        });
        if (r.status === 201) {
          expect(r.json).toMatchObject({ player: expect.any(String), token: expect.any(String) });
          return;
        }
        expect(r.status).toBeLessThan(500);
        const code = codeOf(r);
        expect(code && code in ERRORS, r.text).toBe(true);
        expect(ERRORS[code as keyof typeof ERRORS].status).toBe(r.status);
      }),
      { numRuns: 300 },
    );
    expect((await raw(c.url(), '/healthz')).status).toBe(200);
    expect((await joinAs(c.url(), id, { name: 'after the fuzz', passcode: 'pw' })).status).toBe(201);
  });
});
