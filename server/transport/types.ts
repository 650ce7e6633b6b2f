/**
 * The one interface the front node serves through: the subset of uWebSockets.js's App,
 * HttpRequest, HttpResponse and WebSocket that the HTTP API, the gateway, the pages and the
 * fan-out use. The native uWS objects satisfy it as they are; the fallback (`ws` over
 * `node:http`, see ws-app.ts) implements it with the same semantics. Nothing outside
 * `server/transport/` knows which one runs.
 */

/** Handed from `upgrade` back into `res.upgrade` untouched (uWS's socket context). */
export type UpgradeContext = object;

export interface HttpRequest {
  /** a header's value, '' when absent; the name in lower case */
  getHeader(lowerCaseKey: string): string;
  /** the raw (still percent-encoded) value of the route's i-th `:param` */
  getParameter(index: number): string;
  /** the path, without the query, still percent-encoded */
  getUrl(): string;
  /** the method in lower case */
  getMethod(): string;
  /** the query string without its `?` ('' or undefined when there is none) */
  getQuery(): string | undefined;
  /** every header, names in lower case */
  forEach(cb: (key: string, value: string) => void): void;
}

export interface HttpResponse {
  writeStatus(status: string): HttpResponse;
  writeHeader(key: string, value: string): HttpResponse;
  end(body?: string | Uint8Array | ArrayBuffer, closeConnection?: boolean): HttpResponse;
  endWithoutBody(reportedContentLength?: number, closeConnection?: boolean): HttpResponse;
  /** called once if the peer goes away before the response ends */
  onAborted(handler: () => void): HttpResponse;
  /** the body in chunks (valid during the call only); the last has `isLast`; an empty body is one empty last chunk */
  onData(handler: (chunk: ArrayBuffer, isLast: boolean) => void): HttpResponse;
  getRemoteAddressAsText(): ArrayBuffer;
  /**
   * Streams part of the body (status and headers go first, with the first part); end() closes
   * it. False when the part waits in a buffer (backpressure). For event streams.
   */
  write(chunk: string | Uint8Array | ArrayBuffer): boolean;
  /** writes in `cb` go out together */
  cork(cb: () => void): HttpResponse;
  /** accepts a WebSocket upgrade with the socket's user data (from a `ws` route's `upgrade`) */
  upgrade<UserData>(
    userData: UserData,
    secWebSocketKey: string,
    secWebSocketProtocol: string,
    secWebSocketExtensions: string,
    context: UpgradeContext,
  ): void;
}

export interface WebSocket<UserData> {
  /** 1: sent; 0: sent, with backpressure building up; 2: dropped (over `maxBackpressure`) */
  send(message: string | Uint8Array | ArrayBuffer, isBinary?: boolean): number;
  /** bytes queued and not yet written to the peer */
  getBufferedAmount(): number;
  /** a graceful close with a code; the `close` handler runs at once */
  end(code?: number, shortMessage?: string): void;
  subscribe(topic: string): boolean;
  cork(cb: () => void): WebSocket<UserData>;
  getUserData(): UserData;
}

export interface WebSocketBehavior<UserData> {
  /** frames above this close the connection */
  maxPayloadLength?: number;
  /** bytes a socket may queue; sends past it are dropped (2) */
  maxBackpressure?: number;
  closeOnBackpressureLimit?: number;
  /** seconds without traffic after which the socket is closed; 0 disables */
  idleTimeout?: number;
  /** ping peers before the idle timeout so a live but quiet peer stays */
  sendPingsAutomatically?: boolean;
  upgrade?: (res: HttpResponse, req: HttpRequest, context: UpgradeContext) => void | Promise<void>;
  open?: (ws: WebSocket<UserData>) => void | Promise<void>;
  message?: (ws: WebSocket<UserData>, message: ArrayBuffer, isBinary: boolean) => void | Promise<void>;
  close?: (ws: WebSocket<UserData>, code: number, message: ArrayBuffer) => void;
}

export type RouteHandler = (res: HttpResponse, req: HttpRequest) => void | Promise<void>;

/** Routes: `:name` matches one segment, a trailing `/*` anything; static beats `:param` beats `*`. */
export interface App {
  get(pattern: string, handler: RouteHandler): App;
  post(pattern: string, handler: RouteHandler): App;
  put(pattern: string, handler: RouteHandler): App;
  patch(pattern: string, handler: RouteHandler): App;
  del(pattern: string, handler: RouteHandler): App;
  options(pattern: string, handler: RouteHandler): App;
  any(pattern: string, handler: RouteHandler): App;
  ws<UserData>(pattern: string, behavior: WebSocketBehavior<UserData>): App;
  /** sends to every socket subscribed to `topic` */
  publish(topic: string, message: string | Uint8Array | ArrayBuffer, isBinary?: boolean): boolean;
  /** sockets subscribed to `topic` now */
  numSubscribers(topic: string): number;
}

export interface ListenHandle {
  readonly port: number;
  /** stops accepting; open connections stay */
  close(): void;
}

export type TransportKind = 'uws' | 'ws';

export interface Transport {
  readonly kind: TransportKind;
  /** 'https' when the node serves TLS */
  readonly scheme: 'http' | 'https';
  readonly app: App;
  /** resolves null when the port cannot be had */
  listen(host: string, port: number): Promise<ListenHandle | null>;
  /** closes every connection still open (the last step of a node's shutdown) */
  close(): void;
}
