/**
 * `hunt config list | get <name> | set <name> <file> | history <name> | rollback <name> <version>`:
 * the named-config endpoints from a terminal. Talks to a running node over HTTP with the admin key;
 * `--force` writes a value the guard rails would refuse (one that would stop play).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HttpError, HuntHttpClient } from '../client/index.js';

const USAGE = `usage: hunt config <list | get <name> | set <name> <file.json> [--expect <version>] [--force] | history <name> | rollback <name> <version> [--force]>
  [--url http://localhost:8080] [--key <gm key>]   (defaults: $HUNT_URL or port $PORT, $HUNT_GM_KEY or .data/gm-key)`;

export async function configCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      key: { type: 'string' },
      expect: { type: 'string' },
      force: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  const [action, name, arg] = positionals;
  const url = values.url ?? process.env.HUNT_URL ?? `http://localhost:${process.env.PORT ?? 8080}`;
  const keyFile = join(process.env.HUNT_DATA_DIR ?? '.data', 'gm-key');
  const key =
    values.key ?? process.env.HUNT_GM_KEY ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined);
  if (!key) {
    process.stderr.write(`hunt config: no game master key; pass --key or set HUNT_GM_KEY\n`);
    return 1;
  }
  const api = new HuntHttpClient(url, key);
  const print = (v: unknown): void => void process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
  const path = (n: string): string => `/api/configs/${encodeURIComponent(n)}`;
  try {
    switch (action) {
      case 'list': {
        const body = await api.request<{
          configs: { name: string; version: number; applied: Record<string, number | null> }[];
        }>('GET', '/api/configs');
        for (const c of body.configs) {
          const nodes = Object.entries(c.applied)
            .map(([node, v]) => `${node}=${v ?? '-'}`)
            .join(' ');
          process.stdout.write(`${c.name.padEnd(24)} v${c.version}   applied: ${nodes || '(no live nodes)'}\n`);
        }
        return 0;
      }
      case 'get':
        if (!name) break;
        print(await api.request('GET', path(name)));
        return 0;
      case 'history':
        if (!name) break;
        print(await api.request('GET', `${path(name)}/history`));
        return 0;
      case 'set': {
        if (!name || !arg) break;
        const value: unknown = JSON.parse(readFileSync(arg, 'utf8'));
        let expectedVersion = values.expect === undefined ? undefined : Number(values.expect);
        if (expectedVersion === undefined) {
          try {
            expectedVersion = (await api.request<{ version: number }>('GET', path(name))).version;
          } catch (err) {
            if (!(err instanceof HttpError && err.status === 404)) throw err;
            expectedVersion = 0;
          }
        }
        print(
          await api.request('PUT', path(name), { value, expectedVersion, ...(values.force ? { force: true } : {}) }),
        );
        return 0;
      }
      case 'rollback':
        if (!name || !arg) break;
        print(
          await api.request('POST', `${path(name)}/rollback`, {
            version: Number(arg),
            ...(values.force ? { force: true } : {}),
          }),
        );
        return 0;
    }
  } catch (err) {
    if (err instanceof HttpError) {
      process.stderr.write(
        `hunt config: ${err.message}\n${err.details === undefined ? '' : `${JSON.stringify(err.details, null, 2)}\n`}`,
      );
      return 1;
    }
    process.stderr.write(
      `hunt config: ${err instanceof Error ? err.message : String(err)} (is a node running at ${url}?)\n`,
    );
    return 1;
  }
  process.stderr.write(`${USAGE}\n`);
  return 1;
}
