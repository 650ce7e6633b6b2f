--@keys meta players board deltas dirty lastTop
-- A player joins: recorded, put on the board at 0, and marked for the next delta. Joins of one
-- tick share one delta (a mass join costs O(N) frames per client, not one delta per join).
-- ARGV: player, record JSON, now ms, hunt channel, params JSON
-- Returns the delta seq, -1 when the delta waits for the tick, or an error code.
--@include delta
local status = redis.call('HGET', K.meta, 'status')
if not status then return 'HUNT_NOT_FOUND' end
if status == 'ended' or status == 'failed' then return 'HUNT_ENDED' end
redis.call('HSET', K.players, ARGV[1], ARGV[2])
if not redis.call('ZSCORE', K.board, ARGV[1]) then set_score(ARGV[1], 0) end
mark_dirty({ ARGV[1] })
return flush(tonumber(ARGV[3]), ARGV[4], cjson.decode(ARGV[5]), false)
