/**
 * Lua scripts that change a hunt. Each runs atomically on the hunt's hash slot, so a score
 * change, its idempotency record, the delta with the next `seq` and the publish happen
 * together or not at all. Every script gets the hunt's keys in HUNT_KEY_ORDER.
 *
 * Score encoding: the board's sorted-set score is `score * 2^32 + (2^32 - 1 - tick)`, where
 * `tick` rises by one per score change in the hunt. Scores stay exact integers (|score| < 2^20,
 * so the whole value stays below 2^53), and of equal scores the one reached first ranks higher.
 */
import { LuaScript } from '../config/index.js';
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

const PRELUDE = `
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

/**
 * Applies one batch of stream events of one hunt, in order, exactly once in effect: items at
 * or below the lane's fence are skipped.
 * ARGV: items JSON, now ms, hunt channel, node channel prefix, params JSON, lane ('m' moves, 'a' answers and hints)
 * Returns {moves, answers, hints, delta seq (0 none, -1 pending a tick), dead letters}.
 */
export const applyEvents = new LuaScript(
  'applyEvents',
  PRELUDE +
    `
local items = cjson.decode(ARGV[1])
local now = tonumber(ARGV[2])
local channel = ARGV[3]
local nodePrefix = ARGV[4]
local S = cjson.decode(ARGV[5])
local lane = ARGV[6]

-- ids are '<routing epoch>-<ms>-<seq>': compared epoch first, then the stream entry id
local function parse_id(id)
  local e, ms, sq = string.match(id, '^(%d+)-(%d+)-(%d+)$')
  return tonumber(e), tonumber(ms), tonumber(sq)
end
local fe, fms, fsq = parse_id(redis.call('HGET', K.applied, lane) or '0-0-0')
local function is_new(id)
  local e, ms, sq = parse_id(id)
  if e ~= fe then return e > fe end
  if ms ~= fms then return ms > fms end
  return sq > fsq
end

local status = redis.call('HGET', K.meta, 'status')
local changed = {}
local function mark(p) changed[#changed + 1] = p end
local function reply(node, p, msg)
  redis.call('PUBLISH', nodePrefix .. node, cjson.encode({ p = p, m = msg }))
end
local function fail(node, p, ev, code, extra)
  local msg = { t = 'error', id = ev.id, code = code }
  if extra then for k, v in pairs(extra) do msg[k] = v end end
  reply(node, p, msg)
end
local function is_active(p)
  local rec = player_rec(p)
  return rec and not rec.removed
end
local function locked(p, puzzle)
  return redis.call('HEXISTS', K.locations, puzzle) == 1 and redis.call('SISMEMBER', K.found, p .. ':' .. puzzle) == 0
end
local function base_points(pz)
  return tonumber(S.points[pz.difficulty] or pz.points)
end

local moved, movedOrder = {}, {}
local anyRemoved = redis.call('SCARD', K.removed) > 0
local moves, answers, hints, dead, last = 0, 0, 0, 0, nil
for _, item in ipairs(items) do
  if is_new(item.sid) then
    last = item.sid
    for _, ev in ipairs(item.ev) do
      local p = ev.p
      if ev.k == 'move' then
        -- a move carries n > 1 when the front folded several of one player's moves
        if not anyRemoved or redis.call('SISMEMBER', K.removed, p) == 0 then
          local n = tonumber(ev.n) or 1
          local m = moved[p]
          if not m then
            m = { n = 0 }
            moved[p] = m
            movedOrder[#movedOrder + 1] = p
          end
          m.n = m.n + n
          m.lat = ev.lat
          m.lng = ev.lng
          m.node = item.n
          moves = moves + n
        end
      elseif ev.k == 'answer' or ev.k == 'hint' then
        local rkey = p .. ':' .. ev.id
        local skey = p .. ':' .. ev.puzzle
        local previous = redis.call('HGET', K.replies, rkey)
        local praw = redis.call('HGET', K.puzzles, ev.puzzle)
        if previous then
          reply(item.n, p, cjson.decode(previous))
        elseif not is_active(p) then
          fail(item.n, p, ev, 'PLAYER_REMOVED')
        elseif status ~= 'live' then
          fail(item.n, p, ev, 'HUNT_NOT_LIVE')
        elseif not praw then
          fail(item.n, p, ev, 'PUZZLE_NOT_FOUND')
        elseif locked(p, ev.puzzle) then
          fail(item.n, p, ev, 'PUZZLE_LOCKED')
        elseif redis.call('HEXISTS', K.solves, skey) == 1 then
          fail(item.n, p, ev, 'ALREADY_SOLVED')
        elseif ev.k == 'answer' then
          local pz = cjson.decode(praw)
          local att = redis.call('HGET', K.attempts, skey)
          local wstart, wcount = now, 0
          if att then
            local a, b = string.match(att, '^(%d+),(%d+)$')
            if now - tonumber(a) < 60000 then wstart, wcount = tonumber(a), tonumber(b) end
          end
          local cool = tonumber(redis.call('HGET', K.cooldown, skey) or '0')
          if ev.dead then
            redis.call('LPUSH', K.dead, cjson.encode({ player = p, puzzle = ev.puzzle, id = ev.id, reason = ev.dead, at = now }))
            redis.call('LTRIM', K.dead, 0, 99)
            redis.call('HINCRBY', K.meta, 'deadLetters', 1)
            dead = dead + 1
            fail(item.n, p, ev, 'VERIFICATION_FAILED')
          elseif wcount >= S.answersPerMinutePerPuzzle then
            fail(item.n, p, ev, 'TOO_MANY_ATTEMPTS', { retryAfterMs = 60000 - (now - wstart) })
          elseif now < cool then
            fail(item.n, p, ev, 'ANSWER_COOLDOWN', { retryAfterMs = cool - now })
          else
            redis.call('HSET', K.attempts, skey, wstart .. ',' .. (wcount + 1))
            local msg
            if ev.correct then
              local base = base_points(pz)
              local launched = tonumber(redis.call('HGET', K.meta, 'launchedAt') or now)
              local factor = math.max(S.decayFloor, 1 - S.decayPerMinute * (now - launched) / 60000)
              local earned = math.floor(base * factor + 0.5)
              local solver = redis.call('HINCRBY', K.solvers, ev.puzzle, 1)
              local bonus = tonumber(S.firstSolverBonus[solver] or 0)
              local points = earned + bonus
              redis.call('HSET', K.solves, skey, points)
              local score = add_score(p, points)
              redis.call('RPUSH', K.log, cjson.encode({ k = 'solve', player = p, puzzle = ev.puzzle, points = points, base = earned, bonus = bonus, solver = solver, at = now }))
              mark(p)
              msg = { t = 'result', id = ev.id, puzzle = ev.puzzle, correct = true, points = points, score = score }
            else
              local penalty = S.wrongAnswerPenalty
              local score = score_of(p)
              if penalty > 0 then
                score = add_score(p, -penalty)
                redis.call('RPUSH', K.log, cjson.encode({ k = 'wrong', player = p, puzzle = ev.puzzle, points = -penalty, at = now }))
                mark(p)
              end
              if S.wrongAnswerCooldownMs > 0 then redis.call('HSET', K.cooldown, skey, now + S.wrongAnswerCooldownMs) end
              msg = { t = 'result', id = ev.id, puzzle = ev.puzzle, correct = false, points = -penalty, score = score }
            end
            redis.call('HSET', K.replies, rkey, cjson.encode(msg))
            reply(item.n, p, msg)
            answers = answers + 1
          end
        else
          local list = cjson.decode(redis.call('HGET', K.hints, ev.puzzle) or '[]')
          local taken = tonumber(redis.call('HGET', K.hintsTaken, skey) or '0')
          if taken >= #list then
            fail(item.n, p, ev, 'NO_MORE_HINTS')
          else
            local penalty = math.floor(base_points(cjson.decode(praw)) * S.hintPenaltyFraction)
            redis.call('HSET', K.hintsTaken, skey, taken + 1)
            if penalty > 0 then
              add_score(p, -penalty)
              mark(p)
            end
            redis.call('RPUSH', K.log, cjson.encode({ k = 'hint', player = p, puzzle = ev.puzzle, points = -penalty, at = now }))
            local msg = { t = 'hint', id = ev.id, puzzle = ev.puzzle, text = list[taken + 1], penalty = penalty }
            redis.call('HSET', K.replies, rkey, cjson.encode(msg))
            reply(item.n, p, msg)
            hints = hints + 1
          end
        end
      end
    end
  end
end

local places = nil
for _, p in ipairs(movedOrder) do
  local m = moved[p]
  redis.call('HSET', K.positions, p, m.lat .. ',' .. m.lng)
  redis.call('HINCRBY', K.moves, p, m.n)
  if places == nil then places = redis.call('HGETALL', K.locations) end
  for i = 1, #places, 2 do
    local puzzle = places[i]
    local fkey = p .. ':' .. puzzle
    local lat, lng, radius = string.match(places[i + 1], '^([^,]+),([^,]+),([^,]+)$')
    if redis.call('SISMEMBER', K.found, fkey) == 0 and distance_m(m.lat, m.lng, tonumber(lat), tonumber(lng)) <= tonumber(radius) then
      redis.call('SADD', K.found, fkey)
      local solved = redis.call('HEXISTS', K.solves, fkey) == 1
      reply(m.node, p, { t = 'found', puzzle = public_puzzle(redis.call('HGET', K.puzzles, puzzle), solved) })
    end
  end
end
if last then redis.call('HSET', K.applied, lane, last) end
if #changed > 0 then redis.call('SADD', K.dirty, unpack(changed)) end
local seq = flush(now, channel, S, false)
return { moves, answers, hints, seq, dead }
`,
);

/** Emits the hunt's pending delta once its tick has passed (or at once with force '1'). ARGV: now, channel, params JSON, force. */
export const flushDelta = new LuaScript(
  'flushDelta',
  PRELUDE +
    `
return flush(tonumber(ARGV[1]), ARGV[2], cjson.decode(ARGV[3]), ARGV[4] == '1')
`,
);

/**
 * A player joins: recorded, put on the board at 0, announced in a delta at once.
 * ARGV: player, record JSON, now, channel, params JSON. Returns the delta seq, or an error code.
 */
export const joinPlayer = new LuaScript(
  'joinPlayer',
  PRELUDE +
    `
local status = redis.call('HGET', K.meta, 'status')
if not status then return 'HUNT_NOT_FOUND' end
if status == 'ended' or status == 'failed' then return 'HUNT_ENDED' end
redis.call('HSET', K.players, ARGV[1], ARGV[2])
if not redis.call('ZSCORE', K.board, ARGV[1]) then set_score(ARGV[1], 0) end
return emit({ ARGV[1] }, tonumber(ARGV[3]), ARGV[4], cjson.decode(ARGV[5]))
`,
);

/**
 * The game master adjusts a player's points with a reason.
 * ARGV: player, points, reason, now, channel, params JSON. Returns the new score, or an error code.
 */
export const adjustScore = new LuaScript(
  'adjustScore',
  PRELUDE +
    `
if redis.call('EXISTS', K.meta) == 0 then return 'HUNT_NOT_FOUND' end
local rec = player_rec(ARGV[1])
if not rec or rec.removed then return 'PLAYER_NOT_FOUND' end
local score = add_score(ARGV[1], tonumber(ARGV[2]))
local now = tonumber(ARGV[4])
redis.call('RPUSH', K.log, cjson.encode({ k = 'adjust', player = ARGV[1], points = tonumber(ARGV[2]), reason = ARGV[3], at = now }))
emit({ ARGV[1] }, now, ARGV[5], cjson.decode(ARGV[6]))
return score
`,
);

/**
 * The game master removes a player: off the board (a delta with a null score), marked removed, kicked.
 * ARGV: player, now, channel, params JSON
 */
export const removePlayer = new LuaScript(
  'removePlayer',
  PRELUDE +
    `
if redis.call('EXISTS', K.meta) == 0 then return 'HUNT_NOT_FOUND' end
local rec = player_rec(ARGV[1])
if not rec or rec.removed then return 'PLAYER_NOT_FOUND' end
rec.removed = true
redis.call('HSET', K.players, ARGV[1], cjson.encode(rec))
redis.call('SADD', K.removed, ARGV[1])
redis.call('SREM', K.dirty, ARGV[1])
redis.call('ZREM', K.board, ARGV[1])
local now = tonumber(ARGV[2])
redis.call('RPUSH', K.log, cjson.encode({ k = 'remove', player = ARGV[1], at = now }))
emit({ ARGV[1] }, now, ARGV[3], cjson.decode(ARGV[4]))
redis.call('PUBLISH', ARGV[3], cjson.encode({ t = 'kick', player = ARGV[1] }))
return 'OK'
`,
);

/**
 * A lifecycle transition, compare-and-set on the status.
 * KEYS: meta; ARGV: target status, now, channel, allowed source statuses...
 * Returns {'OK', status} or {'BAD', current status or ''}.
 */
export const transition = new LuaScript(
  'transition',
  `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return { 'BAD', '' } end
for i = 4, #ARGV do
  if ARGV[i] == status then
    redis.call('HSET', KEYS[1], 'status', ARGV[1])
    if ARGV[1] == 'live' and redis.call('HEXISTS', KEYS[1], 'launchedAt') == 0 then
      redis.call('HSET', KEYS[1], 'launchedAt', ARGV[2])
    end
    if ARGV[1] == 'ended' then redis.call('HSET', KEYS[1], 'endedAt', ARGV[2]) end
    redis.call('PUBLISH', ARGV[3], cjson.encode({ t = 'hunt', status = ARGV[1] }))
    return { 'OK', ARGV[1] }
  end
end
return { 'BAD', status }
`,
);

/**
 * Stores one generated puzzle and counts it; the last one turns the hunt \`ready\`.
 * KEYS: meta puzzles solutions hints locations; ARGV: puzzle id, public JSON, solution JSON, hints JSON, channel, location ('' or 'lat,lng,radius')
 * Returns the number done.
 */
export const storePuzzle = new LuaScript(
  'storePuzzle',
  `
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
  redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
  redis.call('HSET', KEYS[4], ARGV[1], ARGV[4])
  if ARGV[6] ~= '' then redis.call('HSET', KEYS[5], ARGV[1], ARGV[6]) end
  redis.call('HINCRBY', KEYS[1], 'genDone', 1)
end
local done = tonumber(redis.call('HGET', KEYS[1], 'genDone'))
local total = tonumber(redis.call('HGET', KEYS[1], 'genTotal'))
if done >= total and redis.call('HGET', KEYS[1], 'status') == 'generating' then
  redis.call('HSET', KEYS[1], 'status', 'ready')
  redis.call('PUBLISH', ARGV[5], cjson.encode({ t = 'hunt', status = 'ready' }))
end
return done
`,
);

/**
 * Generation gave up: the hunt fails with a reason (only while still generating).
 * KEYS: meta; ARGV: reason, channel
 */
export const failGeneration = new LuaScript(
  'failGeneration',
  `
if redis.call('HGET', KEYS[1], 'status') ~= 'generating' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'failed', 'failure', ARGV[1])
redis.call('PUBLISH', ARGV[2], cjson.encode({ t = 'hunt', status = 'failed' }))
return 1
`,
);
