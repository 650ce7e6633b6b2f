--@keys stream
-- Creates a consumer group (and the stream) unless the group exists, in the stream's own slot
-- (XGROUP has no key position for a cluster client to route by). ARGV: group.
-- Reply (docs/architecture.md, "Script replies"): { 'OK', 1 when created (0: it existed) }; any other
-- refusal of XGROUP stays a Redis error.
local ok = redis.pcall('XGROUP', 'CREATE', K.stream, ARGV[1], '0', 'MKSTREAM')
if type(ok) == 'table' and ok.err then
  if string.find(ok.err, 'BUSYGROUP', 1, true) then return { 'OK', 0 } end
  return redis.error_reply(ok.err)
end
return { 'OK', 1 }
