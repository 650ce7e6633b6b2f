--@uses sockets teams
--@include players
-- Replies to one player (or to the members of a team) on the reply channels of the front nodes
-- that hold their sockets: `<hunt channel minus 'ch'>r:<node>`, in the hunt's slot, one per
-- front node, which each front subscribes to for every hunt it serves. So a front hears the
-- replies of its own players only, never every player's (docs/scaling.md, "One big hunt").
-- The nodes come from the per-player socket record (K.sockets, `<node>.<n>` ids, written by
-- player-sockets.lua), plus `reply_from.n` for `reply_from.p`: the node that accepted the
-- stream entry being applied (set per entry by the script), which holds the socket the event
-- came on even before that socket's record is written. An HTTP event accepted on node A for a
-- player whose socket is on node B reaches B through the record. A node that died leaves its
-- ids in the record until newer sockets push them out: a publish nobody hears, nothing more.
-- Uses K.sockets and K.teams (read once per run whether the hunt has teams).
local reply_from = { p = nil, n = nil }
local reply_has_teams = nil

-- The nodes holding sockets of `p`, added to `nodes` (`seen` keeps them once each).
local function socket_nodes(p, nodes, seen)
  local raw = redis.call('HGET', K.sockets, p)
  if not raw then return end
  for _, sid in ipairs(cjson.decode(raw)) do
    local node = string.match(sid, '^(.+)%.%d+$')
    if node and not seen[node] then
      seen[node] = true
      nodes[#nodes + 1] = node
    end
  end
end

-- A team's members, or { p } for a player.
local function members_of(p)
  if reply_has_teams == nil then reply_has_teams = redis.call('EXISTS', K.teams) == 1 end
  if reply_has_teams then
    local raw = redis.call('HGET', K.teams, p)
    if raw then return cjson.decode(raw).members or {} end
  end
  return { p }
end

-- Publishes `wire` to the fronts of `members` (but `except`); returns how many fronts.
local function to_fronts(channel, members, except, wire)
  local nodes, seen = {}, {}
  for _, m in ipairs(members) do
    if m ~= except then
      if m == reply_from.p and reply_from.n and reply_from.n ~= '' and not seen[reply_from.n] then
        seen[reply_from.n] = true
        nodes[#nodes + 1] = reply_from.n
      end
      socket_nodes(m, nodes, seen)
    end
  end
  local base = string.sub(channel, 1, -3) .. 'r:'
  for _, node in ipairs(nodes) do redis.call('SPUBLISH', base .. node, wire) end
  return #nodes
end

local function reply(channel, p, msg)
  to_fronts(channel, members_of(p), nil, cjson.encode({ t = 'reply', p = p, m = msg }))
end
local function fail(channel, p, ev, code, extra)
  local msg = { t = 'error', id = ev.id, code = code }
  if extra then for k, v in pairs(extra) do msg[k] = v end end
  reply(channel, p, msg)
end
-- Tells a team's other members that `p` solved `puzzle` (nothing outside a team hunt).
local function tell_team(channel, owner, p, puzzle)
  if owner == p then return end
  local rec = player_rec(p)
  local wire = cjson.encode({ t = 'reply', p = owner, x = p, m = { t = 'solved', puzzle = puzzle, by = p, name = rec and rec.name or '' } })
  to_fronts(channel, members_of(owner), p, wire)
end
local function public_puzzle(raw, solved)
  local pz = cjson.decode(raw)
  pz.index = nil
  pz.solved = solved
  pz.locked = false
  return pz
end
