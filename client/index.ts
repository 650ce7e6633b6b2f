export * from './errors.js';
export * from './protocol.js';
export { HuntHttpClient, HttpError, type HuntViewBody } from './http-client.js';
export { PlayerSocket } from './player-socket.js';
