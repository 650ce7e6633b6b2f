/**
 * Hunt state in Redis. The store creates hunts, moves them through their lifecycle and stores
 * their puzzles; its parts read and change the rest: `players`, `board` (what players see) and
 * `views` (what game masters see). Every write that touches scores or status goes through a
 * Lua script of ./scripts.ts.
 */
import type { RedisClient } from '../redis/index.js';
import type { Logger } from 'pino';
import { HuntError, type HuntPuzzle, type HuntStatus } from '../protocol/index.js';
import type { GeneratedPuzzle, GenerationSlot } from '../puzzles/index.js';
import { HuntPuzzles, planPuzzles } from './hunt-puzzles.js';
import { HuntSubmissions } from './hunt-submissions.js';
import { DeltaTicker } from './delta-ticker.js';
import { HuntBoard } from './hunt-board.js';
import { HuntField } from './hunt-field.js';
import { HuntMessages } from './hunt-messages.js';
import { HuntTeams } from './hunt-teams.js';
import { HuntPlayers } from './hunt-players.js';
import { HuntViews } from './hunt-views.js';
import { Keys, type HuntKeys } from './keys.js';
import { TRANSITIONS, type LifecycleAction } from './lifecycle.js';
import type { ScriptParams } from './params.js';
import { newId } from './records.js';
import { execReplies, huntStatus } from './stored.js';
import { huntPage, timeMember, type HuntPage } from './hunt-list.js';
import { failGeneration, setSettings, storePuzzle, transition } from './scripts.js';

/** A hunt's settings as its meta holds them. */
export interface HuntSettings {
  /** the game-master account that created it; absent: the admin */
  owner?: string;
  /** players it takes (not counting removed ones); absent: DEFAULT_MAX_PLAYERS */
  maxPlayers?: number;
  /** what a join must carry; absent: none */
  passcode?: string;
  /** a team hunt: the most members a team may have; absent: a hunt of single players */
  teamMax?: number;
}

function settingFields(s: HuntSettings): Record<string, string | number> {
  const fields: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(s)) if (v !== undefined && v !== null) fields[k] = v;
  return fields;
}

export type { LifecycleAction } from './lifecycle.js';
export type { HuntView, PlayerRecord, StoredPuzzle, WelcomeState } from './records.js';
export { newId } from './records.js';

/** What a HuntStore is built from. */
export interface HuntStoreDeps {
  redis: RedisClient;
  prefix: string;
  /** scoring and fan-out parameters in force now */
  params: () => ScriptParams;
  log: Logger;
  /** told of every delta the store forms */
  onDelta?: () => void;
}

export class HuntStore {
  readonly keys: Keys;

  /** deltas of joins, departures and adjustments wait here for their tick */
  readonly ticker: DeltaTicker;
  readonly players: HuntPlayers;
  readonly board: HuntBoard;
  readonly views: HuntViews;
  /** game masters' messages and players' help requests */
  readonly messages: HuntMessages;
  /** where players are, and who is online */
  readonly field: HuntField;
  /** puzzles as written: added, replaced, removed, read back as a definition */
  readonly puzzles: HuntPuzzles;
  /** judged submissions and their review */
  readonly submissions: HuntSubmissions;
  /** a team hunt's teams */
  readonly teams: HuntTeams;

  private readonly redis: RedisClient;

  constructor(deps: HuntStoreDeps) {
    this.redis = deps.redis;
    const { redis, prefix, params, log, onDelta } = deps;
    this.keys = new Keys(prefix);
    this.ticker = new DeltaTicker(redis, this.keys, params, log, onDelta);
    const part = { redis, keys: this.keys, params, ticker: this.ticker };
    this.players = new HuntPlayers(part);
    this.board = new HuntBoard(redis, this.keys, params);
    this.views = new HuntViews(redis, this.keys);
    this.messages = new HuntMessages(redis, this.keys);
    this.field = new HuntField(redis, this.keys);
    this.puzzles = new HuntPuzzles(redis, this.keys);
    this.submissions = new HuntSubmissions(part);
    this.teams = new HuntTeams(redis, this.keys);
  }

  /** Sends the deltas still waiting for their tick. */
  close(): Promise<void> {
    return this.ticker.close();
  }

  private k(id: string): HuntKeys {
    return this.keys.hunt(id);
  }

  /**
   * Creates a hunt in `generating`: authored puzzles are stored at once (a hunt of authored
   * puzzles only is `ready` straight away); returns its id and the generated puzzles to make.
   * `settings` go to its meta as they are (`owner`, `maxPlayers`, `passcode`, ...).
   */
  async create(
    name: string,
    puzzles: readonly HuntPuzzle[],
    seed: string,
    settings: HuntSettings = {},
  ): Promise<{ id: string; slots: GenerationSlot[] }> {
    const id = newId();
    const k = this.k(id);
    const plan = planPuzzles(puzzles, seed);
    // two commands, not a MULTI: the hunt's keys and the index live in different cluster slots;
    // the index comes second, so a listed hunt always exists
    const createdAt = Date.now();
    await this.redis.hset(k.meta, {
      ...settingFields(settings),
      name,
      status: 'generating',
      seq: 0,
      createdAt,
      genDone: 0,
      genTotal: puzzles.length,
      seed,
      // a new hunt keeps the set of owners with progress from its start, so welcomes may trust it
      progressSet: 1,
    });
    await this.redis.sadd(this.keys.huntIndex, id);
    await this.redis.zadd(this.keys.huntsByTime, 0, timeMember(createdAt, id));
    await this.puzzles.plant(id, plan);
    return { id, slots: plan.slots };
  }

  /** The seed the hunt was created with, or null. */
  async seed(id: string): Promise<string | null> {
    return this.redis.hget(this.k(id).meta, 'seed');
  }

  /** One page of hunts, newest first (see hunt-list.ts); `only`: the hunts the caller may see. */
  page(opts: { cursor?: string | undefined; limit: number; only?: readonly string[] | undefined }): Promise<HuntPage> {
    return huntPage(this.redis, this.keys, opts);
  }

  /** Changes a hunt's settings: a field given as null is cleared, one left out is kept. */
  async updateSettings(id: string, settings: { [K in keyof HuntSettings]?: HuntSettings[K] | null }): Promise<void> {
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(settings)) if (v !== undefined) fields[k] = v === null ? '' : String(v);
    if (Object.keys(fields).length) await setSettings(this.redis, this.keys, id, fields);
  }

  /**
   * Whether a hunt may become (or stop being) a team hunt: only before its first player joins.
   * Changing the size of a team hunt's teams is always allowed.
   */
  async teamsSettable(id: string, maxSize: number | null): Promise<void> {
    const k = this.k(id);
    const [teamMax, players] = execReplies(
      await this.redis.multi().hget(k.meta, 'teamMax').hlen(k.players).exec(),
      `reading the team size of hunt ${id}`,
    );
    if (players === 0 || (teamMax !== null && maxSize !== null)) return;
    throw new HuntError(
      'HUNT_INVALID_TRANSITION',
      'a hunt becomes a team hunt, or stops being one, only before its first player joins',
      { players },
    );
  }

  /** A hunt's passcode, null when it has none; HUNT_NOT_FOUND when there is no such hunt. */
  async passcode(id: string): Promise<string | null> {
    const [status, passcode] = await this.redis.hmget(this.k(id).meta, 'status', 'passcode');
    if (!status) throw new HuntError('HUNT_NOT_FOUND');
    return passcode || null;
  }

  async status(id: string): Promise<HuntStatus> {
    const status = huntStatus(await this.redis.hget(this.k(id).meta, 'status'));
    if (!status) throw new HuntError('HUNT_NOT_FOUND');
    return status;
  }

  async transition(id: string, action: LifecycleAction): Promise<HuntStatus> {
    const rule = TRANSITIONS[action];
    const { ok, status } = await transition(this.redis, this.keys, id, rule.to, rule.from, Date.now());
    if (ok) return rule.to;
    if (status === '') throw new HuntError('HUNT_NOT_FOUND');
    throw new HuntError('HUNT_INVALID_TRANSITION', `cannot ${action} a hunt that is ${status}`, { status });
  }

  async storePuzzle(huntId: string, generated: GeneratedPuzzle): Promise<number> {
    const where = generated.puzzle.location;
    return storePuzzle(this.redis, this.keys, huntId, {
      id: generated.puzzle.id,
      public: JSON.stringify(generated.puzzle),
      solution: JSON.stringify({ answer: generated.answer, solution: generated.solution }),
      hints: JSON.stringify(generated.hints),
      location: where ? `${where.lat},${where.lng},${where.radius}` : '',
      checkin: '',
    });
  }

  async failGeneration(huntId: string, reason: string): Promise<void> {
    await failGeneration(this.redis, this.keys, huntId, reason);
  }
}
