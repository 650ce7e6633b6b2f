--@uses applied
-- The exactly-once fence of one lane. Item ids are '<routing epoch>-<ms>-<seq>' (a whole
-- stream entry) or '<epoch>-<ms>-<seq>-<k>' (its k-th event alone, when a poison event is
-- isolated), compared in that order; a whole entry ranks after all of its single events.
local WHOLE = 2147483647
local function parse_id(id)
  local e, ms, sq, sub = string.match(id, '^(%d+)-(%d+)-(%d+)-?(%d*)$')
  if not e then error('bad stream item id') end
  return tonumber(e), tonumber(ms), tonumber(sq), tonumber(sub) or WHOLE
end
-- Returns a function of an item id: nil when nothing of the item is new, else the index of
-- the entry's last event already applied (-1: none), so a half-isolated entry resumes.
local function fence_of(lane)
  local fe, fms, fsq, fsub = parse_id(redis.call('HGET', K.applied, lane) or '0-0-0')
  return function(id)
    local e, ms, sq, sub = parse_id(id)
    if e ~= fe then if e > fe then return -1 end return nil end
    if ms ~= fms then if ms > fms then return -1 end return nil end
    if sq ~= fsq then if sq > fsq then return -1 end return nil end
    if sub > fsub then return fsub end
    return nil
  end
end
-- The entry index of an item's first event: k for a single-event item, else 0.
local function first_index(id)
  local _, _, _, sub = parse_id(id)
  if sub == WHOLE then return 0 end
  return sub
end
-- Calls fn(item, ev) for every event of `items` above the fence, in stream order; returns the
-- id of the last item looked at (nil when none was new), for the caller to store as the fence.
local function each_new_event(items, is_new, fn)
  local last = nil
  for _, item in ipairs(items) do
    local done = is_new(item.sid)
    if done then
      last = item.sid
      local base = first_index(item.sid)
      for i, ev in ipairs(item.ev) do
        if base + i - 1 > done then fn(item, ev) end
      end
    end
  end
  return last
end
