--@uses board meta
-- The board's exact score encoding: value = score * SCALE + (SCALE - 1 - tick), where tick
-- rises by one per score change in the hunt, so of equal scores the earlier ranks higher.
-- rooms/score.ts holds the same constants; test/lua checks they agree.
local SCALE = 4294967296
local MAX_SCORE = 1048575

local function decode(z)
  if not z then return nil end
  return math.floor(tonumber(z) / SCALE)
end
local function score_of(p)
  return decode(redis.call('ZSCORE', K.board, p)) or 0
end
local function set_score(p, s)
  if s > MAX_SCORE then s = MAX_SCORE elseif s < -MAX_SCORE then s = -MAX_SCORE end
  local tick = redis.call('HINCRBY', K.meta, 'tick', 1)
  redis.call('ZADD', K.board, s * SCALE + (SCALE - 1 - tick), p)
  return s
end
local function add_score(p, delta)
  return set_score(p, score_of(p) + delta)
end
