/**
 * REDIS_URL, read once: `redis://[user:pass@]host:port[/db]` (or `rediss://`) for one
 * redis-server, `redis+cluster://[user:pass@]host:port[,host:port...]` (or `rediss+cluster://`)
 * for the seed nodes of a Redis Cluster.
 */
export interface RedisTarget {
  cluster: boolean;
  tls: boolean;
  /** for one server: exactly one; for a cluster: the seed nodes */
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
  /** always 0 on a cluster */
  db: number;
}

const SCHEME = /^(rediss?)(\+cluster)?:\/\/(.*)$/;

function hostPort(text: string, url: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:/]+)(?::(\d{1,5}))?$/.exec(text);
  if (!m)
    throw new Error(`REDIS_URL ${JSON.stringify(redact(url))}: cannot read host and port from ${JSON.stringify(text)}`);
  const port = Number(m[2] ?? 6379);
  if (port < 1 || port > 65535)
    throw new Error(`REDIS_URL ${JSON.stringify(redact(url))}: port ${port} is out of range`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

/** The URL with any password blanked, fit for logs and errors. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:@/]*:)[^@/]*@/, '$1***@');
}

export function parseRedisUrl(url: string): RedisTarget {
  const m = SCHEME.exec(url.trim());
  if (!m)
    throw new Error(
      `REDIS_URL ${JSON.stringify(redact(url))} must start with redis://, rediss://, redis+cluster:// or rediss+cluster://`,
    );
  const cluster = m[2] !== undefined;
  let rest = m[3]!;
  let username: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const auth = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = auth.indexOf(':');
    const user = decodeURIComponent(colon >= 0 ? auth.slice(0, colon) : auth);
    if (colon >= 0) password = decodeURIComponent(auth.slice(colon + 1));
    if (user) username = user;
  }
  const slash = rest.indexOf('/');
  const hosts = slash >= 0 ? rest.slice(0, slash) : rest;
  const path = slash >= 0 ? rest.slice(slash + 1).replace(/\?.*$/, '') : '';
  const db = path === '' ? 0 : Number(path);
  if (!Number.isInteger(db) || db < 0)
    throw new Error(`REDIS_URL ${JSON.stringify(redact(url))}: database ${JSON.stringify(path)} is not a number`);
  if (cluster && db !== 0)
    throw new Error(`REDIS_URL ${JSON.stringify(redact(url))}: a Redis Cluster has only database 0`);
  const nodes = hosts
    .split(',')
    .filter((h) => h !== '')
    .map((h) => hostPort(h, url));
  if (nodes.length === 0) throw new Error(`REDIS_URL ${JSON.stringify(redact(url))} names no host`);
  if (!cluster && nodes.length > 1)
    throw new Error(`REDIS_URL ${JSON.stringify(redact(url))}: several hosts need redis+cluster://`);
  return {
    cluster,
    tls: m[1] === 'rediss',
    nodes,
    db,
    ...(username ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
  };
}
