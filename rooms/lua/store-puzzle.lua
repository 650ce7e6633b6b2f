--@keys meta puzzles solutions hints locations checkins
-- Stores one puzzle (generated, or authored at the hunt's creation) once and counts it; the
-- last one turns the hunt `ready`.
-- ARGV: puzzle id, public JSON, solution JSON, hints JSON, hunt channel, location ('' or
-- 'lat,lng,radius': locked until reached), check-in place ('' or 'lat,lng,radius': solved on arrival)
-- Reply (docs/architecture.md, "Script replies"): { 'OK', puzzles done }.
if redis.call('HEXISTS', K.puzzles, ARGV[1]) == 0 then
  redis.call('HSET', K.puzzles, ARGV[1], ARGV[2])
  redis.call('HSET', K.solutions, ARGV[1], ARGV[3])
  redis.call('HSET', K.hints, ARGV[1], ARGV[4])
  if ARGV[6] ~= '' then redis.call('HSET', K.locations, ARGV[1], ARGV[6]) end
  if (ARGV[7] or '') ~= '' then redis.call('HSET', K.checkins, ARGV[1], ARGV[7]) end
  redis.call('HINCRBY', K.meta, 'genDone', 1)
  -- fronts that hold the puzzle list for welcomes read it again
  redis.call('HINCRBY', K.meta, 'puzzlesRev', 1)
end
local done = tonumber(redis.call('HGET', K.meta, 'genDone'))
local total = tonumber(redis.call('HGET', K.meta, 'genTotal'))
if done >= total and redis.call('HGET', K.meta, 'status') == 'generating' then
  redis.call('HSET', K.meta, 'status', 'ready')
  redis.call('SPUBLISH', ARGV[5], cjson.encode({ t = 'hunt', status = 'ready' }))
end
return { 'OK', done }
