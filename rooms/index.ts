export { foldName } from './hunt-players.js';
export { fnv1a, Keys, MESSAGE_LOG_MAX, partitionOf, STREAM_GROUP, type HuntKeys } from './keys.js';
export { moveLane, movePartitionIn, movePartitionOf, movePartitionSet } from './move-partitions.js';
export {
  HuntStore,
  newId,
  type HuntSettings,
  type HuntView,
  type LifecycleAction,
  type PlayerRecord,
  type StoredPuzzle,
  type WelcomeState,
} from './hunt-store.js';
export { Shard } from './shard.js';
export { type ShardMetrics, type Verdict, type Verifier, type VerifyItem } from './partition-consumer.js';
export { EpochRegistry, type Epoch } from './epochs.js';
export { entryFields, toStreamEvent, type StreamEvent } from './events.js';
export { scriptParams } from './params.js';
export { decodeScore } from './score.js';
export { streamBacklog, ensureStreamGroup, type StreamBacklog } from './scripts.js';
export { readReply, okValues, okIntegers, okInteger, type ScriptReply } from './script-replies.js';
export type { ScriptParams } from './params.js';
export { HuntScheduler, startScheduleWorker, type Schedule } from './schedule.js';
export { batchingVerifier } from './verify-batcher.js';
export { readDelta, readBoardDelta, type BoardDelta, type DeltasRead } from './delta-log.js';
export { ONLINE_TTL_MS, PRESENCE_REFRESH_MS } from './hunt-field.js';
export { inboxField } from './hunt-messages.js';
export {
  MediaStore,
  MAX_PHOTO_BYTES,
  MEDIA_CONTENT_TYPES,
  isMediaType,
  sniffMedia,
  type MediaType,
} from './media-store.js';
export { type Submission, type SubmissionStatus } from './hunt-submissions.js';
export { ownerKey } from './keys.js';
export { isLbDelta } from './stored.js';
export { huntPage, pageQuery, timeMember, HUNT_PAGE, type HuntPage, type HuntRow } from './hunt-list.js';
export { purgeHunt, mediaDir, HUNT_ID, type PurgeResult } from './hunt-purge.js';
export { playerSockets, SOCKET_CHANGES_MAX, type SocketChange } from './scripts.js';
