--@keys meta applied removed positions moves found solves puzzles movedAt
-- Applies the moves a shard folded in memory since its last flush for one hunt: one write of
-- every player's last position, one read and one write of their move counts (per 500 players,
-- not a command per player), and the located puzzles the shard found within reach (it checks
-- every move against the hunt's locations itself).
-- Exactly once in effect: the 'm' lane's fence moves to the last stream item folded in.
-- ARGV: last item id, hunt channel (replies), a JSON array of (player, "lat,lng", moves) three
-- values a player, for distinct players (the shard folds by player), now ms (the positions'
-- time), then (player, puzzle, node) for each reach to check
-- Returns { moves applied, puzzles found }.
--@include fence
--@include reply

if redis.call('EXISTS', K.meta) == 0 then return { 0, 0 } end
if not fence_of('m')(ARGV[1]) then return { 0, 0 } end
local replyChannel = ARGV[2]
local folded = cjson.decode(ARGV[3])
local now = ARGV[4]
local players = #folded / 3
local anyRemoved = redis.call('SCARD', K.removed) > 0
local moves, found = 0, 0
-- per chunk: the players, their positions and their new moves; unpack stays far below Lua's stack limit
local names, fields, added, times = {}, {}, {}, {}
local function write_chunk()
  if #names == 0 then return end
  redis.call('HSET', K.positions, unpack(fields))
  redis.call('HSET', K.movedAt, unpack(times))
  local counts = redis.call('HMGET', K.moves, unpack(names))
  local out = {}
  for k, p in ipairs(names) do
    out[#out + 1] = p
    out[#out + 1] = (tonumber(counts[k]) or 0) + added[k]
  end
  redis.call('HSET', K.moves, unpack(out))
  names, fields, added, times = {}, {}, {}, {}
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
    moves = moves + n
    if #names >= 500 then write_chunk() end
  end
end
write_chunk()
for at = 5, #ARGV, 3 do
  local p, puzzle, node = ARGV[at], ARGV[at + 1], ARGV[at + 2]
  local fkey = p .. ':' .. puzzle
  local raw = redis.call('HGET', K.puzzles, puzzle)
  if raw and (not anyRemoved or redis.call('SISMEMBER', K.removed, p) == 0) and redis.call('SADD', K.found, fkey) == 1 then
    found = found + 1
    reply(replyChannel, p, { t = 'found', puzzle = public_puzzle(raw, redis.call('HEXISTS', K.solves, fkey) == 1) })
  end
end
redis.call('HSET', K.applied, 'm', ARGV[1])
return { moves, found }
