/**
 * Accounts as an attacker tries them: two game masters who cannot see each other's hunts (404,
 * never 403, and lists scoped), configs the admin's alone, keys kept only as hashes, a deleted
 * account's key refused on every node, and no body read before the key is checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HuntHttpClient, HttpError } from '../client/index.js';
import { ACCOUNT_CACHE_MS } from '../server/accounts.js';
import { codeOf, raw } from './abuse-http.js';
import { startCluster, type Cluster } from './helpers.js';

describe('game-master accounts', () => {
  let c: Cluster;
  let admin: HuntHttpClient;
  const account = async (
    name: string,
    node = 0,
  ): Promise<{ id: string; key: string; client: (n?: number) => HuntHttpClient }> => {
    const made = await admin.request<{ id: string; name: string; key: string }>('POST', '/api/gms', { name });
    expect(made.name).toBe(name);
    return { id: made.id, key: made.key, client: (n = node) => new HuntHttpClient(c.url(n), made.key) };
  };
  const status = (p: Promise<unknown>): Promise<{ status: number; code: string }> =>
    p.then(
      () => ({ status: 200, code: 'OK' }),
      (err: unknown) => (err instanceof HttpError ? { status: err.status, code: err.code } : Promise.reject(err)),
    );
  const cipher = { name: 'mine', puzzles: [{ type: 'cipher' as const, difficulty: 'easy' as const }], seed: 's' };

  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker'], ['front']]);
    admin = c.gm();
  });
  afterAll(() => c?.close());

  it("keeps two game masters out of each other's hunts: 404 as for a hunt that does not exist, lists scoped", async () => {
    const ann = await account('ann');
    const bob = await account('bob');
    const a = await ann.client().createHunt({ ...cipher, name: 'ann hunt' });
    const b = await bob.client().createHunt({ ...cipher, name: 'bob hunt' });
    await ann.client().waitReady(a.id);
    await bob.client().waitReady(b.id);

    expect((await ann.client().hunts()).hunts.map((h) => h.id)).toEqual([a.id]);
    expect((await bob.client(1).hunts()).hunts.map((h) => h.id)).toEqual([b.id]);
    // the admin sees both (and the hunts other tests of this file made)
    expect((await admin.hunts()).hunts.map((h) => h.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect((await ann.client().hunt(a.id)).owner).toBe(ann.id);

    // every route of bob's hunt answers ann exactly as a hunt that does not exist
    const missing = await raw(c.url(), '/api/hunts/nosuchhunt', { headers: { authorization: `Bearer ${ann.key}` } });
    const routes: [string, string, unknown?][] = [
      ['GET', `/api/hunts/${b.id}`],
      ['PATCH', `/api/hunts/${b.id}`, { maxPlayers: 5 }],
      ['GET', `/api/hunts/${b.id}/answers`],
      ['GET', `/api/hunts/${b.id}/export`],
      ['POST', `/api/hunts/${b.id}/launch`],
      ['POST', `/api/hunts/${b.id}/end`],
      ['POST', `/api/hunts/${b.id}/gms`, { gm: ann.id }],
      ['DELETE', `/api/hunts/${b.id}/players/x`],
      ['POST', `/api/hunts/${b.id}/players/x/adjust`, { points: 5, reason: 'r' }],
    ];
    for (const [method, path, body] of routes) {
      const r = await raw(c.url(1), path, {
        method,
        headers: { authorization: `Bearer ${ann.key}`, 'content-type': 'application/json' },
        body,
      });
      expect({ path: `${method} ${path}`, status: r.status, json: r.json }).toEqual({
        path: `${method} ${path}`,
        status: 404,
        json: missing.json,
      });
    }
    expect((await bob.client().hunt(b.id)).status).toBe('ready'); // nothing of it changed
  });

  it('lets the owner share a hunt with a co-GM, who runs it but may not share it on', async () => {
    const owner = await account('owner');
    const co = await account('co');
    const other = await account('other');
    const h = await owner.client().createHunt(cipher);
    await owner.client().waitReady(h.id);
    expect(await status(co.client().hunt(h.id))).toEqual({ status: 404, code: 'HUNT_NOT_FOUND' });
    expect(await status(owner.client().request('POST', `/api/hunts/${h.id}/gms`, { gm: 'nosuchgm' }))).toEqual({
      status: 404,
      code: 'GM_NOT_FOUND',
    });
    await owner.client().request('POST', `/api/hunts/${h.id}/gms`, { gm: co.id });
    expect((await co.client(1).hunts()).hunts.map((x) => x.id)).toEqual([h.id]);
    expect(await co.client().lifecycle(h.id, 'launch')).toMatchObject({ status: 'live' });
    expect(await status(co.client().request('POST', `/api/hunts/${h.id}/gms`, { gm: other.id }))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(await status(other.client().hunt(h.id))).toEqual({ status: 404, code: 'HUNT_NOT_FOUND' });
    // the admin may share any hunt
    await admin.request('POST', `/api/hunts/${h.id}/gms`, { gm: other.id });
    expect((await other.client().hunt(h.id)).id).toBe(h.id);
  });

  it('keeps configs and accounts for the admin: 403 for a GM key, templates readable', async () => {
    const gm = await account('configs');
    const g = gm.client();
    expect(await status(g.request('GET', '/api/configs/limits'))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await status(g.request('PUT', '/api/configs/limits', { value: {}, expectedVersion: 1 }))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(
      await status(
        g.request('PUT', '/api/configs/template:mine', {
          value: { puzzles: [{ type: 'cipher', difficulty: 'easy' }] },
          expectedVersion: 0,
        }),
      ),
    ).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await status(g.request('POST', '/api/configs/limits/rollback', { version: 1 }))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(await status(g.request('GET', '/api/configs/routing/history'))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await g.request('GET', '/api/configs/template:starter')).toMatchObject({ name: 'template:starter' });
    const list = await g.request<{ configs: { name: string }[] }>('GET', '/api/configs');
    const names = list.configs.map((x) => x.name);
    expect(names).toContain('template:starter');
    expect(names.filter((n) => !n.startsWith('template:'))).toEqual([]);
    for (const [method, path] of [
      ['GET', '/api/gms'],
      ['POST', '/api/gms'],
      ['DELETE', `/api/gms/${gm.id}`],
    ] as const) {
      expect(await status(g.request(method, path, method === 'POST' ? { name: 'x' } : undefined))).toEqual({
        status: 403,
        code: 'FORBIDDEN',
      });
    }
  });

  it('shows a key once and keeps only its hash', async () => {
    const gm = await account('hashed');
    const listed = await admin.request<{ gms: Record<string, unknown>[] }>('GET', '/api/gms');
    const row = listed.gms.find((x) => x.id === gm.id);
    expect(row).toEqual({ id: gm.id, name: 'hashed', createdAt: expect.any(String) });
    expect(JSON.stringify(listed)).not.toContain(gm.key);
    const stored = await c.redis.hget(`${c.prefix}:{gm}:accounts`, gm.id);
    expect(stored).toBeTruthy();
    expect(stored).not.toContain(gm.key.slice(-43));
    // a key with one character changed is refused
    const wrong = gm.key.slice(0, -1) + (gm.key.endsWith('A') ? 'B' : 'A');
    expect(await status(new HuntHttpClient(c.url(), wrong).hunts())).toEqual({ status: 401, code: 'UNAUTHORIZED' });
  });

  it("stops a deleted account's key at once on its node and within the cache time on every other", async () => {
    const gm = await account('leaving');
    const h = await gm.client().createHunt(cipher);
    expect((await gm.client(1).hunts()).hunts).toHaveLength(1); // node 1 has the account cached now
    // a live stream the account opened on node 1 before its deletion
    const live = await fetch(`${c.url(1)}/api/hunts/${h.id}/live`, { headers: { authorization: `Bearer ${gm.key}` } });
    expect(live.status).toBe(200);
    const reader = live.body!.getReader();
    let heard = '';
    while (!heard.includes('event: ready')) heard += new TextDecoder().decode((await reader.read()).value);
    await admin.request('DELETE', `/api/gms/${gm.id}`);
    expect(await status(gm.client(0).hunts())).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    await new Promise((r) => setTimeout(r, ACCOUNT_CACHE_MS));
    expect(await status(gm.client(1).hunts())).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    expect(await status(gm.client(1).hunt(h.id))).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    expect(await status(admin.request('DELETE', `/api/gms/${gm.id}`))).toEqual({ status: 404, code: 'GM_NOT_FOUND' });
    // the stream ends too (within the stream's recheck and the cache time)
    const ended = (async (): Promise<boolean> => {
      for (;;) if ((await reader.read()).done) return true;
    })();
    expect(await Promise.race([ended, new Promise((r) => setTimeout(() => r(false), 5000))])).toBe(true);
    // its hunt stays, the admin's to run
    expect((await admin.hunt(h.id)).owner).toBe(gm.id);
  });

  it('checks the key before it reads a body', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-a-key' }] as Record<string, string>[]) {
      const r = await raw(c.url(), '/api/hunts', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{"name": not json',
      });
      expect([r.status, codeOf(r)]).toEqual([401, 'UNAUTHORIZED']);
    }
    const gm = await account('body');
    const r = await raw(c.url(), '/api/gms', {
      method: 'POST',
      headers: { authorization: `Bearer ${gm.key}` },
      body: '{broken',
    });
    expect([r.status, codeOf(r)]).toEqual([403, 'FORBIDDEN']);
  });
});
