--@uses -
-- Replies to one player on the hunt's own (sharded) channel, in the hunt's slot: every front
-- with players in the hunt hears it, and the one holding this player's socket sends it.
local function reply(channel, p, msg)
  redis.call('SPUBLISH', channel, cjson.encode({ t = 'reply', p = p, m = msg }))
end
local function fail(channel, p, ev, code, extra)
  local msg = { t = 'error', id = ev.id, code = code }
  if extra then for k, v in pairs(extra) do msg[k] = v end end
  reply(channel, p, msg)
end
local function public_puzzle(raw, solved)
  local pz = cjson.decode(raw)
  pz.index = nil
  pz.solved = solved
  pz.locked = false
  return pz
end
