--@keys meta sockets
-- A player's open sockets on every front node, oldest first, at most `cap`: one more opened
-- drops the oldest, published on the hunt's channel as {"t":"drop","sockets":[ids]} so the node
-- that holds each closes it (4008). A node that died leaves its ids here; they are the oldest,
-- so the next opens drop them first, and the list never holds more than `cap`. The same record
-- routes replies: includes/reply.lua publishes a player's replies to the nodes its ids name.
-- ARGV: 'open' or 'close', player, socket id, cap, hunt channel. Returns how many were dropped.
if redis.call('EXISTS', K.meta) == 0 then return 0 end
local raw = redis.call('HGET', K.sockets, ARGV[2])
local ids = raw and cjson.decode(raw) or {}
local kept = {}
for _, id in ipairs(ids) do
  if id ~= ARGV[3] then kept[#kept + 1] = id end
end
local dropped = {}
if ARGV[1] == 'open' then
  kept[#kept + 1] = ARGV[3]
  local cap = tonumber(ARGV[4])
  while #kept > cap do dropped[#dropped + 1] = table.remove(kept, 1) end
end
if #kept == 0 then redis.call('HDEL', K.sockets, ARGV[2]) else redis.call('HSET', K.sockets, ARGV[2], cjson.encode(kept)) end
if #dropped > 0 then redis.call('SPUBLISH', ARGV[5], cjson.encode({ t = 'drop', sockets = dropped })) end
return #dropped
