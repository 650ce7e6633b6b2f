export { Keys, partitionOf, STREAM_GROUP, type HuntKeys } from './keys.js';
export { HuntStore, newId, type HuntView, type LifecycleAction, type PlayerRecord, type StoredPuzzle, type WelcomeState } from './hunt-store.js';
export { Shard, type ShardMetrics, type Verifier, type VerifyItem } from './shard.js';
export { entryFields, toStreamEvent, type StreamEvent } from './events.js';
