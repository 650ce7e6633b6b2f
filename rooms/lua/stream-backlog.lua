--@keys stream
-- The backlog of one consumer group on a stream, in the stream's own slot (XINFO has no key
-- position for a cluster client to route by). ARGV: group.
-- Reply (docs/architecture.md, "Script replies"): { 'OK', length, lag, pending }: lag is -1 where Redis cannot tell it, length -1 when the stream does not exist.
if redis.call('EXISTS', K.stream) == 0 then return { 'OK', -1, 0, 0 } end
local length = redis.call('XLEN', K.stream)
for _, g in ipairs(redis.call('XINFO', 'GROUPS', K.stream)) do
  local f = {}
  for i = 1, #g, 2 do f[g[i]] = g[i + 1] end
  if f['name'] == ARGV[1] then
    local lag = f['lag']
    if type(lag) ~= 'number' then lag = -1 end
    return { 'OK', length, lag, f['pending'] }
  end
end
return { 'OK', length, -1, 0 }
