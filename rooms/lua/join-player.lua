--@keys meta players board deltas dirty lastTop
-- A player joins: recorded, put on the board at 0, announced in a delta at once.
-- ARGV: player, record JSON, now ms, hunt channel, params JSON
-- Returns the delta seq, or an error code.
--@include delta
local status = redis.call('HGET', K.meta, 'status')
if not status then return 'HUNT_NOT_FOUND' end
if status == 'ended' or status == 'failed' then return 'HUNT_ENDED' end
redis.call('HSET', K.players, ARGV[1], ARGV[2])
if not redis.call('ZSCORE', K.board, ARGV[1]) then set_score(ARGV[1], 0) end
return emit({ ARGV[1] }, tonumber(ARGV[3]), ARGV[4], cjson.decode(ARGV[5]))
