--@keys meta applied moveSids removed positions moves locations found solves progress puzzles movedAt checkins sequence submissionPending solvers log board players deltas dirty lastTop teams sockets
-- Applies the moves of one batch of stream items of one hunt, exactly once in effect (the
-- moves lane's fence: `m`, or `m.<partition>` for a partition other than the hunt's own): each
-- player's last position, its time and move count, and the located puzzles a move brings the
-- player (team) within reach of; a `checkin` puzzle reached is solved (once). A player's move at
-- or before the item id a part of a flush recorded for them (moveSids, see flush-moves.lua) was
-- counted already and is skipped.
-- ARGV: items JSON [{sid, n = node, ev = [{p, lat, lng, n?}]}], hunt channel (replies), now ms,
-- params JSON, lane
-- Returns { moves applied }.
--@include fence
--@include reply
--@include delta
--@include checkin

-- moves for a hunt that does not exist (a foreign writer) leave no keys behind
if redis.call('EXISTS', K.meta) == 0 then return { 0 } end
local items = cjson.decode(ARGV[1])
local replyChannel = ARGV[2]
local now = tonumber(ARGV[3])
local S = cjson.decode(ARGV[4])
local status = redis.call('HGET', K.meta, 'status')
local changed = {}
local lane = ARGV[5]
local is_new = fence_of(lane)

-- item id a after item id b, both '<epoch>-<ms>-<seq>[-<k>]'
local function id_after(a, b)
  local ae, ams, asq, asub = parse_id(a)
  local be, bms, bsq, bsub = parse_id(b)
  if ae ~= be then return ae > be end
  if ams ~= bms then return ams > bms end
  if asq ~= bsq then return asq > bsq end
  return asub > bsub
end
-- per player, the item id a part of a flush recorded (false: none); read only when any was recorded
local anySids = redis.call('HLEN', K.moveSids) > 0
local sidOf = {}
local function counted_before(p, sid)
  if not anySids then return false end
  if sidOf[p] == nil then sidOf[p] = redis.call('HGET', K.moveSids, p) or false end
  return sidOf[p] ~= false and not id_after(sid, sidOf[p])
end

local function distance_m(lat1, lng1, lat2, lng2)
  local r = math.pi / 180
  local dlat = (lat2 - lat1) * r
  local dlng = (lng2 - lng1) * r
  local a = math.sin(dlat / 2) ^ 2 + math.cos(lat1 * r) * math.cos(lat2 * r) * math.sin(dlng / 2) ^ 2
  return 2 * 6371000 * math.asin(math.min(1, math.sqrt(a)))
end

local moved, order = {}, {}
local anyRemoved = redis.call('SCARD', K.removed) > 0
local moves = 0
local last = each_new_event(items, is_new, function(item, ev)
  local p = ev.p
  -- a move carries n > 1 when the front folded several of one player's moves
  if (not anyRemoved or redis.call('SISMEMBER', K.removed, p) == 0) and not counted_before(p, item.sid) then
    local n = tonumber(ev.n) or 1
    local m = moved[p]
    if not m then
      m = { n = 0 }
      moved[p] = m
      order[#order + 1] = p
    end
    m.n = m.n + n
    m.lat = ev.lat
    m.lng = ev.lng
    m.node = item.n
    moves = moves + n
  end
end)

local function near(m, where)
  local lat, lng, radius = string.match(where, '^([^,]+),([^,]+),([^,]+)$')
  return lat ~= nil and distance_m(m.lat, m.lng, tonumber(lat), tonumber(lng)) <= tonumber(radius)
end

local places, checkins = nil, nil
for _, p in ipairs(order) do
  local m = moved[p]
  redis.call('HSET', K.positions, p, m.lat .. ',' .. m.lng)
  redis.call('HSET', K.movedAt, p, ARGV[3])
  redis.call('HINCRBY', K.moves, p, m.n)
  if places == nil then
    places = redis.call('HGETALL', K.locations)
    checkins = redis.call('HGETALL', K.checkins)
  end
  -- a team's member reaching it opens it for the whole team
  local o = owner_of(p)
  for i = 1, #places, 2 do
    local puzzle = places[i]
    -- the distance first: a Redis call only for a place within reach, not for every place
    if near(m, places[i + 1]) and redis.call('SADD', K.found, owner_key(o, puzzle)) == 1 then
      redis.call('SADD', K.progress, o)
      local raw = redis.call('HGET', K.puzzles, puzzle)
      if raw then reply(replyChannel, o, { t = 'found', puzzle = view_of(o, puzzle, raw, now) }) end
    end
  end
  for i = 1, #checkins, 2 do
    if near(m, checkins[i + 1]) then check_in(replyChannel, p, checkins[i], now, S, status, changed) end
  end
end
if last then redis.call('HSET', K.applied, lane, last) end
if #changed > 0 then
  mark_dirty(changed)
  flush(now, replyChannel, S, false)
end
return { moves }
