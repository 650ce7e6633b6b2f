--@keys meta
-- A lifecycle transition, compare-and-set on the status; stamps launch and end times.
-- ARGV: target status, now ms, hunt channel, allowed source statuses...
-- Reply (docs/architecture.md, "Script replies"): { 'OK', new status } or { 'HUNT_NOT_FOUND', '' } or
-- { 'HUNT_INVALID_TRANSITION', current status }.
local status = redis.call('HGET', K.meta, 'status')
if not status then return { 'HUNT_NOT_FOUND', '' } end
for i = 4, #ARGV do
  if ARGV[i] == status then
    redis.call('HSET', K.meta, 'status', ARGV[1])
    if ARGV[1] == 'live' and redis.call('HEXISTS', K.meta, 'launchedAt') == 0 then
      redis.call('HSET', K.meta, 'launchedAt', ARGV[2])
    end
    if ARGV[1] == 'ended' then redis.call('HSET', K.meta, 'endedAt', ARGV[2]) end
    redis.call('SPUBLISH', ARGV[3], cjson.encode({ t = 'hunt', status = ARGV[1] }))
    return { 'OK', ARGV[1] }
  end
end
return { 'HUNT_INVALID_TRANSITION', status }
