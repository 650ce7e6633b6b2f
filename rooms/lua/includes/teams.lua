--@uses teams
--@include players
-- Teams (JSON {name, code, createdAt, members = [player ids]} in K.teams), read once per script
-- run. In a team hunt the board ranks teams and a player's solves, hints and check-ins count
-- for their team: the team is the "owner" of that progress.
local teamRecs = {}
local teamHunt = nil
local function is_team_hunt()
  if teamHunt == nil then teamHunt = redis.call('EXISTS', K.teams) == 1 end
  return teamHunt
end
local function team_rec(t)
  if not is_team_hunt() then return nil end
  return json_field_once(teamRecs, K.teams, t)
end
-- Whose progress and score a player's acts count for: their team's, else their own.
local function owner_of(p)
  local rec = player_rec(p)
  return rec and rec.team or p
end
-- The log entry of an act of `p` that counts for `owner`: it names the team when there is one.
local function with_team(entry, owner, p)
  if owner ~= p then entry.team = owner end
  return entry
end
