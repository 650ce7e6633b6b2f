--@keys meta applied moveSids removed positions moves found solves progress puzzles movedAt checkins locations sequence submissionPending solvers log board players deltas dirty lastTop teams sockets
-- Applies the moves a shard folded in memory since its last flush for one hunt: one write of
-- every player's last position, one read and one write of their move counts (per 500 players,
-- not a command per player), and the located puzzles the shard found within reach (it checks
-- every move against the hunt's locations itself).
-- Exactly once in effect: the moves lane's fence (`m`, or `m.<partition>` for a partition other
-- than the hunt's own when its moves are spread) moves to the last stream item folded in.
-- A flush of many players comes in calls of at most 500 players each (the shard loops), so no
-- call holds the master for long: each call but the last is a part, which leaves the lane's
-- fence alone and records the last item id against each of its players instead (moveSids), so
-- that apply-moves, replaying the entries after a shard died between two parts, skips the moves
-- a part already counted.
-- A reach of a `checkin` puzzle solves it (once, whatever the redeliveries).
-- ARGV: last item id, hunt channel (replies), a JSON array of (player, "lat,lng", moves) three
-- values a player, for distinct players (the shard folds by player), now ms (the positions'
-- time), params JSON, lane, 'last' or 'part' (more calls of this flush follow) or 'lastof'
-- (the last call of a flush in parts: players' ids recorded too), then (player, puzzle, node)
-- for each reach to check
-- Returns { moves applied, puzzles found, delta seq (0 none, -1 waiting for the tick), { reaches
-- refused for now (`player:puzzle`: a check-in still locked) } }.
--@include fence
--@include reply
--@include delta
--@include checkin

if redis.call('EXISTS', K.meta) == 0 then return { 0, 0, 0, {} } end
local lane = ARGV[6]
if not fence_of(lane)(ARGV[1]) then return { 0, 0, 0, {} } end
local inParts = ARGV[7] ~= 'last'
local now = tonumber(ARGV[4])
local S = cjson.decode(ARGV[5])
local status = redis.call('HGET', K.meta, 'status')
local changed, refused = {}, {}
local replyChannel = ARGV[2]
local folded = cjson.decode(ARGV[3])
local players = #folded / 3
local anyRemoved = redis.call('SCARD', K.removed) > 0
local moves, found = 0, 0
-- per chunk: the players, their positions and their new moves; unpack stays far below Lua's stack limit
local names, fields, added, times, sids = {}, {}, {}, {}, {}
local function write_chunk()
  if #names == 0 then return end
  redis.call('HSET', K.positions, unpack(fields))
  redis.call('HSET', K.movedAt, unpack(times))
  if inParts then redis.call('HSET', K.moveSids, unpack(sids)) end
  local counts = redis.call('HMGET', K.moves, unpack(names))
  local out = {}
  for k, p in ipairs(names) do
    out[#out + 1] = p
    out[#out + 1] = (tonumber(counts[k]) or 0) + added[k]
  end
  redis.call('HSET', K.moves, unpack(out))
  names, fields, added, times, sids = {}, {}, {}, {}, {}
end
for i = 0, players - 1 do
  local at = 1 + i * 3
  local p = folded[at]
  if not anyRemoved or redis.call('SISMEMBER', K.removed, p) == 0 then
    local n = tonumber(folded[at + 2])
    names[#names + 1] = p
    added[#added + 1] = n
    fields[#fields + 1] = p
    fields[#fields + 1] = folded[at + 1]
    times[#times + 1] = p
    times[#times + 1] = now
    sids[#sids + 1] = p
    sids[#sids + 1] = ARGV[1]
    moves = moves + n
    if #names >= 500 then write_chunk() end
  end
end
write_chunk()
for at = 8, #ARGV, 3 do
  local p, puzzle = ARGV[at], ARGV[at + 1]
  if not anyRemoved or redis.call('SISMEMBER', K.removed, p) == 0 then
    if redis.call('HEXISTS', K.checkins, puzzle) == 1 then
      -- the shard remembers refusals by player
      if check_in(replyChannel, p, puzzle, now, S, status, changed) == 'refused' then refused[#refused + 1] = p .. ':' .. puzzle end
    else
      -- a team's member reaching it opens it for the whole team
      local o = owner_of(p)
      local raw = redis.call('HGET', K.puzzles, puzzle)
      if raw and redis.call('SADD', K.found, owner_key(o, puzzle)) == 1 then
        redis.call('SADD', K.progress, o)
        found = found + 1
        reply(replyChannel, o, { t = 'found', puzzle = view_of(o, puzzle, raw, now) })
      end
    end
  end
end
if ARGV[7] ~= 'part' then redis.call('HSET', K.applied, lane, ARGV[1]) end
local seq = 0
if #changed > 0 then
  mark_dirty(changed)
  seq = flush(now, replyChannel, S, false)
end
return { moves, found, seq, refused }
