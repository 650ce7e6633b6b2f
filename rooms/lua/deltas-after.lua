--@keys deltas
-- The deltas after a seq, for a client that reconnects with `since` or a front that repairs a
-- gap: only those are read (an LRANGE from their offset), never the whole log. The log holds
-- consecutive seqs, so the offset follows from the first entry's seq.
-- Read-only. ARGV: since, most deltas to return.
-- Returns { first seq in the log (0: the log is empty), last seq, the deltas' JSON... }; the
-- deltas only when the log reaches back to since + 1 and they are at most ARGV[2], none else.
local len = redis.call('LLEN', K.deltas)
if len == 0 then return { 0, 0 } end
local head = cjson.decode(redis.call('LINDEX', K.deltas, 0))
local first = tonumber(head.seq)
local last = first + len - 1
local since = tonumber(ARGV[1])
local want = last - since
if since + 1 < first or want <= 0 or want > tonumber(ARGV[2]) then return { first, last } end
local out = redis.call('LRANGE', K.deltas, since + 1 - first, -1)
table.insert(out, 1, last)
table.insert(out, 1, first)
return out
