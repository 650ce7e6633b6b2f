--@uses board log meta progress solvers solves
-- Points and solves, shared by answers, check-ins and approved submissions. Uses K.meta,
-- K.solvers, K.solves, K.progress, K.board, K.log and what sequence.lua uses.
--@include score
--@include log
--@include sequence

-- Authored puzzles carry their own points; generated ones take the scoring config's by difficulty.
local AUTHORED = { text = true, choice = true, code = true, checkin = true, free = true, photo = true }

local function base_points(pz, S)
  if AUTHORED[pz.type] then return tonumber(pz.points) end
  return tonumber(S.points[pz.difficulty] or pz.points)
end

local function hint_cost(pz, S)
  if AUTHORED[pz.type] then return math.floor(tonumber(pz.points) * (S.hintPenaltyFraction or 0)) end
  return tonumber(S.hintCost[pz.difficulty] or 0)
end

-- What a solve at `now` earns: base points decayed since launch, plus the bonus of its rank
-- among the puzzle's solvers. Returns points, earned (decayed base), bonus, solver rank.
local function solve_points(pz, puzzle, now, S)
  local base = base_points(pz, S)
  local launchedAt = tonumber(redis.call('HGET', K.meta, 'launchedAt') or now)
  local factor = math.max(S.decayFloor, 1 - S.decayPerMinute * (now - launchedAt) / 60000)
  local earned = math.floor(base * factor + 0.5)
  local solver = redis.call('HINCRBY', K.solvers, puzzle, 1)
  local bonus = tonumber(S.firstSolverBonus[solver] or 0)
  return earned + bonus, earned, bonus, solver
end

-- Records that `owner` solved `puzzle` for `points` (once: callers check is_solved first),
-- logs `entry` for the export, and returns the new score.
local function record_solve(owner, puzzle, points, entry)
  redis.call('HSET', K.solves, owner_key(owner, puzzle), points)
  redis.call('SADD', K.progress, owner)
  local score = add_score(owner, points)
  log_event(entry)
  return score
end
