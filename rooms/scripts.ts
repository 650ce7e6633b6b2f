/**
 * Typed wrappers of the hunt's Lua scripts (`lua/*.lua`). Each script runs atomically in the
 * hunt's hash slot, so a score change, its idempotency record, the delta with the next `seq`
 * and the publish happen together or not at all. The keys a script takes are named in its
 * file and filled in from the one key table (`keys.ts`); every reply is checked, not cast.
 */
import { loadScript, type LoadedScript, type RedisClient } from '../redis/index.js';
import { HuntError, isStreamedType, TEAMS_MAX, type ErrorCode, type StreamedType } from '../protocol/index.js';
import type { StreamEvent } from './events.js';
import { Keys, type HuntKeys } from './keys.js';
import type { ScriptParams } from './params.js';
import { okInteger, okIntegers, okValues, readReply } from './script-replies.js';

const LUA = new URL('./lua/', import.meta.url);

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

const leaseScripts = { renew: loadScript(LUA, 'renew-lease'), release: loadScript(LUA, 'release-lease') };
const streamScripts = { backlog: loadScript(LUA, 'stream-backlog'), group: loadScript(LUA, 'stream-group') };

/** A reply that must be an array of `n` integers. */
function integers(name: string, reply: unknown, n: number): number[] {
  if (
    !Array.isArray(reply) ||
    reply.length !== n ||
    !reply.every((v): v is number => typeof v === 'number' && Number.isInteger(v))
  ) {
    throw new Error(`script ${name} replied ${JSON.stringify(reply)}, not ${n} integers`);
  }
  return reply;
}

function integer(name: string, reply: unknown): number {
  if (typeof reply !== 'number' || !Number.isInteger(reply))
    throw new Error(`script ${name} replied ${JSON.stringify(reply)}, not an integer`);
  return reply;
}

/** Stream items of one hunt in one lane: `sid` is `<epoch>-<entry id>`, `n` the accepting node. */
export interface ApplyItem {
  sid: string;
  n: string;
  ev: StreamEvent[];
}

/** When a moves script runs and the parameters in force (check-ins score as answers do). */
export interface MovesAt {
  now: number;
  /** ScriptParams as JSON */
  params: string;
  /** the fence lane of the partition the moves were read from (`moveLane`); default 'm' */
  lane?: string;
}

/** Most players one flush-moves call writes; a flush of more goes in several calls (parts). */
export const FLUSH_MAX_PLAYERS = 500;

const LANE = /^m(\.\d{1,3})?$/;
function laneOf(at: MovesAt): string {
  const lane = at.lane ?? 'm';
  if (!LANE.test(lane)) throw new Error(`bad moves lane ${JSON.stringify(lane)}`);
  return lane;
}

export async function applyMoves(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  items: readonly ApplyItem[],
  at: MovesAt,
): Promise<{ moves: number }> {
  const [moves] = integers(
    'apply-moves',
    await SCRIPTS.applyMoves.run(redis, keys.hunt(hunt), [
      JSON.stringify(items),
      keys.huntChannel(hunt),
      at.now,
      at.params,
      laneOf(at),
    ]),
    1,
  );
  return { moves: moves ?? 0 };
}

/** One player's moves folded since the last flush: the count and the last position. */
export interface FoldedMove {
  player: string;
  lat: number;
  lng: number;
  n: number;
}

export interface FlushedMoves {
  moves: number;
  found: number;
  /** the last delta's seq: 0 none, -1 one waits for the fan-out tick */
  seq: number;
  /** reaches refused for now (`player:puzzle`) */
  refused: string[];
}

/**
 * Applies folded moves up to stream item `lastSid`, and checks the reaches the shard found: in
 * calls of at most FLUSH_MAX_PLAYERS players each (their reaches with them), one after the other,
 * the last of which moves the lane's fence (see flush-moves.lua for why a replay stays exact).
 */
export async function flushMoves(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  lastSid: string,
  moves: readonly FoldedMove[],
  reaches: readonly { player: string; puzzle: string; node: string }[],
  at: MovesAt,
): Promise<FlushedMoves> {
  const lane = laneOf(at);
  const parts = Math.max(1, Math.ceil(moves.length / FLUSH_MAX_PLAYERS));
  const partOf = new Map<string, number>();
  moves.forEach((m, i) => partOf.set(m.player, Math.floor(i / FLUSH_MAX_PLAYERS)));
  const reachesOf: (typeof reaches)[number][][] = Array.from({ length: parts }, () => []);
  // a reach goes with its player's moves (a reach without one, with the last part)
  for (const r of reaches) reachesOf[partOf.get(r.player) ?? parts - 1]?.push(r);
  const out: FlushedMoves = { moves: 0, found: 0, seq: 0, refused: [] };
  for (let i = 0; i < parts; i++) {
    const mode = parts === 1 ? 'last' : i < parts - 1 ? 'part' : 'lastof';
    const chunk = moves.slice(i * FLUSH_MAX_PLAYERS, (i + 1) * FLUSH_MAX_PLAYERS);
    const r = await flushPart(redis, keys, hunt, lastSid, chunk, reachesOf[i] ?? [], at, lane, mode);
    out.moves += r.moves;
    out.found += r.found;
    out.seq = out.seq === -1 || r.seq === -1 ? -1 : Math.max(out.seq, r.seq);
    out.refused.push(...r.refused);
  }
  return out;
}

async function flushPart(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  lastSid: string,
  moves: readonly FoldedMove[],
  reaches: readonly { player: string; puzzle: string; node: string }[],
  at: MovesAt,
  lane: string,
  mode: 'last' | 'part' | 'lastof',
): Promise<FlushedMoves> {
  // the moves as one JSON array, three values a player, the position already in its stored form:
  // as arguments of their own, 5,000 players were 15,000 that ioredis wrote one by one (5–12 ms of
  // the event loop every flush, in one piece); JSON.stringify writes them in under a millisecond
  // and Redis's cjson reads them about as fast as its protocol reads arguments
  const packed: (string | number)[] = [];
  for (const m of moves) packed.push(m.player, `${m.lat},${m.lng}`, m.n);
  const args: (string | number)[] = [
    lastSid,
    keys.huntChannel(hunt),
    JSON.stringify(packed),
    at.now,
    at.params,
    lane,
    mode,
  ];
  for (const r of reaches) args.push(r.player, r.puzzle, r.node);
  const reply = await SCRIPTS.flushMoves.run(redis, keys.hunt(hunt), args);
  const values: unknown[] = Array.isArray(reply) ? reply : [];
  const refused = values[3];
  if (!strings(refused)) throw new Error(`script flush-moves replied ${JSON.stringify(reply)}`);
  const [applied = 0, found = 0, seq = 0] = integers('flush-moves', values.slice(0, 3), 3);
  return { moves: applied, found, seq, refused };
}

export interface AnswersApplied {
  /** events applied, by kind (replies of repeated requests and refusals not counted) */
  applied: [StreamedType, number][];
  /** the delta's seq; 0 when none was formed, -1 when one waits for the fan-out tick */
  seq: number;
  dead: number;
}

export async function applyAnswers(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  items: readonly ApplyItem[],
  now: number,
  params: string,
): Promise<AnswersApplied> {
  const reply = await SCRIPTS.applyAnswers.run(redis, keys.hunt(hunt), [
    JSON.stringify(items),
    now,
    keys.huntChannel(hunt),
    params,
  ]);
  if (!Array.isArray(reply) || reply.length < 2 || reply.length % 2 !== 0)
    throw new Error(`script apply-answers replied ${JSON.stringify(reply)}`);
  const [seq, dead, ...pairs]: unknown[] = reply;
  const applied: [StreamedType, number][] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const kind = pairs[i];
    const count = pairs[i + 1];
    if (!isStreamedType(kind) || typeof count !== 'number')
      throw new Error(`script apply-answers replied ${JSON.stringify(reply)}`);
    applied.push([kind, count]);
  }
  return { applied, seq: integer('apply-answers', seq), dead: integer('apply-answers', dead) };
}

/** Returns the seq emitted, 0 when nothing was pending, -1 when the tick has not passed. */
export async function flushDelta(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  now: number,
  params: string,
  force: boolean,
): Promise<number> {
  return integer(
    'flush-delta',
    await SCRIPTS.flushDelta.run(redis, keys.hunt(hunt), [now, keys.huntChannel(hunt), params, force ? '1' : '0']),
  );
}

/** How a join in a team hunt names its team: a new one (with its id and the codes it may get, the first not in use), or a code. */
export type TeamChoice =
  | { mode: 'new'; id: string; name: string; folded: string; codes: string[] }
  | { mode: 'code'; code: string }
  | { mode: '' };

/**
 * One join of a batch: the player, its record (JSON), its display name as names are compared
 * (see hunt-players.ts), its team, and the passcode given (null: none; undefined: not checked).
 */
export interface JoinRequest {
  player: string;
  record: string;
  folded: string;
  team: TeamChoice;
  passcode?: string | null | undefined;
}

/** A join's outcome: the player's team id ('' outside a team hunt), or the error code that refused it. */
export type JoinOutcome = { team: string } | { code: ErrorCode };

/** Most joins one join-player call takes. */
export const JOINS_MAX = 500;

/**
 * Joins players to a hunt in order, in one call (at most JOINS_MAX): the seq of the delta that
 * announced them (-1 when it waits for the fan-out tick) and each join's outcome; HUNT_NOT_FOUND
 * (thrown) when there is no such hunt. `maxPlayers`: the bound where the hunt sets none.
 */
export async function joinPlayers(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  joins: readonly JoinRequest[],
  now: number,
  params: ScriptParams,
  maxPlayers: number,
): Promise<{ seq: number; outcomes: JoinOutcome[] }> {
  const wire = joins.slice(0, JOINS_MAX).map((j) => ({
    p: j.player,
    rec: j.record,
    folded: j.folded,
    ...(j.passcode === undefined ? {} : { check: true, ...(j.passcode === null ? {} : { pass: j.passcode }) }),
    mode: j.team.mode,
    ...(j.team.mode === 'new'
      ? { tid: j.team.id, tname: j.team.name, tfolded: j.team.folded, tcodes: j.team.codes }
      : {}),
    ...(j.team.mode === 'code' ? { code: j.team.code } : {}),
  }));
  const [seq, ...each] = okValues(
    'join-player',
    await SCRIPTS.joinPlayer.run(redis, keys.hunt(hunt), [
      now,
      keys.huntChannel(hunt),
      JSON.stringify(params),
      maxPlayers,
      TEAMS_MAX,
      JSON.stringify(wire),
    ]),
  );
  if (typeof seq !== 'number' || each.length !== wire.length)
    throw new Error(
      `script join-player replied seq ${JSON.stringify(seq)} and ${each.length} outcomes for ${wire.length} joins`,
    );
  const outcomes = each.map((v): JoinOutcome => {
    const read = readReply('join-player', v);
    if (!read.ok) return { code: read.code };
    const [team] = read.values;
    if (typeof team !== 'string') throw new Error(`script join-player replied ${JSON.stringify(v)} for a join`);
    return { team };
  });
  return { seq, outcomes };
}

/** One join alone: the delta seq and the player's team id ('' outside a team hunt); a refusal is thrown as its HuntError. */
export async function joinPlayer(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  player: string,
  record: string,
  now: number,
  params: ScriptParams,
  folded: string,
  maxPlayers: number,
  team: TeamChoice = { mode: '' },
): Promise<{ seq: number; team: string }> {
  const { seq, outcomes } = await joinPlayers(
    redis,
    keys,
    hunt,
    [{ player, record, folded, team }],
    now,
    params,
    maxPlayers,
  );
  const out = outcomes[0];
  if (!out) throw new Error('script join-player replied no outcome');
  if ('code' in out) throw new HuntError(out.code);
  return { seq, team: out.team };
}

/** Sets (or, with '', removes) fields of a hunt's meta; HUNT_NOT_FOUND when there is no such hunt. */
export async function setSettings(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  fields: Record<string, string>,
): Promise<void> {
  const reply = await SCRIPTS.setSettings.run(redis, keys.hunt(hunt), Object.entries(fields).flat());
  okValues('set-settings', reply);
}

/** Returns the player's new score and the delta seq (-1: waiting for the tick). */
export async function adjustScore(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  player: string,
  points: number,
  reason: string,
  now: number,
  params: ScriptParams,
): Promise<{ score: number; seq: number }> {
  const reply = await SCRIPTS.adjustScore.run(redis, keys.hunt(hunt), [
    player,
    points,
    reason,
    now,
    keys.huntChannel(hunt),
    JSON.stringify(params),
  ]);
  const [score = 0, seq = 0] = okIntegers('adjust-score', reply, 2);
  return { score, seq };
}

/** Returns the delta seq (-1: waiting for the tick). */
export async function removePlayer(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  player: string,
  now: number,
  params: ScriptParams,
): Promise<number> {
  const reply = await SCRIPTS.removePlayer.run(redis, keys.hunt(hunt), [
    player,
    now,
    keys.huntChannel(hunt),
    JSON.stringify(params),
  ]);
  return okInteger('remove-player', reply);
}

/** Compare-and-set on the status: `ok` with the new status, or not with the current one ('' when the hunt is gone). */
export async function transition(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  to: string,
  from: readonly string[],
  now: number,
): Promise<{ ok: boolean; status: string }> {
  const reply = await SCRIPTS.transition.run(redis, keys.hunt(hunt), [to, now, keys.huntChannel(hunt), ...from]);
  const read = readReply('transition', reply);
  const [status] = read.ok ? read.values : read.details;
  if (
    typeof status !== 'string' ||
    (!read.ok && read.code !== 'HUNT_NOT_FOUND' && read.code !== 'HUNT_INVALID_TRANSITION')
  )
    throw new Error(`script transition replied ${JSON.stringify(reply)}`);
  return { ok: read.ok, status };
}

/** A puzzle as the store scripts take it: JSON texts, and places as `lat,lng,radius` ('' for none). */
export interface StoredParts {
  id: string;
  public: string;
  solution: string;
  hints: string;
  /** locked until reached */
  location: string;
  /** a check-in's place: solved on arrival */
  checkin: string;
}

/** Returns how many puzzles of the hunt are stored. */
export async function storePuzzle(redis: RedisClient, keys: Keys, hunt: string, puzzle: StoredParts): Promise<number> {
  const reply = await SCRIPTS.storePuzzle.run(redis, keys.hunt(hunt), [
    puzzle.id,
    puzzle.public,
    puzzle.solution,
    puzzle.hints,
    keys.huntChannel(hunt),
    puzzle.location,
    puzzle.checkin,
  ]);
  return okInteger('store-puzzle', reply);
}

/** Adds, replaces or removes a puzzle; a refusal comes back as its error code and the hunt's status. */
export async function editPuzzle(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  mode: 'add' | 'put' | 'del',
  parts: StoredParts,
  sequence: string,
  def: string,
  now: number,
): Promise<{ ok: true } | { ok: false; code: ErrorCode; status: string }> {
  const reply = await SCRIPTS.editPuzzle.run(redis, keys.hunt(hunt), [
    mode,
    parts.id,
    parts.public,
    parts.solution,
    parts.hints,
    parts.location,
    parts.checkin,
    sequence,
    def,
    keys.huntChannel(hunt),
    now,
  ]);
  const read = readReply('edit-puzzle', reply);
  return read.ok ? { ok: true } : { ok: false, code: read.code, status: String(read.details[0] ?? '') };
}

/**
 * Tells the hunt's players that a puzzle opened (its `opensAfterS` came) or closed. Returns the
 * messages sent, 0 when the puzzle or hunt is gone, -1 when its time has not come yet.
 */
export async function openPuzzle(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  puzzle: string,
  action: 'open' | 'close',
  now: number,
): Promise<number> {
  return okInteger(
    'open-puzzle',
    await SCRIPTS.openPuzzle.run(redis, keys.hunt(hunt), [puzzle, action, keys.huntChannel(hunt), now]),
  );
}

export async function failGeneration(redis: RedisClient, keys: Keys, hunt: string, reason: string): Promise<boolean> {
  return (
    okInteger(
      'fail-generation',
      await SCRIPTS.failGeneration.run(redis, keys.hunt(hunt), [reason, keys.huntChannel(hunt)]),
    ) === 1
  );
}

/** Extends a lease this shard holds; false when it is no longer this shard's. */
export async function renewLease(redis: RedisClient, lease: string, holder: string, ms: number): Promise<boolean> {
  return okInteger('renew-lease', await leaseScripts.renew.run(redis, [lease], [holder, ms])) === 1;
}

export async function releaseLease(redis: RedisClient, lease: string, holder: string): Promise<boolean> {
  return okInteger('release-lease', await leaseScripts.release.run(redis, [lease], [holder])) === 1;
}

/** A consumer group's backlog on a stream: entries, not yet read (-1 unknown), read and not acknowledged. */
export interface StreamBacklog {
  /** -1 when the stream does not exist */
  length: number;
  lag: number;
  pending: number;
}

export async function streamBacklog(redis: RedisClient, stream: string, group: string): Promise<StreamBacklog> {
  const [length = -1, lag = -1, pending = 0] = okIntegers(
    'stream-backlog',
    await streamScripts.backlog.run(redis, [stream], [group]),
    3,
  );
  return { length, lag, pending };
}

/** Creates the group (and the stream) where missing; true when it was created now. */
export async function ensureStreamGroup(redis: RedisClient, stream: string, group: string): Promise<boolean> {
  return okInteger('stream-group', await streamScripts.group.run(redis, [stream], [group])) === 1;
}

/** One player's part of what `welcome.lua` reads. */
export interface WelcomeOfPlayer {
  /** per puzzle, in the order of `puzzles`: points this player scored there, or null */
  solved: (string | null)[];
  /** per puzzle: 1 when this player reached it */
  reached: number[];
  score: string | null;
  rank: number | null;
  /** the player's record as stored (JSON), or null for no such player */
  record: string | null;
  /** per puzzle: how many hints this player took there (null: none) */
  taken: (string | null)[];
  /** per puzzle: the answer accepted when this player solved it, or null */
  accepted: (string | null)[];
  /** the inbox fields this player may see (JSON arrays of messages) */
  inbox: string[];
  /** per puzzle: 1 when a judged submission of this player waits for review */
  pending: number[];
}

/** What `welcome.lua` reads, checked: flat Redis replies the board turns into welcomes. */
export interface WelcomesRead {
  meta: Record<string, string>;
  /** [id, JSON, id, JSON, ...] */
  puzzles: string[];
  /** [player, score, ...] */
  top: string[];
  /** player records (JSON) of the top, in its order */
  names: (string | null)[];
  /** [puzzle id, JSON array of hint texts, ...] */
  hints: string[];
  /** [id, sequence JSON, ...] for puzzles with sequencing */
  sequence: string[];
  /** one per player asked for, in order */
  players: WelcomeOfPlayer[];
  /** the caller's puzzles are current: `puzzles` holds the ids alone, `hints` and `sequence` are empty */
  heldPuzzles: boolean;
  /** the caller's top is current: `top` and `names` are empty */
  heldTop: boolean;
}

/** What one player's welcome reads. */
export type WelcomeRead = Omit<WelcomesRead, 'players' | 'heldPuzzles' | 'heldTop'> & WelcomeOfPlayer;

/** What the caller of `readWelcomes` holds already: the puzzles as of meta's `puzzlesRev`, the top as of meta's `seq`. */
export interface WelcomeHeld {
  puzzlesRev?: string | undefined;
  topSeq?: string | undefined;
}

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const nullableStrings = (v: unknown): v is (string | null)[] =>
  Array.isArray(v) && v.every((x) => x === null || typeof x === 'string');

function ofPlayer(v: unknown): WelcomeOfPlayer {
  if (!Array.isArray(v)) throw new Error('script welcome replied an unexpected shape');
  const [
    solved,
    reached,
    score = null,
    rank = null,
    record = null,
    taken,
    accepted,
    inbox = [],
    pending = [],
  ]: unknown[] = v;
  if (
    !nullableStrings(solved) ||
    !Array.isArray(reached) ||
    (score !== null && typeof score !== 'string') ||
    (rank !== null && typeof rank !== 'number') ||
    (record !== null && typeof record !== 'string') ||
    !nullableStrings(taken) ||
    !nullableStrings(accepted) ||
    !strings(inbox) ||
    !Array.isArray(pending)
  ) {
    throw new Error('script welcome replied an unexpected shape');
  }
  return {
    solved,
    reached: reached.map(Number),
    score,
    rank,
    record,
    taken,
    accepted,
    inbox,
    pending: pending.map(Number),
  };
}

/** One read for the welcomes of several players of one hunt; null when the hunt does not exist. */
export async function readWelcomes(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  players: readonly string[],
  topN: number,
  held: WelcomeHeld = {},
): Promise<WelcomesRead | null> {
  const reply = await SCRIPTS.welcome.run(redis, keys.hunt(hunt), [
    topN,
    held.puzzlesRev ?? '',
    held.topSeq ?? '',
    ...players,
  ]);
  if (reply === null) return null;
  if (!Array.isArray(reply) || reply.length !== 6 + players.length)
    throw new Error(`script welcome replied ${JSON.stringify(reply).slice(0, 200)}`);
  const [meta, puzzles, top, names, hints, sequence, ...each]: unknown[] = reply;
  if (
    !strings(meta) ||
    !strings(puzzles) ||
    !strings(top) ||
    !nullableStrings(names) ||
    !strings(hints) ||
    !strings(sequence)
  )
    throw new Error('script welcome replied an unexpected shape');
  const metaMap: Record<string, string> = {};
  for (let i = 0; i + 1 < meta.length; i += 2) metaMap[meta[i]!] = meta[i + 1]!;
  return {
    meta: metaMap,
    puzzles,
    top,
    names,
    hints,
    sequence,
    players: each.map(ofPlayer),
    heldPuzzles: held.puzzlesRev !== undefined && held.puzzlesRev === (metaMap.puzzlesRev ?? '0'),
    heldTop: held.topSeq !== undefined && held.topSeq === (metaMap.seq ?? '0'),
  };
}

/** One read for one player's welcome; null when the hunt does not exist. */
export async function readWelcome(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  player: string,
  topN: number,
): Promise<WelcomeRead | null> {
  const read = await readWelcomes(redis, keys, hunt, [player], topN);
  if (!read) return null;
  const { players, heldPuzzles: _p, heldTop: _t, ...shared } = read;
  return { ...shared, ...players[0]! };
}

/** How `send-message.lua` runs: deliver now, keep for later, or deliver a kept one that fell due. */
export type SendMode = 'now' | 'schedule' | 'due';

/** Returns false when a due message was no longer waiting (delivered already, or its hunt is gone). */
export async function sendMessage(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  m: {
    mode: SendMode;
    id: string;
    entry: string;
    wire: string;
    field: string;
    recipient: string;
    logMax: number;
    inboxMax: number;
    scheduledMax: number;
  },
): Promise<boolean> {
  const reply = await SCRIPTS.sendMessage.run(redis, keys.hunt(hunt), [
    m.mode,
    m.id,
    m.entry,
    m.wire,
    m.field,
    keys.huntChannel(hunt),
    m.logMax,
    m.inboxMax,
    m.scheduledMax,
    m.recipient,
  ]);
  return okInteger('send-message', reply) === 1;
}

/** Marks players online as of `now` (at most 1,000 a call); returns how many were marked. */
export async function markOnline(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  now: number,
  players: readonly string[],
): Promise<number> {
  return okInteger('mark-online', await SCRIPTS.markOnline.run(redis, keys.hunt(hunt), [now, ...players]));
}

/** One socket opened (registered) or closed (forgotten) across front nodes. */
export interface SocketChange {
  op: 'open' | 'close';
  player: string;
  socket: string;
}

/** Most socket changes one player-sockets call takes (3 arguments each). */
export const SOCKET_CHANGES_MAX = 1000;

/**
 * Registers (`open`) or forgets (`close`) players' sockets across front nodes, in order (at most
 * SOCKET_CHANGES_MAX); past `cap` per player, the oldest are dropped (published for their nodes
 * to close). Returns how many were dropped.
 */
export async function playerSockets(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  changes: readonly SocketChange[],
  cap: number,
): Promise<number> {
  const args: (string | number)[] = [cap, keys.huntChannel(hunt)];
  for (const c of changes.slice(0, SOCKET_CHANGES_MAX)) args.push(c.op, c.player, c.socket);
  return okInteger('player-sockets', await SCRIPTS.playerSockets.run(redis, keys.hunt(hunt), args));
}
