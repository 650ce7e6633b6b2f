--@keys meta players board solves progress replies hintsTaken log deltas applied puzzles hints dirty lastTop solvers attempts cooldown locations found dead accepted messages pace sequence submissions submissionOrder submissionPending teams sockets
-- Applies the answers and hints of one batch of stream items of one hunt, in order, exactly
-- once in effect (the 'a' lane's fence). Verdicts come with the events (`correct`, or `dead`
-- when verification failed for good). A request id seen before gets its first reply again,
-- for S.replyWindowMs to twice that: replies are kept in a hash per window (K.replies, then
-- ':' and the window's number; same hash tag, same slot), read in this window and the one
-- before, and each hash expires once neither reads it.
-- Each event kind has its handler in KINDS (the kinds of the 'answers' lane in
-- protocol/message-kinds.ts); a batch holding any other kind is refused whole, before any
-- write, so the consumer isolates that event as a dead letter (EVENT_UNPROCESSABLE).
-- ARGV: items JSON [{sid, n = node, ev = [...]}], now ms, hunt channel (deltas and replies), params JSON
-- Returns { delta seq (0 none, -1 waiting for the tick), dead letters, kind, applied, kind, applied, ... }.
--@include fence
--@include reply
--@include delta
--@include once
--@include log
--@include solve
--@include attempts
--@include submit
--@include teams

local items = cjson.decode(ARGV[1])
local now = tonumber(ARGV[2])
local channel = ARGV[3]
local replyChannel = channel
local S = cjson.decode(ARGV[4])
local is_new = fence_of('a')
local window = math.floor(now / S.replyWindowMs)
local repliesNow = K.replies .. ':' .. window
local repliesBefore = K.replies .. ':' .. (window - 1)
local repliesWritten = false

local status = redis.call('HGET', K.meta, 'status')
-- set by a correct answer: { player, puzzle }, for the puzzles that wait on it
local solvedNow = nil
local changed = {}
local function mark(p) changed[#changed + 1] = p end
-- Puzzles, read and decoded once per run.
local puzzles = {}
local function puzzle_of(id)
  return json_field_once(puzzles, K.puzzles, id)
end
-- Answers checked and solves in this run, added to the hunt's pace at the end (the console's figures).
local paced = { a = 0, s = 0 }

-- Scores one checked answer: attempt window, cooldown, points with decay and bonus. An answer
-- to a `free` puzzle is a submission for a game master instead. `o` is whose progress and score
-- it counts for (the team's, in a team hunt), `okey` that progress's field; `skey` is the
-- player's own field: attempts and cooldowns stay the player's.
local function answer(node, p, ev, pz, skey, o, okey)
  if ev.dead then
    redis.call('LPUSH', K.dead, cjson.encode({ player = p, puzzle = ev.puzzle, id = ev.id, reason = ev.dead, at = now }))
    redis.call('LTRIM', K.dead, 0, 99)
    redis.call('HINCRBY', K.meta, 'deadLetters', 1)
    fail(replyChannel, p, ev, 'VERIFICATION_FAILED')
    return 'dead'
  end
  if pz.type == 'photo' or pz.type == 'checkin' then
    local how = pz.type == 'photo' and 'a photo goes to POST /api/hunts/:id/submissions' or 'a check-in is solved by reaching its place'
    fail(replyChannel, p, ev, 'VALIDATION_FAILED', { message = how })
    return nil
  end
  local refused, wait = take_attempt(skey, now, S)
  if refused then
    fail(replyChannel, p, ev, refused, { retryAfterMs = wait })
    return nil
  end
  if pz.type == 'free' then
    local sid = 's' .. redis.call('HINCRBY', K.meta, 'submissionSeq', 1)
    local text = ev.judged and ev.answer or ''
    local code = submit(o, p, ev.puzzle, sid, now, S, text, nil)
    if code then
      fail(replyChannel, p, ev, code)
      return nil
    end
    return { t = 'result', id = ev.id, puzzle = ev.puzzle, pending = true }
  end
  paced.a = paced.a + 1
  if ev.correct then paced.s = paced.s + 1 end
  local msg
  if ev.correct then
    local points, earned, bonus, solver = solve_points(pz, ev.puzzle, now, S)
    local score = record_solve(o, ev.puzzle, points, with_team({ k = 'solve', player = p, puzzle = ev.puzzle, points = points, base = earned, bonus = bonus, solver = solver, at = now }, o, p))
    -- the answer as sent, so a later `welcome` can show the solved state
    if type(ev.answer) == 'string' then redis.call('HSET', K.accepted, okey, ev.answer) end
    mark(o)
    msg = { t = 'result', id = ev.id, puzzle = ev.puzzle, correct = true, points = points, score = score }
    solvedNow = { o, ev.puzzle }
    tell_team(replyChannel, o, p, ev.puzzle)
  else
    local penalty = S.wrongAnswerPenalty
    local score = score_of(o)
    if penalty > 0 then
      score = add_score(o, -penalty)
      log_event(with_team({ k = 'wrong', player = p, puzzle = ev.puzzle, points = -penalty, at = now }, o, p))
      mark(o)
    end
    if S.wrongAnswerCooldownMs > 0 then redis.call('HSET', K.cooldown, skey, now + S.wrongAnswerCooldownMs) end
    msg = { t = 'result', id = ev.id, puzzle = ev.puzzle, correct = false, points = -penalty, score = score }
  end
  return msg
end

-- Gives the next hint, its cost taken from the score (the team's hints and score, in a team hunt).
local function hint(node, p, ev, pz, skey, o, okey)
  local list = cjson.decode(redis.call('HGET', K.hints, ev.puzzle) or '[]')
  local taken = tonumber(redis.call('HGET', K.hintsTaken, okey) or '0')
  if taken >= #list then
    fail(replyChannel, p, ev, 'NO_MORE_HINTS')
    return nil
  end
  local penalty = hint_cost(pz, S)
  redis.call('HSET', K.hintsTaken, okey, taken + 1)
  redis.call('SADD', K.progress, o)
  if penalty > 0 then
    add_score(o, -penalty)
    mark(o)
  end
  log_event(with_team({ k = 'hint', player = p, puzzle = ev.puzzle, points = -penalty, at = now }, o, p))
  return { t = 'hint', id = ev.id, puzzle = ev.puzzle, text = list[taken + 1], penalty = penalty }
end

-- A player's message to the game masters: appended to the hunt's message log (the newest
-- S.messageLogMax kept) and published for the consoles, which front nodes never pass to players.
local function help(node, p, ev)
  local rec = player_rec(p)
  local entry = { id = 'help-' .. redis.call('HINCRBY', K.meta, 'helpSeq', 1), kind = 'help', from = { player = p, name = rec.name or '' }, text = ev.text, at = now }
  redis.call('RPUSH', K.messages, cjson.encode(entry))
  redis.call('LTRIM', K.messages, -S.messageLogMax, -1)
  entry.t = 'help'
  redis.call('SPUBLISH', channel, cjson.encode(entry))
  return { t = 'ack', id = ev.id }
end

local LIVE = { live = true }
local OPEN = { ready = true, live = true, paused = true }

-- The handlers of the lane, by event kind. `puzzle`: the event names a puzzle, which must
-- exist, be reached and be unsolved before `run` is called; `when`: the hunt statuses it is
-- taken in (else HUNT_NOT_LIVE). `run` returns the reply to store and send, nil when it
-- refused (and replied), or 'dead'.
local KINDS = {
  answer = { puzzle = true, when = LIVE, run = answer },
  hint = { puzzle = true, when = LIVE, run = hint },
  help = { puzzle = false, when = OPEN, run = help },
}

-- An unknown kind is refused before anything is written: never applied as some other kind.
for _, item in ipairs(items) do
  for _, ev in ipairs(item.ev) do
    if KINDS[ev.k] == nil then error('EVENT_UNPROCESSABLE: unknown event kind ' .. tostring(ev.k)) end
  end
end

local applied, dead, last = {}, 0, nil

-- One event: a repeated request id gets its first reply again.
local function apply_event(item, ev)
  local kind = KINDS[ev.k]
  local p = ev.p
  -- the node that accepted the entry holds the socket it came on: its replies go there too
  reply_from.p, reply_from.n = p, item.n
  local rkey = p .. ':' .. ev.id
  local previous = redis.call('HGET', repliesNow, rkey) or redis.call('HGET', repliesBefore, rkey)
  local pz, skey, o, okey = nil, nil, p, nil
  if kind.puzzle then
    o = owner_of(p)
    skey = owner_key(p, ev.puzzle)
    okey = owner_key(o, ev.puzzle)
    pz = puzzle_of(ev.puzzle)
  end
  if previous then
    reply(replyChannel, p, cjson.decode(previous))
    return
  elseif not is_active(p) then
    fail(replyChannel, p, ev, 'PLAYER_REMOVED')
    return
  elseif not kind.when[status] then
    fail(replyChannel, p, ev, 'HUNT_NOT_LIVE')
    return
  elseif kind.puzzle then
    if not pz then
      fail(replyChannel, p, ev, 'PUZZLE_NOT_FOUND')
      return
    elseif is_closed(ev.puzzle, now) then
      fail(replyChannel, p, ev, 'PUZZLE_CLOSED')
      return
    elseif lock_of(o, ev.puzzle, now) then
      fail(replyChannel, p, ev, 'PUZZLE_LOCKED')
      return
    elseif redis.call('HEXISTS', K.solves, okey) == 1 then
      fail(replyChannel, p, ev, 'ALREADY_SOLVED')
      return
    end
  end
  local msg = kind.run(item.n, p, ev, pz, skey, o, okey)
  if msg == 'dead' then
    dead = dead + 1
  elseif msg then
    redis.call('HSET', repliesNow, rkey, cjson.encode(msg))
    repliesWritten = true
    reply(replyChannel, p, msg)
    applied[ev.k] = (applied[ev.k] or 0) + 1
    if solvedNow then
      announce_after_solve(replyChannel, solvedNow[1], solvedNow[2], now)
      solvedNow = nil
    end
  end
end

last = each_new_event(items, is_new, apply_event)
if last then redis.call('HSET', K.applied, 'a', last) end
if repliesWritten then redis.call('PEXPIRE', repliesNow, 2 * S.replyWindowMs) end
-- the pace keeps this minute's counts and the last minute's: five fields, whatever the hunt's length
if paced.a > 0 then
  local minute = math.floor(now / 60000)
  local at = tonumber(redis.call('HGET', K.pace, 'm') or '-1')
  if at ~= minute then
    local was = at == minute - 1 and redis.call('HMGET', K.pace, 'a', 's') or {}
    redis.call('HSET', K.pace, 'm', minute, 'a', 0, 's', 0, 'pa', tonumber(was[1] or '0'), 'ps', tonumber(was[2] or '0'))
  end
  redis.call('HINCRBY', K.pace, 'a', paced.a)
  if paced.s > 0 then redis.call('HINCRBY', K.pace, 's', paced.s) end
end
mark_dirty(changed)
local seq = flush(now, channel, S, false)
local out = { seq, dead }
for k, n in pairs(applied) do
  out[#out + 1] = k
  out[#out + 1] = n
end
return out
