/**
 * REDIS_URL: every form PROTOCOL.md names is read the same way each time, anything else is
 * refused with one line, and a URL that disagrees with the server about cluster mode stops
 * the node at start with a line that says which URL to use.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRedisUrl, redact } from '../redis/index.js';
import { createLogger, createNode } from '../server/index.js';
import { GM_KEY, redisUrl } from './helpers.js';

describe('REDIS_URL', () => {
  it('reads one server, a cluster of seeds, credentials, TLS and the database', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6380/2')).toEqual({
      cluster: false,
      tls: false,
      nodes: [{ host: '127.0.0.1', port: 6380 }],
      db: 2,
    });
    expect(parseRedisUrl('rediss://user:p%40ss@cache.example:7000')).toMatchObject({
      cluster: false,
      tls: true,
      username: 'user',
      password: 'p@ss',
      db: 0,
    });
    expect(parseRedisUrl('redis+cluster://a:7000,b:7001,[::1]:7002')).toMatchObject({
      cluster: true,
      nodes: [
        { host: 'a', port: 7000 },
        { host: 'b', port: 7001 },
        { host: '::1', port: 7002 },
      ],
    });
    expect(parseRedisUrl('rediss+cluster://:secret@a')).toMatchObject({
      cluster: true,
      tls: true,
      password: 'secret',
      nodes: [{ host: 'a', port: 6379 }],
    });
    for (const bad of [
      'http://a:1',
      'redis://',
      'redis://a:99999',
      'redis+cluster://a:1/3',
      'redis://a:1,b:2',
      'redis://a:1/x',
    ])
      expect(() => parseRedisUrl(bad), bad).toThrow(/REDIS_URL/);
  });

  it('never shows a password in what it reports', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z0-9]{6,20}$/), (secret) => {
        const url = `redis+cluster://u:${secret}@host:1,host:x`;
        let message = '';
        try {
          parseRedisUrl(url);
        } catch (err) {
          message = (err as Error).message;
        }
        expect(message).toMatch(/REDIS_URL/);
        expect(message).not.toContain(secret);
        expect(redact(`redis://u:${secret}@h:1`)).not.toContain(secret);
      }),
    );
  });

  it('stops a node whose URL disagrees with the server about cluster mode, saying which URL to use', async () => {
    const t = parseRedisUrl(redisUrl());
    const seed = `${t.nodes[0]!.host}:${t.nodes[0]!.port}`;
    // the password too (the embedded redis-server has one): the mode is what is wrong, not the credentials
    const auth = t.password === undefined ? '' : `:${encodeURIComponent(t.password)}@`;
    const wrong = t.cluster ? `redis://${auth}${seed}` : `redis+cluster://${auth}${seed}`;
    const expected = t.cluster
      ? /is a Redis Cluster node: use redis\+cluster:\/\//
      : /runs without cluster mode: use redis:\/\//;
    await expect(
      createNode({
        redisUrl: wrong,
        port: 0,
        host: '127.0.0.1',
        roles: ['front'],
        prefix: 'mismatch',
        gmKey: GM_KEY,
        logger: createLogger('silent'),
      }),
    ).rejects.toThrow(expected);
  });
});
