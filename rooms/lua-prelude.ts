/**
 * What every hunt script shares: the order of the hunt's keys, the parameters passed as JSON,
 * and the Lua prelude (player records, the exact score encoding, delta forming and flushing).
 *
 * Score encoding: the board's sorted-set score is `score * 2^32 + (2^32 - 1 - tick)`, where
 * `tick` rises by one per score change in the hunt. Scores stay exact integers (|score| < 2^20,
 * so the whole value stays below 2^53), and of equal scores the one reached first ranks higher.
 */
import type { HuntKeys } from './keys.js';

export const HUNT_KEY_ORDER = [
  'meta', 'players', 'board', 'solves', 'replies', 'hintsTaken', 'positions', 'moves', 'removed', 'log', 'deltas', 'applied',
  'puzzles', 'hints', 'dirty', 'lastTop', 'solvers', 'attempts', 'cooldown', 'locations', 'found', 'dead',
] as const satisfies readonly (keyof HuntKeys)[];

export function huntKeyList(k: HuntKeys): string[] {
  return HUNT_KEY_ORDER.map((name) => k[name]);
}

/** Scoring and fan-out parameters, passed to the scripts as JSON (the configs in force). */
export interface ScriptParams {
  points: { easy: number; medium: number; hard: number };
  hintPenaltyFraction: number;
  decayPerMinute: number;
  decayFloor: number;
  firstSolverBonus: number[];
  wrongAnswerPenalty: number;
  wrongAnswerCooldownMs: number;
  answersPerMinutePerPuzzle: number;
  topN: number;
  tickMs: number;
  logLength: number;
}

export const SCORE_SCALE = 2 ** 32;
/** Scores are kept within ±MAX_SCORE so the encoding stays exact. */
export const MAX_SCORE = 2 ** 20 - 1;

/** The score part of a board value. */
export function decodeScore(z: string | number): number {
  return Math.floor(Number(z) / SCORE_SCALE);
}

export const PRELUDE = `
local K = {${HUNT_KEY_ORDER.map((n, i) => `${n} = KEYS[${i + 1}]`).join(', ')}}
local SCALE = ${SCORE_SCALE}
local MAX_SCORE = ${MAX_SCORE}

local recs = {}
local function player_rec(p)
  local r = recs[p]
  if r == nil then
    local raw = redis.call('HGET', K.players, p)
    r = raw and cjson.decode(raw) or false
    recs[p] = r
  end
  return r or nil
end

local function decode(z)
  if not z then return nil end
  return math.floor(tonumber(z) / SCALE)
end
local function score_of(p)
  return decode(redis.call('ZSCORE', K.board, p)) or 0
end
local function set_score(p, s)
  if s > MAX_SCORE then s = MAX_SCORE elseif s < -MAX_SCORE then s = -MAX_SCORE end
  local tick = redis.call('HINCRBY', K.meta, 'tick', 1)
  redis.call('ZADD', K.board, s * SCALE + (SCALE - 1 - tick), p)
  return s
end
local function add_score(p, delta)
  return set_score(p, score_of(p) + delta)
end

local function entry_of(p)
  local rec = player_rec(p)
  local e = { player = p, name = rec and rec.name or '' }
  local z = redis.call('ZSCORE', K.board, p)
  if z then
    e.score = decode(z)
    e.rank = redis.call('ZREVRANK', K.board, p) + 1
  else
    e.score = cjson.null
    e.rank = cjson.null
  end
  return e
end

-- Forms the next delta: the changed players, plus players of the top N whose rank moved.
local function emit(changed, now, channel, S)
  local seen, changes = {}, {}
  for _, p in ipairs(changed) do
    if not seen[p] then
      seen[p] = true
      changes[#changes + 1] = entry_of(p)
    end
  end
  if S.topN > 0 then
    local top = redis.call('ZREVRANGE', K.board, 0, S.topN - 1)
    local before = redis.call('HGETALL', K.lastTop)
    local was = {}
    for i = 1, #before, 2 do was[before[i]] = tonumber(before[i + 1]) end
    local now_top = {}
    for i, p in ipairs(top) do
      if not seen[p] and was[p] ~= i then
        seen[p] = true
        changes[#changes + 1] = entry_of(p)
      end
      now_top[#now_top + 1] = p
      now_top[#now_top + 1] = i
    end
    redis.call('DEL', K.lastTop)
    if #now_top > 0 then redis.call('HSET', K.lastTop, unpack(now_top)) end
  end
  if #changes == 0 then return 0 end
  local seq = redis.call('HINCRBY', K.meta, 'seq', 1)
  redis.call('HSET', K.meta, 'lastDeltaAt', now)
  local delta = cjson.encode({ t = 'lb', seq = seq, ts = now, changes = changes })
  redis.call('RPUSH', K.deltas, delta)
  redis.call('LTRIM', K.deltas, -S.logLength, -1)
  redis.call('PUBLISH', channel, delta)
  return seq
end

-- Emits what is dirty once the fan-out tick has passed since the last delta.
-- Returns the seq emitted, 0 when nothing was dirty, -1 when the tick has not passed yet.
local function flush(now, channel, S, force)
  if redis.call('SCARD', K.dirty) == 0 then return 0 end
  local last = tonumber(redis.call('HGET', K.meta, 'lastDeltaAt') or '0')
  if not force and now - last < S.tickMs then return -1 end
  local members = redis.call('SMEMBERS', K.dirty)
  redis.call('DEL', K.dirty)
  table.sort(members)
  return emit(members, now, channel, S)
end

local function public_puzzle(raw, solved)
  local pz = cjson.decode(raw)
  pz.index = nil
  pz.solved = solved
  pz.locked = false
  return pz
end

local function distance_m(lat1, lng1, lat2, lng2)
  local r = math.pi / 180
  local dlat = (lat2 - lat1) * r
  local dlng = (lng2 - lng1) * r
  local a = math.sin(dlat / 2) ^ 2 + math.cos(lat1 * r) * math.cos(lat2 * r) * math.sin(dlng / 2) ^ 2
  return 2 * 6371000 * math.asin(math.min(1, math.sqrt(a)))
end
`;

