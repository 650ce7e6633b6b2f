--@keys meta players board deltas dirty lastTop log teams sockets
-- The game master adjusts a player's points with a reason (kept in the export log). In a team
-- hunt the points are the team's: ARGV[1] may name a team, or a player whose team it is.
-- ARGV: player (or team), points, reason, now ms, hunt channel, params JSON
-- Tells the player at once: {"t":"adjusted","points","reason","score"} (an extension of v1.2).
-- Reply (docs/architecture.md, "Script replies"): { 'OK', new score, delta seq (-1 when it waits for
-- the tick) } or { error code }.
--@include delta
--@include log
--@include reply
if redis.call('EXISTS', K.meta) == 0 then return { 'HUNT_NOT_FOUND' } end
local owner = ARGV[1]
if not team_rec(owner) then
  if not is_active(owner) then return { 'PLAYER_NOT_FOUND' } end
  owner = owner_of(owner)
end
local score = add_score(owner, tonumber(ARGV[2]))
local now = tonumber(ARGV[4])
local entry = { k = 'adjust', player = ARGV[1], points = tonumber(ARGV[2]), reason = ARGV[3], at = now }
if owner ~= ARGV[1] or team_rec(owner) then entry.team = owner end
log_event(entry)
mark_dirty({ owner })
reply(ARGV[5], owner, { t = 'adjusted', points = tonumber(ARGV[2]), reason = ARGV[3], score = score })
return { 'OK', score, flush(now, ARGV[5], cjson.decode(ARGV[6]), false) }
