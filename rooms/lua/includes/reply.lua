-- Replies to one player, through the channel of the front node that accepted the event.
local function reply(nodePrefix, node, p, msg)
  redis.call('PUBLISH', nodePrefix .. node, cjson.encode({ p = p, m = msg }))
end
local function fail(nodePrefix, node, p, ev, code, extra)
  local msg = { t = 'error', id = ev.id, code = code }
  if extra then for k, v in pairs(extra) do msg[k] = v end end
  reply(nodePrefix, node, p, msg)
end
local function public_puzzle(raw, solved)
  local pz = cjson.decode(raw)
  pz.index = nil
  pz.solved = solved
  pz.locked = false
  return pz
end
