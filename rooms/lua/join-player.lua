--@keys meta players board deltas dirty lastTop removed names
-- A player joins: recorded, put on the board at 0, and marked for the next delta. Joins of one
-- tick share one delta (a mass join costs O(N) frames per client, not one delta per join).
-- The hunt's `maxPlayers` (players not removed) and unique display names are checked here, in
-- the same step that counts the player, so concurrent joins cannot pass either bound.
-- ARGV: player, record JSON, now ms, hunt channel, params JSON, folded name, default maxPlayers
-- Returns the delta seq, -1 when the delta waits for the tick, or an error code.
--@include delta
local status = redis.call('HGET', K.meta, 'status')
if not status then return 'HUNT_NOT_FOUND' end
if status == 'ended' or status == 'failed' then return 'HUNT_ENDED' end
local max = tonumber(redis.call('HGET', K.meta, 'maxPlayers') or ARGV[7])
if redis.call('HLEN', K.players) - redis.call('SCARD', K.removed) >= max then return 'HUNT_FULL' end
if redis.call('HSETNX', K.names, ARGV[6], ARGV[1]) == 0 then return 'NAME_TAKEN' end
redis.call('HSET', K.players, ARGV[1], ARGV[2])
if not redis.call('ZSCORE', K.board, ARGV[1]) then set_score(ARGV[1], 0) end
mark_dirty({ ARGV[1] })
return flush(tonumber(ARGV[3]), ARGV[4], cjson.decode(ARGV[5]), false)
