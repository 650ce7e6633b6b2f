--@keys lease
-- Drops a partition lease only while this shard holds it. ARGV: shard id. Returns 1 or 0.
if redis.call('GET', K.lease) == ARGV[1] then return redis.call('DEL', K.lease) end
return 0
