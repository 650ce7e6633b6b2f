--@keys meta players board deltas dirty lastTop log
-- The game master adjusts a player's points with a reason (kept in the export log).
-- ARGV: player, points, reason, now ms, hunt channel, params JSON
-- Tells the player at once: {"t":"adjusted","points","reason","score"} (an extension of v1.2).
-- Returns { new score, delta seq or -1 when it waits for the tick }, or an error code.
--@include delta
--@include log
--@include reply
if redis.call('EXISTS', K.meta) == 0 then return 'HUNT_NOT_FOUND' end
if not is_active(ARGV[1]) then return 'PLAYER_NOT_FOUND' end
local score = add_score(ARGV[1], tonumber(ARGV[2]))
local now = tonumber(ARGV[4])
log_event({ k = 'adjust', player = ARGV[1], points = tonumber(ARGV[2]), reason = ARGV[3], at = now })
mark_dirty({ ARGV[1] })
reply(ARGV[5], ARGV[1], { t = 'adjusted', points = tonumber(ARGV[2]), reason = ARGV[3], score = score })
return { score, flush(now, ARGV[5], cjson.decode(ARGV[6]), false) }
