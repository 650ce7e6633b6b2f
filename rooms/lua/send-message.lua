--@keys meta players messages inbox scheduled
-- A game master's message. `now`: logged and delivered at once. `schedule`: logged and kept in
-- `scheduled` until its job runs. `due`: the job ran; delivered only if it still waits there, so a
-- job that runs twice (a worker lost mid-job) delivers once. Delivering adds the message to its
-- audience's inbox (what a `welcome` replays) and publishes it on the hunt channel, where every
-- front sends it to the sockets of that audience.
-- ARGV: mode, message id, log entry JSON, wire JSON (what players get), inbox field ('*',
--   't:<team>' or 'p:<player>'), hunt channel, log max, inbox max, scheduled max, recipient
--   player ('' for none)
-- Reply (docs/architecture.md, "Script replies"): { 'OK', 1 when done (0: a due message no longer waiting) } or
-- { error code }.
--@include once
--@include players
local mode, id, entry, wire, field, channel = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local logMax, inboxMax, scheduledMax = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local recipient = ARGV[10]
if redis.call('EXISTS', K.meta) == 0 then
  if mode == 'due' then return { 'OK', 0 } end
  return { 'HUNT_NOT_FOUND' }
end
if mode == 'due' then
  if redis.call('HDEL', K.scheduled, id) == 0 then return { 'OK', 0 } end
else
  if recipient ~= '' and not is_active(recipient) then return { 'PLAYER_NOT_FOUND' } end
  if mode == 'schedule' and redis.call('HLEN', K.scheduled) >= scheduledMax then return { 'SCHEDULE_FULL' } end
  redis.call('RPUSH', K.messages, entry)
  redis.call('LTRIM', K.messages, -logMax, -1)
  if mode == 'schedule' then
    redis.call('HSET', K.scheduled, id, entry)
    return { 'OK', 1 }
  end
end
local raw = redis.call('HGET', K.inbox, field)
local list = raw and cjson.decode(raw) or {}
list[#list + 1] = cjson.decode(wire)
while #list > inboxMax do table.remove(list, 1) end
redis.call('HSET', K.inbox, field, cjson.encode(list))
redis.call('SPUBLISH', channel, wire)
return { 'OK', 1 }
