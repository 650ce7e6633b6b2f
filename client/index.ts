/** The typed client: HTTP client, reconnecting connection, Node player socket, and the contract they speak. */
export * from '../protocol/index.js';
export { HuntHttpClient, HttpError, type HuntViewBody } from './http-client.js';
export { PlayerSocket } from './player-socket.js';
