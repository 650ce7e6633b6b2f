--@keys meta applied removed positions moves found solves puzzles
-- Applies the moves a shard folded in memory since its last flush for one hunt: one write of
-- every player's last position, one count increment per player, and the located puzzles the
-- shard found within reach (it checks every move against the hunt's locations itself).
-- Exactly once in effect: the 'm' lane's fence moves to the last stream item folded in.
-- ARGV: last item id, hunt channel (replies), player count P, then P times (player, lat, lng, moves,
-- node), then (player, puzzle, node) for each reach to check
-- Returns { moves applied, puzzles found }.
--@include fence
--@include reply

if redis.call('EXISTS', K.meta) == 0 then return { 0, 0 } end
if not fence_of('m')(ARGV[1]) then return { 0, 0 } end
local replyChannel = ARGV[2]
local players = tonumber(ARGV[3])
local anyRemoved = redis.call('SCARD', K.removed) > 0
local moves, found = 0, 0
local fields = {}
local function write_positions()
  if #fields > 0 then redis.call('HSET', K.positions, unpack(fields)) end
  fields = {}
end
for i = 0, players - 1 do
  local at = 4 + i * 5
  local p = ARGV[at]
  if not anyRemoved or redis.call('SISMEMBER', K.removed, p) == 0 then
    local n = tonumber(ARGV[at + 3])
    fields[#fields + 1] = p
    fields[#fields + 1] = ARGV[at + 1] .. ',' .. ARGV[at + 2]
    redis.call('HINCRBY', K.moves, p, n)
    moves = moves + n
    -- unpack stays far below Lua's stack limit
    if #fields >= 1000 then write_positions() end
  end
end
write_positions()
for at = 4 + players * 5, #ARGV, 3 do
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
