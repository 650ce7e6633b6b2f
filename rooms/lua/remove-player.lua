--@keys meta players board deltas dirty lastTop log removed
-- The game master removes a player: off the board (the next delta shows a null score), marked
-- removed so nothing of theirs applies again, and kicked from every front node.
-- ARGV: player, now ms, hunt channel, params JSON
-- Returns the delta seq, -1 when it waits for the tick, or an error code.
--@include delta
--@include log
if redis.call('EXISTS', K.meta) == 0 then return 'HUNT_NOT_FOUND' end
local rec = player_rec(ARGV[1])
if not rec or rec.removed then return 'PLAYER_NOT_FOUND' end
rec.removed = true
redis.call('HSET', K.players, ARGV[1], cjson.encode(rec))
redis.call('SADD', K.removed, ARGV[1])
redis.call('ZREM', K.board, ARGV[1])
local now = tonumber(ARGV[2])
log_event({ k = 'remove', player = ARGV[1], at = now })
mark_dirty({ ARGV[1] })
redis.call('SPUBLISH', ARGV[3], cjson.encode({ t = 'kick', player = ARGV[1] }))
return flush(now, ARGV[3], cjson.decode(ARGV[4]), false)
