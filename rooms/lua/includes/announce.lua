--@uses players puzzles teams
-- Tells a hunt's players of a puzzle that was added or opened: one message on the hunt's
-- channel with the puzzle as a player with no progress sees it, then a reply of its own to
-- each player who sees it otherwise (its `after` puzzles solved, its place reached). Uses
-- K.players and K.teams beside what sequence.lua uses (in a team hunt the views are the teams').
--@include sequence

local function announce(channel, puzzle, now)
  local raw = redis.call('HGET', K.puzzles, puzzle)
  if not raw then return 0 end
  local base = view_of(nil, puzzle, raw, now)
  redis.call('SPUBLISH', channel, cjson.encode({ t = 'puzzle', puzzle = base }))
  local s = sequence_of(puzzle)
  if not (s and s.a) and not is_located(puzzle) then return 1 end
  -- each player's own view, where it differs from the one everybody got
  local sent = 1
  local players = redis.call('HKEYS', K.teams)
  if #players == 0 then players = redis.call('HKEYS', K.players) end
  for _, p in ipairs(players) do
    if lock_of(p, puzzle, now) ~= base.lockedBy then
      reply(channel, p, { t = 'puzzle', puzzle = view_of(p, puzzle, raw, now) })
      sent = sent + 1
    end
  end
  return sent
end
