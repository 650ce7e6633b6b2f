/**
 * The hunt's Lua scripts (`lua/*.lua`), loaded once: each hunt script's keys are checked against
 * the one key table (`keys.ts`) at load. The typed wrappers around them are in scripts.ts and the
 * files it gathers (move-scripts.ts, join-scripts.ts, welcome-scripts.ts).
 */
import { loadScript, type LoadedScript, type RedisClient } from '../redis/index.js';
import { Keys, type HuntKeys } from './keys.js';

export const LUA = new URL('./lua/', import.meta.url);

const HUNT_KEY_NAMES = new Keys('check').hunt('check');
const isHuntKey = (name: string): name is keyof HuntKeys => Object.hasOwn(HUNT_KEY_NAMES, name);

/** A hunt script: its `--@keys` must all be hunt keys, checked once at load. */
class HuntScript {
  private readonly script: LoadedScript;
  private readonly huntKeys: readonly (keyof HuntKeys)[];
  constructor(name: string) {
    this.script = loadScript(LUA, name);
    const unknown = this.script.keys.filter((k) => !isHuntKey(k));
    if (unknown.length) throw new Error(`script ${name} names unknown hunt keys: ${unknown.join(', ')}`);
    this.huntKeys = this.script.keys.filter(isHuntKey);
  }
  get name(): string {
    return this.script.name;
  }
  get keyNames(): readonly string[] {
    return this.script.keys;
  }
  get source(): string {
    return this.script.source;
  }
  run(redis: RedisClient, k: HuntKeys, args: readonly (string | number)[]): Promise<unknown> {
    const keys = this.huntKeys.map((name) => k[name]);
    return this.script.run(redis, keys, args);
  }
}

export const SCRIPTS = {
  applyMoves: new HuntScript('apply-moves'),
  flushMoves: new HuntScript('flush-moves'),
  applyAnswers: new HuntScript('apply-answers'),
  flushDelta: new HuntScript('flush-delta'),
  joinPlayer: new HuntScript('join-player'),
  adjustScore: new HuntScript('adjust-score'),
  removePlayer: new HuntScript('remove-player'),
  transition: new HuntScript('transition'),
  storePuzzle: new HuntScript('store-puzzle'),
  failGeneration: new HuntScript('fail-generation'),
  welcome: new HuntScript('welcome'),
  setSettings: new HuntScript('set-settings'),
  sendMessage: new HuntScript('send-message'),
  markOnline: new HuntScript('mark-online'),
  editPuzzle: new HuntScript('edit-puzzle'),
  openPuzzle: new HuntScript('open-puzzle'),
  submitJudged: new HuntScript('submit-judged'),
  review: new HuntScript('review'),
  deltasAfter: new HuntScript('deltas-after'),
  playerSockets: new HuntScript('player-sockets'),
} as const;

export const leaseScripts = { renew: loadScript(LUA, 'renew-lease'), release: loadScript(LUA, 'release-lease') };
export const streamScripts = { backlog: loadScript(LUA, 'stream-backlog'), group: loadScript(LUA, 'stream-group') };

/** A reply that must be an array of `n` integers. */
export function integers(name: string, reply: unknown, n: number): number[] {
  if (
    !Array.isArray(reply) ||
    reply.length !== n ||
    !reply.every((v): v is number => typeof v === 'number' && Number.isInteger(v))
  ) {
    throw new Error(`script ${name} replied ${JSON.stringify(reply)}, not ${n} integers`);
  }
  return reply;
}

export function integer(name: string, reply: unknown): number {
  if (typeof reply !== 'number' || !Number.isInteger(reply))
    throw new Error(`script ${name} replied ${JSON.stringify(reply)}, not an integer`);
  return reply;
}

/** A reply part that must be a list of strings. */
export const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
