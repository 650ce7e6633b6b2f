--@keys meta puzzles board solves progress found players hintsTaken hints accepted inbox sequence submissionPending teams
-- Everything the `welcome`s of one or more players of a hunt need, read at once so `seq`
-- matches the board for all of them: the hunt, its puzzles, the top N with names and the hint
-- texts (read once, whatever the number of players), then each player's solves, reaches,
-- score, rank, record, hints taken and accepted answers.
-- A front that holds the puzzles (with their hints and sequencing) as of meta's `puzzlesRev`,
-- or the top as of meta's `seq`, says so, and those are left out: a reconnect then reads little
-- more than its own player's part.
-- Read-only. ARGV: top N, the puzzlesRev the caller holds ('' none), the seq of the top it holds
-- ('' none), then the players. Returns false when the hunt does not exist, else
-- { meta pairs, puzzle pairs (id, JSON) or, when the caller holds them, the puzzle ids alone,
--   top (player, score pairs; {} when held), names of the top (player records; {} when held),
--   hint pairs (puzzle id, JSON array of texts; {} when held), sequence pairs (id, JSON; {}
--   when held), then per player { solved points per puzzle, reached flags per puzzle, score,
--   rank, the player's record (JSON), hints taken per puzzle, accepted answer per puzzle, the
--   inbox fields this player may see (JSON arrays: everyone's, their team's, their own),
--   pending flags per puzzle } }. The per-puzzle lists are sparse, (index, value) pairs for
--   the puzzles where the player has something, index 0-based in the order of the puzzle ids:
--   a new player of a hunt of 200 puzzles gets five empty lists, not 1,000 nils to encode and
--   parse (flags come as value 1).
-- In a team hunt the progress, score and rank read are the player's team's, and the top's names
-- are the teams' records. In a hunt that keeps the set of owners with progress (meta
-- `progressSet`), an owner outside it (a new player) skips the per-puzzle reads.
local meta = redis.call('HGETALL', K.meta)
if #meta == 0 then return false end
local rev, seq, tracked = '0', '0', false
for i = 1, #meta, 2 do
  if meta[i] == 'puzzlesRev' then
    rev = meta[i + 1]
  elseif meta[i] == 'seq' then
    seq = meta[i + 1]
  elseif meta[i] == 'progressSet' then
    tracked = meta[i + 1] == '1'
  end
end
local heldPuzzles = ARGV[2] ~= '' and ARGV[2] == rev
local heldTop = ARGV[3] ~= '' and ARGV[3] == seq
-- HKEYS walks the hash in the order HGETALL does
local ids = redis.call('HKEYS', K.puzzles)
local puzzles = heldPuzzles and ids or redis.call('HGETALL', K.puzzles)
local top = heldTop and {} or redis.call('ZREVRANGE', K.board, 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')
local names = {}
if #top > 0 then
  local ids = {}
  for i = 1, #top, 2 do ids[#ids + 1] = top[i] end
  names = redis.call('HMGET', K.players, unpack(ids))
  if redis.call('EXISTS', K.teams) == 1 then
    local teams = redis.call('HMGET', K.teams, unpack(ids))
    for i = 1, #ids do
      if teams[i] then names[i] = teams[i] end
    end
  end
end
local out = { meta, puzzles, top, names, {}, {} }
if not heldPuzzles then
  out[5] = redis.call('HGETALL', K.hints)
  out[6] = redis.call('HGETALL', K.sequence)
end
local hasInbox = redis.call('EXISTS', K.inbox) == 1
-- (index, value) pairs of a per-puzzle reply where it holds something (HMGET's false, SMISMEMBER's 0: nothing)
local function sparse(list, flag)
  local out = {}
  for i = 1, #list do
    local v = list[i]
    if v and v ~= 0 then
      out[#out + 1] = i - 1
      out[#out + 1] = flag and 1 or v
    end
  end
  return out
end
for a = 4, #ARGV do
  local p = ARGV[a]
  local record = redis.call('HGET', K.players, p)
  local team = record and cjson.decode(record).team
  if type(team) ~= 'string' then team = nil end
  -- whose progress: the team's in a team hunt
  local o = team or p
  local solved, reached, taken, accepted, pending = {}, {}, {}, {}, {}
  -- an owner the hunt's progress set does not hold has none: five lists read for nothing
  if #ids > 0 and (not tracked or redis.call('SISMEMBER', K.progress, o) == 1) then
    local mine = {}
    for _, id in ipairs(ids) do mine[#mine + 1] = o .. ':' .. id end
    solved = sparse(redis.call('HMGET', K.solves, unpack(mine)))
    reached = sparse(redis.call('SMISMEMBER', K.found, unpack(mine)), true)
    taken = sparse(redis.call('HMGET', K.hintsTaken, unpack(mine)))
    accepted = sparse(redis.call('HMGET', K.accepted, unpack(mine)))
    pending = sparse(redis.call('HMGET', K.submissionPending, unpack(mine)), true)
  end
  local inbox = {}
  if hasInbox then
    local fields = { '*', 'p:' .. p }
    if team then fields[#fields + 1] = 't:' .. team end
    for _, v in ipairs(redis.call('HMGET', K.inbox, unpack(fields))) do
      if v then inbox[#inbox + 1] = v end
    end
  end
  out[#out + 1] = { solved, reached, redis.call('ZSCORE', K.board, o), redis.call('ZREVRANK', K.board, o), record, taken, accepted, inbox, pending }
end
return out
