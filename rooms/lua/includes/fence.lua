-- The exactly-once fence of one lane: stream items are applied only when their id is above
-- the last applied. Ids are '<routing epoch>-<ms>-<seq>', compared epoch first.
local function parse_id(id)
  local e, ms, sq = string.match(id, '^(%d+)-(%d+)-(%d+)$')
  return tonumber(e), tonumber(ms), tonumber(sq)
end
local function fence_of(lane)
  local fe, fms, fsq = parse_id(redis.call('HGET', K.applied, lane) or '0-0-0')
  return function(id)
    local e, ms, sq = parse_id(id)
    if e ~= fe then return e > fe end
    if ms ~= fms then return ms > fms end
    return sq > fsq
  end
end
