--@uses log
-- The hunt's event log (solves, hints, wrong answers that cost points, adjustments, removals:
-- the export's events), kept to its newest LOG_MAX entries. Uses K.log.
local LOG_MAX = 100000

local function log_event(entry)
  redis.call('RPUSH', K.log, cjson.encode(entry))
  redis.call('LTRIM', K.log, -LOG_MAX, -1)
end
