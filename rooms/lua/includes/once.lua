--@uses -
-- A JSON field of a hash, read and decoded at most once per script run: `cache` keeps what
-- was read (false for a missing field). Returns the decoded value, or nil.
local function json_field_once(cache, hash, field)
  local v = cache[field]
  if v == nil then
    local raw = redis.call('HGET', hash, field)
    v = raw and cjson.decode(raw) or false
    cache[field] = v
  end
  return v or nil
end
