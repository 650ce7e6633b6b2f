export { createNode, type HuntNode, type NodeOptions } from './node.js';
export { createLogger } from './logger.js';
export {
  loadNativeUws,
  nativeProblem,
  openTransport,
  TRANSPORT_CHOICES,
  TransportError,
  uwsPackage,
  UwsUnavailableError,
  type TransportChoice,
  type TransportKind,
} from './transport/index.js';
export { SERVER_NODE_FLAGS } from './node-flags.js';
