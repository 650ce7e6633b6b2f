--@keys lease
-- Extends a partition lease only while this shard still holds it. ARGV: shard id, lease ms. Returns 1 or 0.
if redis.call('GET', K.lease) == ARGV[1] then return redis.call('PEXPIRE', K.lease, ARGV[2]) end
return 0
