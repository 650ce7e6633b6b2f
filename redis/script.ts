/**
 * Lua scripts kept in `.lua` files beside the code that uses them, registered once per
 * connection with ioredis `defineCommand` (EVALSHA, falling back to EVAL on NOSCRIPT).
 *
 * A file may pull in shared Lua with a line `--@include <name>` (a file of its own folder's
 * `includes/`, inlined once), and name the keys it takes with `--@keys a b c`: the loader
 * prepends `local K = { a = KEYS[1], ... }`, and callers pass the keys in that order. An
 * include declares the keys it uses with `--@uses a b` (`--@uses -` for none); at load, its
 * includer must take every key its includes declare or use, so no script reaches a key
 * through an include without naming it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster, Redis } from 'ioredis';

export type RedisClient = Redis | Cluster;

type Command = (...args: (string | number)[]) => Promise<unknown>;

/** The method `defineCommand` added to `redis` under `command`, bound to it; undefined when there is none yet. */
function commandOf(redis: RedisClient, command: string): Command | undefined {
  const fn: unknown = Reflect.get(redis, command);
  return typeof fn === 'function' ? (...args) => Reflect.apply(fn, redis, args) : undefined;
}

export interface LoadedScript {
  readonly name: string;
  /** the whole source sent to Redis, includes inlined */
  readonly source: string;
  /** the key names of `--@keys`, in KEYS order */
  readonly keys: readonly string[];
  run(redis: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown>;
}

/** Every script loaded so far, so a new connection can have them all defined before its first command. */
const loaded: { command: string; source: string; numberOfKeys: number }[] = [];

/**
 * Defines every loaded script on a connection. Call it right after creating a connection
 * that auto-pipelines: defining a command while an auto-pipeline is open misaligns replies
 * (ioredis #1931).
 */
export function defineScripts(redis: RedisClient): void {
  for (const { command, source, numberOfKeys } of loaded) {
    if (!commandOf(redis, command)) redis.defineCommand(command, { lua: source, numberOfKeys });
  }
}

const INCLUDE = /^--@include\s+([\w-]+)\s*$/gm;
const KEYS_LINE = /^--@keys\s+(.+)$/m;
const USES_LINE = /^--@uses\s+(.+)$/m;
const KEY_USE = /\bK\.(\w+)/g;

/**
 * The keys one include uses: those its `--@uses` line declares and any its own text reaches
 * (test/lua/script-loader.test.ts holds every include of the tree to declaring exactly these).
 */
function includeUses(text: string): string[] {
  const used = [...text.replace(INCLUDE, '').matchAll(KEY_USE)].map((m) => m[1]!);
  const line = USES_LINE.exec(text)?.[1]?.trim();
  const declared = line === undefined || line === '-' ? [] : line.split(/\s+/);
  return [...new Set([...declared, ...used])];
}

/** The keys an include's `--@uses` line declares and the keys its own text uses, for the tests. */
export function includeKeys(text: string): { declared: string[] | null; used: string[] } {
  const line = USES_LINE.exec(text)?.[1]?.trim();
  return {
    declared: line === undefined ? null : line === '-' ? [] : line.split(/\s+/),
    used: [...new Set([...text.replace(INCLUDE, '').matchAll(KEY_USE)].map((m) => m[1]!))],
  };
}

/** A file with its includes inlined (each once); `uses` collects the keys the includes declare, by include. */
function inline(file: string, includes: string, seen: Set<string>, uses: Map<string, string[]>): string {
  return readFileSync(file, 'utf8').replace(INCLUDE, (_line, name: string) => {
    const path = join(includes, `${name}.lua`);
    if (seen.has(path)) return '';
    seen.add(path);
    const text = inline(path, includes, seen, uses);
    uses.set(name, includeUses(readFileSync(path, 'utf8')));
    return text;
  });
}

/** Loads `<folder>/<name>.lua` (a file URL's folder) at start-up, so a missing file fails at once. */
export function loadScript(folder: URL, name: string): LoadedScript {
  const file = join(folder.pathname, `${name}.lua`);
  const uses = new Map<string, string[]>();
  const body = inline(file, join(folder.pathname, 'includes'), new Set(), uses);
  const keys = KEYS_LINE.exec(body)?.[1]?.trim().split(/\s+/) ?? [];
  for (const [include, declared] of uses) {
    const missing = declared.filter((k) => !keys.includes(k));
    if (missing.length)
      throw new Error(
        `script ${name} includes ${include}, which uses keys the script's --@keys line does not name: ${missing.join(', ')}`,
      );
  }
  const prologue = keys.length ? `local K = { ${keys.map((k, i) => `${k} = KEYS[${i + 1}]`).join(', ')} }\n` : '';
  const source = prologue + body;
  const command = `hunt_${name.replace(/-/g, '_')}`;
  loaded.push({ command, source, numberOfKeys: keys.length });
  return {
    name,
    source,
    keys,
    run(redis, keyValues, args) {
      let fn = commandOf(redis, command);
      if (!fn) {
        if (redis.options.enableAutoPipelining)
          throw new Error(
            `script ${name} is not defined on this auto-pipelining connection: call defineScripts() when creating it`,
          );
        redis.defineCommand(command, { lua: source, numberOfKeys: keys.length });
        fn = commandOf(redis, command);
      }
      if (!fn) throw new Error(`script ${name} could not be defined`);
      if (keyValues.length !== keys.length)
        throw new Error(`script ${name} takes ${keys.length} keys, not ${keyValues.length}`);
      // defineCommand adds the method at run time; with a fixed key count its shape is (...keys, ...args),
      // and a cluster client routes (and auto-pipelines) it by its first key
      return fn(...keyValues, ...args);
    },
  };
}

/** An error Redis replied with (a script or command it refused on its input), as opposed to a lost connection or a timeout. */
export function isReplyError(err: unknown): err is Error {
  return err instanceof Error && err.name === 'ReplyError';
}
