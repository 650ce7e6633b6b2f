--@keys meta online
-- Front nodes mark the players whose sockets they hold: each player's score in `online` is the
-- time of the last mark. Written only while the hunt exists, so a deleted hunt stays deleted.
-- ARGV: now ms, then players (at most 1,000 per call: unpack stays within Lua's stack)
-- Reply (docs/architecture.md, "Script replies"): { 'OK', players marked }.
if redis.call('EXISTS', K.meta) == 0 then return { 'OK', 0 } end
local args = {}
for i = 2, #ARGV do
  args[#args + 1] = ARGV[1]
  args[#args + 1] = ARGV[i]
end
if #args == 0 then return { 'OK', 0 } end
redis.call('ZADD', K.online, unpack(args))
return { 'OK', #ARGV - 1 }
