--@keys counter
-- Counts one attempt in a window that opens with the first attempt and lasts ARGV[1] ms
-- (attempts past the limit count too, but never stretch the window).
-- ARGV: window ms
-- Returns { attempts in the window so far, ms until it closes }.
local n = redis.call('INCR', K.counter)
local ttl = redis.call('PTTL', K.counter)
if n == 1 or ttl < 0 then
  redis.call('PEXPIRE', K.counter, ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { n, ttl }
