export * from '../protocol/errors.js';
export * from '../protocol/messages.js';
export { HuntHttpClient, HttpError, type HuntViewBody } from './http-client.js';
export { PlayerSocket } from './player-socket.js';
