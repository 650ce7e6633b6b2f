--@keys meta players board deltas dirty lastTop log puzzles solves progress solvers found locations sequence submissions submissionPending teams sockets
-- A game master's decision on a judged submission, once: the first approve or reject wins, any
-- later one is ALREADY_REVIEWED (two game masters clicking at once score once). An approval
-- scores the player (team) and opens what waited on the puzzle; a rejection lets them submit
-- again. The player hears {t = 'review'} at once.
-- ARGV: submission id, 'approve' | 'reject', points ('' = the puzzle's), reason ('' none), now ms,
-- hunt channel, params JSON
-- An approval of a player who was removed meanwhile rejects instead.
-- Reply (docs/architecture.md, "Script replies"): { 'OK', points, score, delta seq (-1 waiting for
-- the tick, 0 none), pending left, the status given } or { error code }.
--@include delta
--@include solve
--@include teams

local sid, decision, reason = ARGV[1], ARGV[2], ARGV[4]
local now, channel = tonumber(ARGV[5]), ARGV[6]
local S = cjson.decode(ARGV[7])
if redis.call('EXISTS', K.meta) == 0 then return { 'HUNT_NOT_FOUND' } end
local raw = redis.call('HGET', K.submissions, sid)
if not raw then return { 'SUBMISSION_NOT_FOUND' } end
local sub = cjson.decode(raw)
if sub.status ~= 'pending' then return { 'ALREADY_REVIEWED' } end
local owner = sub.owner or sub.player
redis.call('HDEL', K.submissionPending, owner_key(owner, sub.puzzle))
local pending = redis.call('HINCRBY', K.meta, 'pendingSubmissions', -1)
sub.reviewedAt = now
local points, score, seq = 0, score_of(owner), 0
local pzraw = redis.call('HGET', K.puzzles, sub.puzzle)
if decision == 'approve' and pzraw and not is_solved(owner, sub.puzzle) and is_active(sub.player) then
  local pz = cjson.decode(pzraw)
  points = tonumber(ARGV[3]) or base_points(pz, S)
  score = record_solve(owner, sub.puzzle, points, { k = 'solve', player = sub.player, puzzle = sub.puzzle, points = points, base = points, bonus = 0, submission = sid, at = now })
  sub.status = 'approved'
  sub.points = points
  mark_dirty({ owner })
  seq = flush(now, channel, S, false)
  reply(channel, sub.player, { t = 'review', puzzle = sub.puzzle, approved = true, points = points, score = score })
  tell_team(channel, owner, sub.player, sub.puzzle)
  announce_after_solve(channel, owner, sub.puzzle, now)
else
  sub.status = 'rejected'
  if reason ~= '' then sub.reason = reason end
  local msg = { t = 'review', puzzle = sub.puzzle, approved = false, points = 0, score = score }
  if reason ~= '' then msg.reason = reason end
  reply(channel, sub.player, msg)
end
redis.call('HSET', K.submissions, sid, cjson.encode(sub))
return { 'OK', points, score, seq, pending, sub.status }
