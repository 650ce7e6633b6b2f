export { createNode, type HuntNode, type NodeOptions } from './node.js';
export { createLogger } from './logger.js';
export { loadNativeUws, UwsFallbackError } from './uws-native.js';
export { SERVER_NODE_FLAGS } from './node-flags.js';
