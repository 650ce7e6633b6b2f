--@keys meta sockets
-- Players' open sockets on every front node, oldest first, at most `cap` each: one more opened
-- drops the player's oldest, published on the hunt's channel as {"t":"drop","sockets":[ids]} so
-- the node that holds each closes it (4008). A node that died leaves its ids here; they are the
-- oldest, so the next opens drop them first, and a list never holds more than `cap`. The same
-- record routes replies: includes/reply.lua publishes a player's replies to the nodes its ids name.
-- A front sends the opens and closes of one moment together (a burst of joins: one call, not one
-- per socket), applied in order.
-- ARGV: cap, hunt channel, then (at most 1,000) triples 'open' or 'close', player, socket id.
-- Reply (docs/architecture.md, "Script replies"): { 'OK', how many sockets were dropped } (0 when
-- the hunt is gone: nothing is written).
if redis.call('EXISTS', K.meta) == 0 then return { 'OK', 0 } end
local cap = tonumber(ARGV[1])
local lists, touched, dropped = {}, {}, {}
for i = 3, #ARGV, 3 do
  local op, p, sid = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local ids = lists[p]
  if ids == nil then
    local raw = redis.call('HGET', K.sockets, p)
    ids = raw and cjson.decode(raw) or {}
    touched[#touched + 1] = p
  end
  local kept = {}
  for _, id in ipairs(ids) do
    if id ~= sid then kept[#kept + 1] = id end
  end
  if op == 'open' then
    kept[#kept + 1] = sid
    while #kept > cap do dropped[#dropped + 1] = table.remove(kept, 1) end
  end
  lists[p] = kept
end
local gone, set = {}, {}
for _, p in ipairs(touched) do
  if #lists[p] == 0 then
    gone[#gone + 1] = p
  else
    set[#set + 1] = p
    set[#set + 1] = cjson.encode(lists[p])
  end
end
if #gone > 0 then redis.call('HDEL', K.sockets, unpack(gone)) end
if #set > 0 then redis.call('HSET', K.sockets, unpack(set)) end
if #dropped > 0 then redis.call('SPUBLISH', ARGV[2], cjson.encode({ t = 'drop', sockets = dropped })) end
return { 'OK', #dropped }
