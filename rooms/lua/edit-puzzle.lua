--@keys meta puzzles solutions hints locations checkins sequence defs solves found submissionPending players teams sockets
-- Adds, replaces or removes one puzzle of a hunt. Adding is allowed while ready, live or
-- paused (a bonus mission: every player hears of it); replacing and removing only while ready.
-- ARGV: mode ('add' | 'put' | 'del'), puzzle id, public JSON, solution JSON, hints JSON,
-- location ('' or 'lat,lng,radius'), check-in place (same), sequence JSON ('' none),
-- definition JSON, hunt channel, now ms
-- Reply (docs/architecture.md, "Script replies"): { 'OK', status } or { error code, status }.
--@include announce

local mode, id = ARGV[1], ARGV[2]
local channel, now = ARGV[10], tonumber(ARGV[11])
local status = redis.call('HGET', K.meta, 'status')
if not status then return { 'HUNT_NOT_FOUND', '' } end
if mode == 'add' then
  if status == 'ended' then return { 'HUNT_ENDED', status } end
  if status ~= 'ready' and status ~= 'live' and status ~= 'paused' then return { 'HUNT_STATUS_CONFLICT', status } end
  if redis.call('HEXISTS', K.puzzles, id) == 1 then return { 'VALIDATION_FAILED', status } end
elseif status ~= 'ready' then
  return { 'HUNT_STATUS_CONFLICT', status }
elseif redis.call('HEXISTS', K.puzzles, id) == 0 then
  return { 'PUZZLE_NOT_FOUND', status }
end

local public = ARGV[3]
if mode == 'put' then
  -- the replacement keeps its place in the list
  local old = cjson.decode(redis.call('HGET', K.puzzles, id))
  local new = cjson.decode(public)
  new.index = old.index
  public = cjson.encode(new)
end
-- fronts that hold the puzzle list for welcomes read it again
redis.call('HINCRBY', K.meta, 'puzzlesRev', 1)
for _, hash in ipairs({ K.locations, K.checkins, K.sequence }) do redis.call('HDEL', hash, id) end
if mode == 'del' then
  for _, hash in ipairs({ K.puzzles, K.solutions, K.hints, K.defs }) do redis.call('HDEL', hash, id) end
  redis.call('HINCRBY', K.meta, 'genTotal', -1)
  redis.call('HINCRBY', K.meta, 'genDone', -1)
  return { 'OK', status }
end
redis.call('HSET', K.puzzles, id, public)
redis.call('HSET', K.solutions, id, ARGV[4])
redis.call('HSET', K.hints, id, ARGV[5])
redis.call('HSET', K.defs, id, ARGV[9])
if ARGV[6] ~= '' then redis.call('HSET', K.locations, id, ARGV[6]) end
if ARGV[7] ~= '' then redis.call('HSET', K.checkins, id, ARGV[7]) end
if ARGV[8] ~= '' then redis.call('HSET', K.sequence, id, ARGV[8]) end
if mode == 'add' then
  redis.call('HINCRBY', K.meta, 'genTotal', 1)
  redis.call('HINCRBY', K.meta, 'genDone', 1)
end
announce(channel, id, now)
return { 'OK', status }
