/**
 * Named configs in Redis: the current value with a version that only rises, who changed it
 * and when, and a capped history. A write names the version it expects and is a
 * compare-and-set in one Lua script, so of concurrent writers with the same expectation
 * exactly one wins. Every key sits in the `{cfg}` hash slot.
 */
import type { RedisClient } from '../redis/index.js';
import { loadScript } from '../redis/index.js';
import { playStoppers, type DeploymentFacts } from './guard-rails.js';
import { z } from 'zod';
import { isRecord } from '../protocol/index.js';
import { schemaFor } from './schemas.js';

/** One entry of a config's history list, as `cas-write.lua` pushes it. */
const historyEntry = z.object({ version: z.number(), value: z.string(), updatedAt: z.string(), updatedBy: z.string() });

/** JSON text to a value; null when it is not JSON. */
function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export interface ConfigRecord {
  name: string;
  version: number;
  value: unknown;
  updatedAt: string;
  updatedBy: string;
}

export class ConfigConflictError extends Error {
  constructor(
    readonly configName: string,
    readonly expected: number,
    readonly current: number,
  ) {
    super(`config ${configName} is at version ${current}, not ${expected}`);
    this.name = 'ConfigConflictError';
  }
}

export class ConfigInvalidError extends Error {
  constructor(
    readonly configName: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`config ${configName} is invalid: ${issues.map((i) => `${i.path || '(value)'}: ${i.message}`).join('; ')}`);
    this.name = 'ConfigInvalidError';
  }
}

export const HISTORY_CAP = 50;

/** Compare-and-set of one named config (./lua/cas-write.lua). */
const casWrite = loadScript(new URL('./lua/', import.meta.url), 'cas-write');

export class ConfigKeys {
  constructor(readonly prefix: string) {}
  current(name: string): string {
    return `${this.prefix}:{cfg}:current:${name}`;
  }
  history(name: string): string {
    return `${this.prefix}:{cfg}:history:${name}`;
  }
  get names(): string {
    return `${this.prefix}:{cfg}:names`;
  }
  /** pub/sub: "<name> <version>" on every write */
  get channel(): string {
    return `${this.prefix}:ch:config`;
  }
  /** sorted set: node id -> last report (ms) */
  get nodes(): string {
    return `${this.prefix}:{cfg}:nodes`;
  }
  /** hash per node: config name -> version applied, plus `roles` */
  node(id: string): string {
    return `${this.prefix}:{cfg}:node:${id}`;
  }
}

export class ConfigStore {
  readonly keys: ConfigKeys;
  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = new ConfigKeys(prefix);
  }

  /** Checks a value against its name's schema; throws ConfigInvalidError. */
  validate(name: string, value: unknown): unknown {
    const schema = schemaFor(name);
    if (!schema)
      throw new ConfigInvalidError(name, [
        {
          path: '',
          message: `unknown config name ${JSON.stringify(name)}; names are routing, limits, scoring, fanout and template:<name>`,
        },
      ]);
    const parsed = schema.safeParse(value);
    if (!parsed.success)
      throw new ConfigInvalidError(
        name,
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    return parsed.data;
  }

  /**
   * Compare-and-set: writes version expected+1, or throws ConfigConflictError / ConfigInvalidError.
   * With `facts`, a value that would stop play (guard-rails.ts) is refused too; without, it is
   * written as given (a forced write, or the shipped defaults).
   */
  async write(
    name: string,
    value: unknown,
    expectedVersion: number,
    by: string,
    facts?: DeploymentFacts,
  ): Promise<number> {
    const clean = this.validate(name, value);
    const stoppers = facts ? playStoppers(name, clean, facts) : [];
    if (stoppers.length)
      throw new ConfigInvalidError(
        name,
        stoppers.map((s) => ({ path: s.path, message: `${s.message}; send "force": true to write it anyway` })),
      );
    const reply = await casWrite.run(
      this.redis,
      [this.keys.current(name), this.keys.history(name), this.keys.names],
      [name, expectedVersion, JSON.stringify(clean), new Date().toISOString(), by, HISTORY_CAP, this.keys.channel],
    );
    if (!Array.isArray(reply) || (reply[0] !== 'OK' && reply[0] !== 'CONFLICT') || typeof reply[1] !== 'number')
      throw new Error(`script cas-write replied ${JSON.stringify(reply)}`);
    const version: number = reply[1];
    if (reply[0] !== 'OK') throw new ConfigConflictError(name, expectedVersion, version);
    return Number(version);
  }

  async get(name: string): Promise<ConfigRecord | null> {
    const h = await this.redis.hgetall(this.keys.current(name));
    if (!h.version) return null;
    const value: unknown = JSON.parse(h.value ?? 'null');
    return { name, version: Number(h.version), value, updatedAt: h.updatedAt ?? '', updatedBy: h.updatedBy ?? '' };
  }

  /** The raw stored value and version, without parsing (for hot reload, which validates itself). */
  async raw(name: string): Promise<{ version: number; value: string } | null> {
    const [version, value] = await this.redis.hmget(this.keys.current(name), 'version', 'value');
    return version && typeof value === 'string' ? { version: Number(version), value } : null;
  }

  async names(): Promise<string[]> {
    return (await this.redis.smembers(this.keys.names)).sort();
  }

  async versions(names: readonly string[]): Promise<Map<string, number>> {
    const pipe = this.redis.pipeline();
    for (const n of names) pipe.hget(this.keys.current(n), 'version');
    const out = (await pipe.exec()) ?? [];
    return new Map(names.map((n, i) => [n, Number(out[i]?.[1] ?? 0)]));
  }

  async history(name: string): Promise<ConfigRecord[]> {
    const raw = await this.redis.lrange(this.keys.history(name), 0, -1);
    return raw.flatMap((r) => {
      // an unreadable entry is left out of the history rather than failing it
      const e = historyEntry.safeParse(parseOrNull(r));
      if (!e.success) return [];
      const value: unknown = parseOrNull(e.data.value);
      return [{ name, version: e.data.version, value, updatedAt: e.data.updatedAt, updatedBy: e.data.updatedBy }];
    });
  }

  /** Writes a new version whose value is that of an earlier one (`facts`: as in `write`). */
  async rollback(name: string, toVersion: number, by: string, facts?: DeploymentFacts): Promise<number> {
    const current = await this.get(name);
    if (!current) throw new ConfigInvalidError(name, [{ path: '', message: `config ${name} does not exist` }]);
    const source =
      current.version === toVersion ? current : (await this.history(name)).find((h) => h.version === toVersion);
    if (!source)
      throw new ConfigInvalidError(name, [
        { path: 'version', message: `version ${toVersion} of ${name} is not in its history` },
      ]);
    return this.write(name, source.value, current.version, by, facts);
  }

  /** Writes each default whose name has no value yet (version 0 expected; losing the race is fine). */
  async seed(defaults: Record<string, unknown>, by: string): Promise<void> {
    for (const [name, value] of Object.entries(defaults)) {
      try {
        await this.write(name, value, 0, by);
      } catch (err) {
        if (!(err instanceof ConfigConflictError)) throw err;
      }
    }
  }

  /** What each live node reports applying: node id -> { roles, versions }. */
  async nodeReports(staleMs: number): Promise<{ node: string; roles: string[]; versions: Record<string, number> }[]> {
    const ids = await this.redis.zrangebyscore(this.keys.nodes, Date.now() - staleMs, '+inf');
    const pipe = this.redis.pipeline();
    for (const id of ids) pipe.hgetall(this.keys.node(id));
    const out = (await pipe.exec()) ?? [];
    return ids.map((id, i) => {
      const read = out[i]?.[1];
      const h: Record<string, string> = {};
      if (isRecord(read)) for (const [k, v] of Object.entries(read)) if (typeof v === 'string') h[k] = v;
      const { roles, ...rest } = h;
      return {
        node: id,
        roles: roles ? roles.split(',') : [],
        versions: Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, Number(v)])),
      };
    });
  }
}
