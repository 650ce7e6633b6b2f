-- A move that reaches a `checkin` puzzle's place solves it, once. Uses K.checkins, K.removed
-- and what solve.lua uses.
--@include solve

-- Returns 'done' (solved now, solved before, or closed for good) or 'refused' (locked, or the
-- hunt not live: a later move may still check in). `changed` collects players whose score moved.
local function check_in(channel, p, puzzle, now, S, status, changed)
  if is_solved(p, puzzle) or is_closed(puzzle, now) then return 'done' end
  local raw = redis.call('HGET', K.puzzles, puzzle)
  if not raw then return 'done' end
  if status ~= 'live' or lock_of(p, puzzle, now) then return 'refused' end
  local pz = cjson.decode(raw)
  local points, earned, bonus, solver = solve_points(pz, puzzle, now, S)
  local score = record_solve(p, puzzle, points, { k = 'checkin', player = p, puzzle = puzzle, points = points, base = earned, bonus = bonus, solver = solver, at = now })
  changed[#changed + 1] = p
  reply(channel, p, { t = 'checkin', puzzle = puzzle, points = points, score = score })
  announce_after_solve(channel, p, puzzle, now)
  return 'done'
end
