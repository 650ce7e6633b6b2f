export { Keys, partitionOf, STREAM_GROUP, type HuntKeys } from './keys.js';
export { HuntStore, newId, type HuntView, type LifecycleAction, type PlayerRecord, type StoredPuzzle, type WelcomeState } from './hunt-store.js';
export { Shard } from './shard.js';
export { type ShardMetrics, type Verifier, type VerifyItem } from './partition-consumer.js';
export { EpochRegistry, type Epoch } from './epochs.js';
export { entryFields, toStreamEvent, type StreamEvent } from './events.js';
export { scriptParams } from './params.js';
export { decodeScore, type ScriptParams } from './scripts.js';
export { HuntScheduler, startScheduleWorker, type Schedule } from './schedule.js';
