--@uses board deltas dirty lastTop meta
-- Leaderboard deltas: the changed players plus top-N rank moves, one seq per delta, kept in
-- a capped log for replay and published on the hunt's channel.
-- Past S.fullBoardMax board entries the delta that clients get (logged, replayed) holds only
-- the entries in the top N and those that left it; the fronts get every changed entry's board
-- value besides (`z`), for the rank index that tells each player its own standing.
--@include teams
--@include score

-- A board entry: a team's in a team hunt, else a player's; and its board value (false: off the board).
local function entry_of(p)
  local e
  local t = team_rec(p)
  if t then
    e = { team = p, name = t.name }
  else
    local rec = player_rec(p)
    e = { player = p, name = rec and rec.name or '' }
  end
  local z = redis.call('ZSCORE', K.board, p)
  if z then
    e.score = decode(z)
    e.rank = redis.call('ZREVRANK', K.board, p) + 1
  else
    e.score = cjson.null
    e.rank = cjson.null
  end
  return e, z or false
end

-- The entries a big hunt's clients get: those in the top N now, and those that were in it
-- before this delta (`was`, in the order `before` lists them) and are not now.
local function top_only(changes, seen, before, was, S)
  local shown = {}
  for _, e in ipairs(changes) do
    local id = e.player or e.team
    if (e.rank ~= cjson.null and e.rank <= S.topN) or was[id] then shown[#shown + 1] = e end
  end
  for i = 1, #before, 2 do
    local id = before[i]
    if not seen[id] then
      local e = entry_of(id)
      if e.rank == cjson.null or e.rank > S.topN then shown[#shown + 1] = e end
    end
  end
  return shown
end

-- Forms the next delta; returns its seq, or 0 when nothing changed.
local function emit(changed, now, channel, S)
  local seen, changes, z = {}, {}, {}
  for _, p in ipairs(changed) do
    if not seen[p] then
      seen[p] = true
      local e, v = entry_of(p)
      changes[#changes + 1] = e
      z[p] = v
    end
  end
  local before, was = {}, {}
  if S.topN > 0 then
    local top = redis.call('ZREVRANGE', K.board, 0, S.topN - 1)
    before = redis.call('HGETALL', K.lastTop)
    for i = 1, #before, 2 do was[before[i]] = tonumber(before[i + 1]) end
    local now_top = {}
    for i, p in ipairs(top) do
      if not seen[p] and was[p] ~= i then
        seen[p] = true
        changes[#changes + 1] = entry_of(p)
      end
      now_top[#now_top + 1] = p
      now_top[#now_top + 1] = i
    end
    redis.call('DEL', K.lastTop)
    if #now_top > 0 then redis.call('HSET', K.lastTop, unpack(now_top)) end
  end
  if #changes == 0 then return 0 end
  local shown = changes
  if redis.call('ZCARD', K.board) > (S.fullBoardMax or 1000) then shown = top_only(changes, seen, before, was, S) end
  -- every tick that changed the board moves `zseq`, which the fronts' rank indexes follow
  local zseq = redis.call('HINCRBY', K.meta, 'zseq', 1)
  redis.call('HSET', K.meta, 'lastDeltaAt', now)
  if #shown == 0 then
    -- nothing a client is shown changed (a big hunt, every change below the top): no delta for
    -- clients, so seq stays; the fronts still get the board values, for the players' own `you`
    local seq = tonumber(redis.call('HGET', K.meta, 'seq') or '0')
    redis.call('SPUBLISH', channel, cjson.encode({ t = 'delta', seq = seq, zseq = zseq, z = z }))
    return 0
  end
  local seq = redis.call('HINCRBY', K.meta, 'seq', 1)
  local delta = cjson.encode({ t = 'lb', seq = seq, ts = now, changes = shown })
  redis.call('RPUSH', K.deltas, delta)
  redis.call('LTRIM', K.deltas, -S.logLength, -1)
  -- the fronts' form: the clients' delta as logged, and the board values of what changed
  redis.call('SPUBLISH', channel, cjson.encode({ t = 'delta', seq = seq, zseq = zseq, lb = delta, z = z }))
  return seq
end

-- Marks players as changed since the last delta, in chunks: unpack stops near 8,000 values.
local function mark_dirty(players)
  for i = 1, #players, 1000 do
    redis.call('SADD', K.dirty, unpack(players, i, math.min(i + 999, #players)))
  end
end

-- Emits what is dirty once the fan-out tick has passed since the last delta.
-- Returns the seq emitted, 0 when nothing was dirty, -1 when the tick has not passed yet.
local function flush(now, channel, S, force)
  if redis.call('SCARD', K.dirty) == 0 then return 0 end
  local last = tonumber(redis.call('HGET', K.meta, 'lastDeltaAt') or '0')
  if not force and now - last < S.tickMs then return -1 end
  local members = redis.call('SMEMBERS', K.dirty)
  redis.call('DEL', K.dirty)
  table.sort(members)
  return emit(members, now, channel, S)
end
