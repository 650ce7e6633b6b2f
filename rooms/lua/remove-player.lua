--@keys meta players board deltas dirty lastTop log removed teams
-- The game master removes a player: off the board (the next delta shows a null score), marked
-- removed so nothing of theirs applies again, and kicked from every front node. In a team hunt
-- the player leaves the team (it keeps its score and place on the board; `leftTeam` remembers
-- which it was, for the export).
-- ARGV: player, now ms, hunt channel, params JSON
-- Reply (docs/architecture.md, "Script replies"): { 'OK', delta seq (-1 when it waits for the tick) } or
-- { error code }.
--@include delta
--@include log
if redis.call('EXISTS', K.meta) == 0 then return { 'HUNT_NOT_FOUND' } end
local rec = player_rec(ARGV[1])
if not rec or rec.removed then return { 'PLAYER_NOT_FOUND' } end
rec.removed = true
local team = rec.team
local now = tonumber(ARGV[2])
local entry = { k = 'remove', player = ARGV[1], at = now }
if team then
  local t = team_rec(team)
  if t then
    local kept = {}
    for _, m in ipairs(t.members) do
      if m ~= ARGV[1] then kept[#kept + 1] = m end
    end
    t.members = kept
    redis.call('HSET', K.teams, team, cjson.encode(t))
  end
  rec.team = nil
  rec.leftTeam = team
  entry.team = team
else
  redis.call('ZREM', K.board, ARGV[1])
  mark_dirty({ ARGV[1] })
end
redis.call('HSET', K.players, ARGV[1], cjson.encode(rec))
redis.call('SADD', K.removed, ARGV[1])
log_event(entry)
redis.call('SPUBLISH', ARGV[3], cjson.encode({ t = 'kick', player = ARGV[1] }))
return { 'OK', flush(now, ARGV[3], cjson.decode(ARGV[4]), false) }
