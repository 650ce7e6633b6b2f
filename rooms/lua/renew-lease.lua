--@keys lease
-- Extends a partition lease only while this shard still holds it. ARGV: shard id, lease ms.
-- Reply (docs/architecture.md, "Script replies"): { 'OK', 1 when extended (0: not this shard's) }.
if redis.call('GET', K.lease) == ARGV[1] then return { 'OK', redis.call('PEXPIRE', K.lease, ARGV[2]) } end
return { 'OK', 0 }
