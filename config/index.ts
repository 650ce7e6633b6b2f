export * from './defaults.js';
export * from './env.js';
