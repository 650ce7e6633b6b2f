/**
 * Lua scripts that change a hunt. Each runs atomically on the hunt's hash slot, so a score
 * change, its idempotency record, the delta with the next `seq` and the publish happen
 * together or not at all. Every hunt script gets the hunt's keys in HUNT_KEY_ORDER.
 */
import { LuaScript } from '../config/index.js';
import { PRELUDE } from './lua-prelude.js';

export { decodeScore, huntKeyList, HUNT_KEY_ORDER, type ScriptParams } from './lua-prelude.js';

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
