export * from './defaults.js';
export * from './env.js';
export * from './schemas.js';
export { ConfigStore, ConfigConflictError, ConfigInvalidError, HISTORY_CAP, type ConfigRecord } from './store.js';
export { LiveConfig, NODE_REPORT_STALE_MS } from './live.js';
export { playStoppers, type DeploymentFacts, type PlayStopper } from './guard-rails.js';
