--@keys meta puzzles board solves found players
-- Everything a player's `welcome` needs, read at once so `seq` matches the board: the hunt,
-- its puzzles, this player's solves and reaches, the top N with names, the player's score
-- and rank. Read-only. ARGV: player, top N. Returns false when the hunt does not exist, else
-- { meta pairs, puzzle pairs (id, JSON), solved points per puzzle, reached flags per puzzle,
--   top (player, score pairs), names of the top (player records), score, rank }.
local meta = redis.call('HGETALL', K.meta)
if #meta == 0 then return false end
local puzzles = redis.call('HGETALL', K.puzzles)
local mine = {}
for i = 1, #puzzles, 2 do mine[#mine + 1] = ARGV[1] .. ':' .. puzzles[i] end
local solved, reached = {}, {}
if #mine > 0 then
  solved = redis.call('HMGET', K.solves, unpack(mine))
  reached = redis.call('SMISMEMBER', K.found, unpack(mine))
end
local top = redis.call('ZREVRANGE', K.board, 0, tonumber(ARGV[2]) - 1, 'WITHSCORES')
local names = {}
if #top > 0 then
  local ids = {}
  for i = 1, #top, 2 do ids[#ids + 1] = top[i] end
  names = redis.call('HMGET', K.players, unpack(ids))
end
return { meta, puzzles, solved, reached, top, names, redis.call('ZSCORE', K.board, ARGV[1]), redis.call('ZREVRANK', K.board, ARGV[1]) }
