--@uses found locations meta puzzles sequence solves submissionPending
-- A puzzle as one player (or team) sees it now: locked by its opening time, its `after` puzzles
-- or its location, closed once its closing time passed. Uses K.meta, K.sequence, K.solves,
-- K.found, K.locations and K.submissionPending. rooms/puzzle-view.ts holds the same rules for
-- the welcome.
--@include once
--@include reply

-- The field of a player's (team's) progress on a puzzle; rooms/keys.ts `ownerKey` is the same.
local function owner_key(owner, puzzle)
  return owner .. ':' .. puzzle
end

local sequences = {}
-- {a = ids to solve first, o = opensAfterS, c = closesAfterS}, or nil
local function sequence_of(puzzle)
  return json_field_once(sequences, K.sequence, puzzle)
end

local launched = nil
-- epoch ms of the launch, or false before it
local function launched_at()
  if launched == nil then launched = tonumber(redis.call('HGET', K.meta, 'launchedAt') or '') or false end
  return launched
end

local function time_of(seconds)
  local l = launched_at()
  if not l or seconds == nil then return nil end
  return l + seconds * 1000
end

local located = {}
-- whether a puzzle is locked until reached, read once per run
local function is_located(puzzle)
  local at = located[puzzle]
  if at == nil then
    at = redis.call('HEXISTS', K.locations, puzzle) == 1
    located[puzzle] = at
  end
  return at
end

local function is_solved(owner, puzzle)
  return redis.call('HEXISTS', K.solves, owner_key(owner, puzzle)) == 1
end

-- Why `owner` cannot open `puzzle` at `now` ('time', 'after', 'location'), or nil. A nil owner
-- stands for a player with no progress at all.
local function lock_of(owner, puzzle, now)
  local s = sequence_of(puzzle)
  if s and s.o then
    local at = time_of(s.o)
    if not at or now < at then return 'time' end
  end
  if s and s.a then
    for _, a in ipairs(s.a) do
      if owner == nil or not is_solved(owner, a) then return 'after' end
    end
  end
  if is_located(puzzle) and (owner == nil or redis.call('SISMEMBER', K.found, owner_key(owner, puzzle)) == 0) then
    return 'location'
  end
  return nil
end

local function is_closed(puzzle, now)
  local s = sequence_of(puzzle)
  local at = s and time_of(s.c)
  return at ~= nil and now >= at
end

-- The public puzzle (a table) for `owner` (nil: no progress) from its stored JSON.
local function view_of(owner, puzzle, raw, now)
  local pz = cjson.decode(raw)
  pz.index = nil
  local lock = lock_of(owner, puzzle, now)
  pz.solved = owner ~= nil and is_solved(owner, puzzle)
  pz.locked = lock ~= nil
  if lock then
    pz.lockedBy = lock
    pz.prompt = cjson.null
  end
  local s = sequence_of(puzzle)
  if s then
    if s.a then pz.after = s.a end
    pz.opensAt = time_of(s.o)
    pz.closesAt = time_of(s.c)
    if is_closed(puzzle, now) then pz.closed = true end
  end
  if owner ~= nil and redis.call('HEXISTS', K.submissionPending, owner_key(owner, puzzle)) == 1 then pz.pending = true end
  return pz
end

local dependents = nil
-- Tells `owner` of the puzzles that wait on `puzzle` (in their `after`) once every puzzle they
-- wait on is solved: each as a {t = 'puzzle'} reply with its state now (open, or still waiting
-- for its time or its location).
local function announce_after_solve(channel, owner, puzzle, now)
  if dependents == nil then
    dependents = {}
    local all = redis.call('HGETALL', K.sequence)
    for i = 1, #all, 2 do
      local s = cjson.decode(all[i + 1])
      sequences[all[i]] = s
      if s.a then
        for _, a in ipairs(s.a) do
          dependents[a] = dependents[a] or {}
          table.insert(dependents[a], all[i])
        end
      end
    end
  end
  for _, d in ipairs(dependents[puzzle] or {}) do
    local ready = true
    for _, a in ipairs(sequence_of(d).a) do
      if not is_solved(owner, a) then ready = false end
    end
    local raw = ready and redis.call('HGET', K.puzzles, d)
    if raw then reply(channel, owner, { t = 'puzzle', puzzle = view_of(owner, d, raw, now) }) end
  end
end
