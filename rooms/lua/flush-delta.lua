--@keys meta players board deltas dirty lastTop teams
-- Emits the hunt's pending delta once its tick has passed (at once with force '1').
-- ARGV: now ms, hunt channel, params JSON, force
-- Returns the seq emitted, 0 when nothing was pending, -1 when the tick has not passed.
--@include delta
return flush(tonumber(ARGV[1]), ARGV[2], cjson.decode(ARGV[3]), ARGV[4] == '1')
