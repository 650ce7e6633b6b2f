--@uses players
--@include once
-- Player records (JSON {name, joinedAt, removed?}), read once per script run.
local recs = {}
local function player_rec(p)
  return json_field_once(recs, K.players, p)
end
local function is_active(p)
  local rec = player_rec(p)
  return rec and not rec.removed
end
