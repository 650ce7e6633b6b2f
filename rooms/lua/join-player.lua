--@keys meta players board deltas dirty lastTop removed names teams teamCodes teamNames
-- Players join, in order: each recorded, put on the board at 0, and marked for the next delta.
-- A front sends the joins of one hunt that arrive in the same moment together (a burst of joins:
-- one call, not one per join), and joins of one tick share one delta.
-- The hunt's passcode (unless the join comes with a key that may run the hunt), its `maxPlayers`
-- (players not removed) and unique display names are checked here, in the same step that counts
-- the player, so concurrent joins cannot pass either bound.
-- In a team hunt (meta `teamMax`) the player creates a team or joins one by its code, checked
-- here too (a full team, an unknown code, a taken team name or code); the team, not the
-- player, is on the board.
-- ARGV: now ms, hunt channel, params JSON, default maxPlayers, the most teams a hunt may have,
--   joins JSON: [{p = player, rec = record JSON, folded = folded name, check = true when the
--   passcode is checked, pass = the passcode given (absent: none), mode = '' | 'new' | 'code',
--   for 'new': tid, tname, tfolded, tcodes (codes to try: the first not in use is taken); for
--   'code': code}] (at most 500)
-- Reply (docs/architecture.md, "Script replies"): { 'OK', delta seq (-1 when the delta waits for
-- the tick), then per join { 'OK', team id or '' } or { error code } } (INTERNAL: every code
-- offered for a new team was in use), or { 'HUNT_NOT_FOUND' } for all of them.
--@include delta
local now = tonumber(ARGV[1])
local status = redis.call('HGET', K.meta, 'status')
if not status then return { 'HUNT_NOT_FOUND' } end
local meta = redis.call('HMGET', K.meta, 'maxPlayers', 'teamMax', 'passcode')
local max = tonumber(meta[1] or ARGV[4])
local teamMax = tonumber(meta[2] or '')
local passcode = meta[3] or ''
local count = redis.call('HLEN', K.players) - redis.call('SCARD', K.removed)

local function join(j)
  if j.check and passcode ~= '' then
    if j.pass == nil then return 'PASSCODE_REQUIRED' end
    if j.pass ~= passcode then return 'PASSCODE_WRONG' end
  end
  if status == 'ended' or status == 'failed' then return 'HUNT_ENDED' end
  if count >= max then return 'HUNT_FULL' end
  local tid, team = '', nil
  if teamMax then
    if j.mode == 'code' then
      tid = redis.call('HGET', K.teamCodes, j.code)
      if not tid then return 'TEAM_NOT_FOUND' end
      team = cjson.decode(redis.call('HGET', K.teams, tid))
      if #team.members >= teamMax then return 'TEAM_FULL' end
    elseif j.mode == 'new' then
      if redis.call('HLEN', K.teams) >= tonumber(ARGV[5]) then return 'HUNT_FULL' end
      if redis.call('HEXISTS', K.teamNames, j.tfolded) == 1 then return 'TEAM_NAME_TAKEN' end
      local tcode = nil
      for _, c in ipairs(j.tcodes) do
        if not tcode and redis.call('HEXISTS', K.teamCodes, c) == 0 then tcode = c end
      end
      if not tcode then return 'INTERNAL' end
      tid = j.tid
      team = { name = j.tname, code = tcode, createdAt = now, members = {} }
    else
      return 'TEAM_REQUIRED'
    end
  end
  if redis.call('HSETNX', K.names, j.folded, j.p) == 0 then return 'NAME_TAKEN' end
  count = count + 1
  if team then
    local rec = cjson.decode(j.rec)
    rec.team = tid
    redis.call('HSET', K.players, j.p, cjson.encode(rec))
    team.members[#team.members + 1] = j.p
    redis.call('HSET', K.teams, tid, cjson.encode(team))
    if j.mode == 'new' then
      redis.call('HSET', K.teamCodes, team.code, tid)
      redis.call('HSET', K.teamNames, j.tfolded, tid)
      set_score(tid, 0)
      mark_dirty({ tid })
    end
  else
    redis.call('HSET', K.players, j.p, j.rec)
    if not redis.call('ZSCORE', K.board, j.p) then set_score(j.p, 0) end
    mark_dirty({ j.p })
  end
  return nil, tid
end

local out = { 'OK', 0 }
for i, j in ipairs(cjson.decode(ARGV[6])) do
  local code, tid = join(j)
  out[i + 2] = code and { code } or { 'OK', tid }
end
out[2] = flush(now, ARGV[2], cjson.decode(ARGV[3]), false)
return out
