--@uses meta progress submissionOrder submissionPending submissions
-- Judged submissions (free text, photos): one waits per player (team) and puzzle; the hunt
-- keeps at most S.maxSubmissions of them. Uses K.meta, K.submissions, K.submissionOrder,
-- K.submissionPending and what sequence.lua uses.
--@include sequence

-- Queues a submission; returns nil, or the error code that refuses it.
local function submit(owner, player, puzzle, sid, now, S, text, photo)
  local pkey = owner_key(owner, puzzle)
  if redis.call('HEXISTS', K.submissionPending, pkey) == 1 then return 'SUBMISSION_PENDING' end
  if redis.call('HEXISTS', K.submissions, sid) == 1 then return 'SUBMISSION_PENDING' end
  if redis.call('ZCARD', K.submissionOrder) >= S.maxSubmissions then return 'REVIEW_QUEUE_FULL' end
  local record = { id = sid, puzzle = puzzle, player = player, owner = owner, status = 'pending', at = now }
  if text then record.text = text end
  if photo then record.photo = photo end
  redis.call('HSET', K.submissions, sid, cjson.encode(record))
  redis.call('ZADD', K.submissionOrder, now, sid)
  redis.call('HSET', K.submissionPending, pkey, sid)
  redis.call('SADD', K.progress, owner)
  redis.call('HINCRBY', K.meta, 'pendingSubmissions', 1)
  return nil
end
