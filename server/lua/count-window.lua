--@keys counter
-- Counts attempts in a window that opens with the first attempt and lasts ARGV[1] ms (attempts
-- past the limit count too, but never stretch the window). ARGV[2] attempts at once (the joins
-- from one address in one turn of a front's event loop), 1 when absent.
-- ARGV: window ms, attempts
-- Returns { attempts in the window so far (these included), ms until it closes }.
local k = tonumber(ARGV[2] or '1')
local n = redis.call('INCRBY', K.counter, k)
local ttl = redis.call('PTTL', K.counter)
if n == k or ttl < 0 then
  redis.call('PEXPIRE', K.counter, ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { n, ttl }
