/**
 * Lua scripts that change a hunt. Each runs atomically on the hunt's hash slot, so a
 * score change, its idempotency record, the delta with the next `seq` and the publish
 * happen together or not at all.
 */
import { LuaScript } from '../config/index.js';

/**
 * Shared helpers. emit_delta forms the next lb delta for the changed players, logs it
 * (capped) and publishes it. Keys it expects by name in the table K.
 */
const PRELUDE = `
local function player_name(K, p)
  local raw = redis.call('HGET', K.players, p)
  if not raw then return nil, nil end
  local rec = cjson.decode(raw)
  return rec.name, rec
end

local function emit_delta(K, changed, now, channel, loglen)
  if #changed == 0 then return 0 end
  local seq = redis.call('HINCRBY', K.meta, 'seq', 1)
  local changes = {}
  for _, p in ipairs(changed) do
    local name = player_name(K, p) or ''
    local score = redis.call('ZSCORE', K.board, p)
    local entry = { player = p, name = name }
    if score then
      entry.score = tonumber(score)
      entry.rank = redis.call('ZREVRANK', K.board, p) + 1
    else
      entry.score = cjson.null
      entry.rank = cjson.null
    end
    changes[#changes + 1] = entry
  end
  local delta = cjson.encode({ t = 'lb', seq = seq, ts = now, changes = changes })
  redis.call('RPUSH', K.deltas, delta)
  redis.call('LTRIM', K.deltas, -loglen, -1)
  redis.call('PUBLISH', channel, delta)
  return seq
end
`;

/**
 * Applies one batch of stream events of one hunt, in order, exactly once in effect:
 * entries at or below the hunt's applied fence are skipped.
 * KEYS: meta players board solves replies hintsTaken positions log deltas applied puzzles hints moves removed
 * ARGV: items JSON, now ms, hunt channel, node channel prefix, delta log length, hint penalty fraction,
 *       lane ('m' for moves, 'a' for answers and hints: each lane has its own fence in the applied hash)
 * Returns {moves, answers, hints, seq of the delta or 0}.
 */
export const applyEvents = new LuaScript(
  'applyEvents',
  PRELUDE +
    `
local K = { meta = KEYS[1], players = KEYS[2], board = KEYS[3], solves = KEYS[4], replies = KEYS[5],
  hintsTaken = KEYS[6], positions = KEYS[7], log = KEYS[8], deltas = KEYS[9], applied = KEYS[10],
  puzzles = KEYS[11], hints = KEYS[12], moves = KEYS[13], removed = KEYS[14] }
local items = cjson.decode(ARGV[1])
local now = tonumber(ARGV[2])
local channel = ARGV[3]
local nodePrefix = ARGV[4]
local loglen = tonumber(ARGV[5])
local hintFraction = tonumber(ARGV[6])
local lane = ARGV[7]

-- ids are '<routing epoch>-<ms>-<seq>': compared epoch first, then the stream entry id
local function parse_id(id)
  local e, ms, sq = string.match(id, '^(%d+)-(%d+)-(%d+)$')
  return tonumber(e), tonumber(ms), tonumber(sq)
end
local fence = redis.call('HGET', K.applied, lane) or '0-0-0'
local fe, fms, fsq = parse_id(fence)
local function is_new(id)
  local e, ms, sq = parse_id(id)
  if e ~= fe then return e > fe end
  if ms ~= fms then return ms > fms end
  return sq > fsq
end

local status = redis.call('HGET', K.meta, 'status')
local changed, seen = {}, {}
local function mark(p)
  if not seen[p] then seen[p] = true; changed[#changed + 1] = p end
end
local function reply(node, p, msg)
  redis.call('PUBLISH', nodePrefix .. node, cjson.encode({ p = p, m = msg }))
end
local function fail(node, p, ev, code)
  reply(node, p, { t = 'error', id = ev.id, code = code })
end
local function score_of(p)
  return tonumber(redis.call('ZSCORE', K.board, p) or '0')
end

-- player records, decoded once per script run
local recs = {}
local function active_rec(p)
  local r = recs[p]
  if r == nil then
    local _, rec = player_name(K, p)
    r = rec or false
    recs[p] = r
  end
  return r and not r.removed
end
-- moves only leave the last position and a count; fold them per player, write once
local moved, movedOrder = {}, {}
local anyRemoved = redis.call('SCARD', K.removed) > 0

local moves, answers, hints, last = 0, 0, 0, nil
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
          moves = moves + n
        end
      elseif ev.k == 'answer' or ev.k == 'hint' then
        local active = active_rec(p)
        local rkey = p .. ':' .. ev.id
        local previous = redis.call('HGET', K.replies, rkey)
        if previous then
          reply(item.n, p, cjson.decode(previous))
        elseif not active then
          fail(item.n, p, ev, 'PLAYER_REMOVED')
        elseif status ~= 'live' then
          fail(item.n, p, ev, 'HUNT_NOT_LIVE')
        else
          local praw = redis.call('HGET', K.puzzles, ev.puzzle)
          local skey = p .. ':' .. ev.puzzle
          if not praw then
            fail(item.n, p, ev, 'PUZZLE_NOT_FOUND')
          elseif redis.call('HEXISTS', K.solves, skey) == 1 then
            fail(item.n, p, ev, 'ALREADY_SOLVED')
          elseif ev.k == 'answer' then
            local msg
            if ev.correct then
              local points = tonumber(cjson.decode(praw).points)
              redis.call('HSET', K.solves, skey, points)
              local score = tonumber(redis.call('ZINCRBY', K.board, points, p))
              redis.call('RPUSH', K.log, cjson.encode({ k = 'solve', player = p, puzzle = ev.puzzle, points = points, at = now }))
              mark(p)
              msg = { t = 'result', id = ev.id, puzzle = ev.puzzle, correct = true, points = points, score = score }
            else
              msg = { t = 'result', id = ev.id, puzzle = ev.puzzle, correct = false, points = 0, score = score_of(p) }
            end
            redis.call('HSET', K.replies, rkey, cjson.encode(msg))
            reply(item.n, p, msg)
            answers = answers + 1
          else
            local list = cjson.decode(redis.call('HGET', K.hints, ev.puzzle) or '[]')
            local taken = tonumber(redis.call('HGET', K.hintsTaken, skey) or '0')
            if taken >= #list then
              fail(item.n, p, ev, 'NO_MORE_HINTS')
            else
              local points = tonumber(cjson.decode(praw).points)
              local penalty = math.floor(points * hintFraction)
              redis.call('HSET', K.hintsTaken, skey, taken + 1)
              if penalty > 0 then
                redis.call('ZINCRBY', K.board, -penalty, p)
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
end
for _, p in ipairs(movedOrder) do
  local m = moved[p]
  redis.call('HSET', K.positions, p, m.lat .. ',' .. m.lng)
  redis.call('HINCRBY', K.moves, p, m.n)
end
if last then redis.call('HSET', K.applied, lane, last) end
local seq = emit_delta(K, changed, now, channel, loglen)
return { moves, answers, hints, seq }
`,
);

/**
 * A player joins: recorded, put on the board at 0, announced in a delta.
 * KEYS: meta players board deltas; ARGV: player, record JSON, now, channel, loglen
 * Returns the delta seq, or an error code string.
 */
export const joinPlayer = new LuaScript(
  'joinPlayer',
  PRELUDE +
    `
local K = { meta = KEYS[1], players = KEYS[2], board = KEYS[3], deltas = KEYS[4] }
local status = redis.call('HGET', K.meta, 'status')
if not status then return 'HUNT_NOT_FOUND' end
if status == 'ended' or status == 'failed' then return 'HUNT_ENDED' end
redis.call('HSET', K.players, ARGV[1], ARGV[2])
redis.call('ZADD', K.board, 'NX', 0, ARGV[1])
return emit_delta(K, { ARGV[1] }, tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5]))
`,
);

/**
 * The game master adjusts a player's points with a reason.
 * KEYS: meta players board deltas log; ARGV: player, points, reason, now, channel, loglen
 * Returns the new score, or an error code string.
 */
export const adjustScore = new LuaScript(
  'adjustScore',
  PRELUDE +
    `
local K = { meta = KEYS[1], players = KEYS[2], board = KEYS[3], deltas = KEYS[4], log = KEYS[5] }
if redis.call('EXISTS', K.meta) == 0 then return 'HUNT_NOT_FOUND' end
local _, rec = player_name(K, ARGV[1])
if not rec or rec.removed then return 'PLAYER_NOT_FOUND' end
local score = redis.call('ZINCRBY', K.board, ARGV[2], ARGV[1])
local now = tonumber(ARGV[4])
redis.call('RPUSH', K.log, cjson.encode({ k = 'adjust', player = ARGV[1], points = tonumber(ARGV[2]), reason = ARGV[3], at = now }))
emit_delta(K, { ARGV[1] }, now, ARGV[5], tonumber(ARGV[6]))
return score
`,
);

/**
 * The game master removes a player: off the board (a delta with a null score), marked removed, kicked.
 * KEYS: meta players board deltas log removed; ARGV: player, now, channel, loglen
 */
export const removePlayer = new LuaScript(
  'removePlayer',
  PRELUDE +
    `
local K = { meta = KEYS[1], players = KEYS[2], board = KEYS[3], deltas = KEYS[4], log = KEYS[5] }
if redis.call('EXISTS', K.meta) == 0 then return 'HUNT_NOT_FOUND' end
local _, rec = player_name(K, ARGV[1])
if not rec or rec.removed then return 'PLAYER_NOT_FOUND' end
rec.removed = true
redis.call('HSET', K.players, ARGV[1], cjson.encode(rec))
redis.call('SADD', KEYS[6], ARGV[1])
redis.call('ZREM', K.board, ARGV[1])
local now = tonumber(ARGV[2])
redis.call('RPUSH', K.log, cjson.encode({ k = 'remove', player = ARGV[1], at = now }))
emit_delta(K, { ARGV[1] }, now, ARGV[3], tonumber(ARGV[4]))
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
 * Stores one generated puzzle and counts it; the last one turns the hunt `ready`.
 * KEYS: meta puzzles solutions hints; ARGV: puzzle id, public JSON, solution JSON, hints JSON, channel
 * Returns the number done.
 */
export const storePuzzle = new LuaScript(
  'storePuzzle',
  `
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
  redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
  redis.call('HSET', KEYS[4], ARGV[1], ARGV[4])
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
