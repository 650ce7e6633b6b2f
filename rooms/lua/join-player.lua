--@keys meta players board deltas dirty lastTop removed names teams teamCodes teamNames
-- A player joins: recorded, put on the board at 0, and marked for the next delta. Joins of one
-- tick share one delta (a mass join costs O(N) frames per client, not one delta per join).
-- The hunt's `maxPlayers` (players not removed) and unique display names are checked here, in
-- the same step that counts the player, so concurrent joins cannot pass either bound.
-- In a team hunt (meta `teamMax`) the player creates a team or joins one by its code, checked
-- here too (a full team, an unknown code, a taken team name or code); the team, not the
-- player, is on the board.
-- ARGV: player, record JSON, now ms, hunt channel, params JSON, folded name, default maxPlayers,
--   team mode ('' none, 'new', 'code'), then for 'new': team id, team name, folded team name,
--   team code; for 'code': the code; then the most teams a hunt may have
-- Returns { delta seq (-1 when the delta waits for the tick), team id or '' }, or an error code
-- ('CODE_TAKEN': the new team's code is in use; the caller tries another).
--@include delta
local status = redis.call('HGET', K.meta, 'status')
if not status then return 'HUNT_NOT_FOUND' end
if status == 'ended' or status == 'failed' then return 'HUNT_ENDED' end
local max = tonumber(redis.call('HGET', K.meta, 'maxPlayers') or ARGV[7])
if redis.call('HLEN', K.players) - redis.call('SCARD', K.removed) >= max then return 'HUNT_FULL' end
local teamMax = tonumber(redis.call('HGET', K.meta, 'teamMax') or '')
local mode = ARGV[8]
local tid, team = '', nil
if teamMax then
  if mode == 'code' then
    tid = redis.call('HGET', K.teamCodes, ARGV[9])
    if not tid then return 'TEAM_NOT_FOUND' end
    team = cjson.decode(redis.call('HGET', K.teams, tid))
    if #team.members >= teamMax then return 'TEAM_FULL' end
  elseif mode == 'new' then
    if redis.call('HLEN', K.teams) >= tonumber(ARGV[13]) then return 'HUNT_FULL' end
    if redis.call('HEXISTS', K.teamNames, ARGV[11]) == 1 then return 'TEAM_NAME_TAKEN' end
    if redis.call('HEXISTS', K.teamCodes, ARGV[12]) == 1 then return 'CODE_TAKEN' end
    tid = ARGV[9]
    team = { name = ARGV[10], code = ARGV[12], createdAt = tonumber(ARGV[3]), members = {} }
  else
    return 'TEAM_REQUIRED'
  end
end
if redis.call('HSETNX', K.names, ARGV[6], ARGV[1]) == 0 then return 'NAME_TAKEN' end
if team then
  local rec = cjson.decode(ARGV[2])
  rec.team = tid
  redis.call('HSET', K.players, ARGV[1], cjson.encode(rec))
  team.members[#team.members + 1] = ARGV[1]
  redis.call('HSET', K.teams, tid, cjson.encode(team))
  if mode == 'new' then
    redis.call('HSET', K.teamCodes, team.code, tid)
    redis.call('HSET', K.teamNames, ARGV[11], tid)
    set_score(tid, 0)
    mark_dirty({ tid })
  end
else
  redis.call('HSET', K.players, ARGV[1], ARGV[2])
  if not redis.call('ZSCORE', K.board, ARGV[1]) then set_score(ARGV[1], 0) end
  mark_dirty({ ARGV[1] })
end
return { flush(tonumber(ARGV[3]), ARGV[4], cjson.decode(ARGV[5]), false), tid }
