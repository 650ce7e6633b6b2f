--@keys stream
-- Where a consumer group's unread part of a stream starts, in the stream's own slot (XINFO has
-- no key position for a cluster client to route by). ARGV: group.
-- Returns the group's last-delivered id ('0-0': none delivered, or no such group), or false
-- when the stream does not exist.
if redis.call('EXISTS', K.stream) == 0 then return false end
for _, g in ipairs(redis.call('XINFO', 'GROUPS', K.stream)) do
  local f = {}
  for i = 1, #g, 2 do f[g[i]] = g[i + 1] end
  if f['name'] == ARGV[1] then return f['last-delivered-id'] end
end
return '0-0'
