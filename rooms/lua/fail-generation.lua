--@keys meta
-- Generation gave up: the hunt fails with a reason (only while it is still generating).
-- ARGV: reason, hunt channel
-- Reply (docs/architecture.md, "Script replies"): { 'OK', 1 when the hunt failed now (0 otherwise) }.
if redis.call('HGET', K.meta, 'status') ~= 'generating' then return { 'OK', 0 } end
redis.call('HSET', K.meta, 'status', 'failed', 'failure', ARGV[1])
redis.call('SPUBLISH', ARGV[2], cjson.encode({ t = 'hunt', status = 'failed' }))
return { 'OK', 1 }
