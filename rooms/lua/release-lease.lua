--@keys lease
-- Drops a partition lease only while this shard holds it. ARGV: shard id.
-- Reply (docs/architecture.md, "Script replies"): { 'OK', 1 when dropped (0: not this shard's) }.
if redis.call('GET', K.lease) == ARGV[1] then return { 'OK', redis.call('DEL', K.lease) } end
return { 'OK', 0 }
