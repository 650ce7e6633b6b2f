--@uses attempts cooldown
-- The brute-force guard of one player (team) on one puzzle: answers per minute, and the
-- cooldown after a wrong one. Uses K.attempts and K.cooldown.

-- Counts one attempt and returns nil, or refuses it: the code and how long to wait (ms).
local function take_attempt(skey, now, S)
  local att = redis.call('HGET', K.attempts, skey)
  local wstart, wcount = now, 0
  if att then
    local a, b = string.match(att, '^(%d+),(%d+)$')
    if a and now - tonumber(a) < 60000 then wstart, wcount = tonumber(a), tonumber(b) end
  end
  if wcount >= S.answersPerMinutePerPuzzle then return 'TOO_MANY_ATTEMPTS', 60000 - (now - wstart) end
  local cool = tonumber(redis.call('HGET', K.cooldown, skey) or '0')
  if now < cool then return 'ANSWER_COOLDOWN', cool - now end
  redis.call('HSET', K.attempts, skey, wstart .. ',' .. (wcount + 1))
  return nil
end
