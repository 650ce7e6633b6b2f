--@keys meta players puzzles solves progress replies attempts cooldown found locations sequence submissions submissionOrder submissionPending teams sockets
-- A judged submission sent over HTTP: free text or a photo (its bytes are stored by the front
-- once this accepts it). Exactly once by request id, as answers are: a repeated id gets its
-- first reply again. Counted against the answer limits of its puzzle.
-- ARGV: player, request id, puzzle, 'text' | 'photo', the text or the photo's file extension,
-- now ms, params JSON
-- Reply (docs/architecture.md, "Script replies"): { 'OK', reply JSON, 1 when new (0: a repeat),
-- pending submissions of the hunt } or { error code, retryAfterMs (0 none) }.
--@include teams
--@include attempts
--@include submit

local p, rid, puzzle, kind, content = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local now = tonumber(ARGV[6])
local S = cjson.decode(ARGV[7])
local window = math.floor(now / S.replyWindowMs)
local repliesNow = K.replies .. ':' .. window
local rkey = p .. ':' .. rid
local previous = redis.call('HGET', repliesNow, rkey) or redis.call('HGET', K.replies .. ':' .. (window - 1), rkey)
if previous then return { 'OK', previous, 0, tonumber(redis.call('HGET', K.meta, 'pendingSubmissions') or '0') } end

local status = redis.call('HGET', K.meta, 'status')
if not status then return { 'HUNT_NOT_FOUND', 0 } end
if not is_active(p) then return { 'PLAYER_REMOVED', 0 } end
if status ~= 'live' then return { 'HUNT_NOT_LIVE', 0 } end
local raw = redis.call('HGET', K.puzzles, puzzle)
if not raw then return { 'PUZZLE_NOT_FOUND', 0 } end
local pz = cjson.decode(raw)
local wanted = kind == 'photo' and 'photo' or 'free'
if pz.type ~= wanted then return { 'VALIDATION_FAILED', 0 } end
if is_closed(puzzle, now) then return { 'PUZZLE_CLOSED', 0 } end
-- in a team hunt the team's progress; the attempt limits stay the player's
local o = owner_of(p)
if lock_of(o, puzzle, now) then return { 'PUZZLE_LOCKED', 0 } end
local skey = owner_key(p, puzzle)
if redis.call('HEXISTS', K.solves, owner_key(o, puzzle)) == 1 then return { 'ALREADY_SOLVED', 0 } end
local refused, wait = take_attempt(skey, now, S)
if refused then return { refused, wait } end
local sid = 's' .. redis.call('HINCRBY', K.meta, 'submissionSeq', 1)
local code
if kind == 'photo' then code = submit(o, p, puzzle, sid, now, S, nil, content) else code = submit(o, p, puzzle, sid, now, S, content, nil) end
if code then return { code, 0 } end
local msg = cjson.encode({ submission = sid, status = 'pending' })
redis.call('HSET', repliesNow, rkey, msg)
redis.call('PEXPIRE', repliesNow, 2 * S.replyWindowMs)
return { 'OK', msg, 1, tonumber(redis.call('HGET', K.meta, 'pendingSubmissions') or '0') }
