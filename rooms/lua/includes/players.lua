-- Player records (JSON {name, joinedAt, removed?}), read once per script run.
local recs = {}
local function player_rec(p)
  local r = recs[p]
  if r == nil then
    local raw = redis.call('HGET', K.players, p)
    r = raw and cjson.decode(raw) or false
    recs[p] = r
  end
  return r or nil
end
local function is_active(p)
  local rec = player_rec(p)
  return rec and not rec.removed
end
