--@keys meta puzzles sequence solves found locations submissionPending players teams sockets
-- A timed puzzle's moment: at `opensAfterS` every player hears of it (as announce does), at
-- `closesAfterS` every player gets {t = 'closed'}. Run by a schedule job at that time.
-- ARGV: puzzle id, 'open' | 'close', hunt channel, now ms
-- Reply (docs/architecture.md, "Script replies"): { 'OK', messages sent }: 0 when the hunt or puzzle is gone (or
-- not launched), -1 when the time has not come yet (the job tries again).
--@include announce

local puzzle, action, channel, now = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local status = redis.call('HGET', K.meta, 'status')
if not status or status == 'ended' or redis.call('HEXISTS', K.puzzles, puzzle) == 0 then return { 'OK', 0 } end
local s = sequence_of(puzzle)
local at = s and time_of(action == 'open' and s.o or s.c)
if not at then return { 'OK', 0 } end
if now < at then return { 'OK', -1 } end
if action == 'close' then
  redis.call('SPUBLISH', channel, cjson.encode({ t = 'closed', puzzle = puzzle }))
  return { 'OK', 1 }
end
return { 'OK', announce(channel, puzzle, now) }
