--@keys current history names
-- Compare-and-set of one named config: the write wins only when the stored version is the
-- expected one; the old value goes to the capped history; every node hears of the change.
-- ARGV: name, expected version, value JSON, updatedAt, updatedBy, history cap, channel
-- Returns { 'OK', new version } or { 'CONFLICT', current version }.
local current = redis.call('HGET', K.current, 'version')
local version = tonumber(current or '0')
if version ~= tonumber(ARGV[2]) then return { 'CONFLICT', version } end
if current then
  local old = redis.call('HMGET', K.current, 'value', 'updatedAt', 'updatedBy')
  redis.call('LPUSH', K.history, cjson.encode({ version = version, value = old[1], updatedAt = old[2], updatedBy = old[3] }))
  redis.call('LTRIM', K.history, 0, tonumber(ARGV[6]) - 1)
end
version = version + 1
redis.call('HSET', K.current, 'version', version, 'value', ARGV[3], 'updatedAt', ARGV[4], 'updatedBy', ARGV[5])
redis.call('SADD', K.names, ARGV[1])
redis.call('PUBLISH', ARGV[7], ARGV[1] .. ' ' .. version)
return { 'OK', version }
