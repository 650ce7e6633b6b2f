--@keys meta
-- Changes settings of a hunt that exists (never creates a hunt's meta on its own).
-- ARGV: field, value, field, value... (an empty value removes the field)
-- Reply (docs/architecture.md, "Script replies"): { 'OK' } or { 'HUNT_NOT_FOUND' }.
if redis.call('EXISTS', K.meta) == 0 then return { 'HUNT_NOT_FOUND' } end
for i = 1, #ARGV, 2 do
  if ARGV[i + 1] == '' then redis.call('HDEL', K.meta, ARGV[i]) else redis.call('HSET', K.meta, ARGV[i], ARGV[i + 1]) end
end
return { 'OK' }
