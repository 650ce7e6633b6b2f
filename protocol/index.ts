/** The public contract shared by every part: message schemas and types, the error registry, fixed names. */
export * from './errors.js';
export * from './messages.js';
export * from './input.js';
export * from './message-kinds.js';
export * from './field.js';
export * from './authored.js';
export * from './normalize.js';
export * from './guards.js';
