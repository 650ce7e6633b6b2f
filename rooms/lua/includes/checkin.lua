--@uses checkins puzzles removed
-- A move that reaches a `checkin` puzzle's place solves it, once. Uses K.checkins, K.removed
-- and what solve.lua uses.
--@include solve
--@include teams

-- Returns 'done' (solved now, solved before, or closed for good) or 'refused' (locked, or the
-- hunt not live: a later move may still check in). `changed` collects players (teams) whose
-- score moved. In a team hunt a member's check-in counts for the team, once.
local function check_in(channel, p, puzzle, now, S, status, changed)
  local o = owner_of(p)
  if is_solved(o, puzzle) or is_closed(puzzle, now) then return 'done' end
  local raw = redis.call('HGET', K.puzzles, puzzle)
  if not raw then return 'done' end
  if status ~= 'live' or lock_of(o, puzzle, now) then return 'refused' end
  local pz = cjson.decode(raw)
  local points, earned, bonus, solver = solve_points(pz, puzzle, now, S)
  local score = record_solve(o, puzzle, points, with_team({ k = 'checkin', player = p, puzzle = puzzle, points = points, base = earned, bonus = bonus, solver = solver, at = now }, o, p))
  changed[#changed + 1] = o
  reply(channel, p, { t = 'checkin', puzzle = puzzle, points = points, score = score })
  tell_team(channel, o, p, puzzle)
  announce_after_solve(channel, o, puzzle, now)
  return 'done'
end
