/**
 * The fallback transport: uWS's App on `node:http` and `ws`, for runtimes where no native
 * uWebSockets.js build loads (Node.js 22 and 24 here). The same routes, WebSocket behaviour
 * (upgrade with user data or a refusal, payload cap, backpressure, idle timeout with pings,
 * topics) and listen/close as the native transport; slower per message, and no TLS.
 *
 * Closing the listen handle stops accepting while the WebSockets already open are served;
 * the Listener may listen again on the same server.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { RouteTable } from './route-table.js';
import type { App, HttpResponse, ListenHandle, RouteHandler, Transport, WebSocketBehavior } from './types.js';
import { NodeHttpRequest, NodeHttpResponse, SocketResponse } from './ws-http.js';
import { FallbackSocket, type HostedSocket, type SocketHost } from './ws-socket.js';

type AnyBehavior = WebSocketBehavior<unknown>;

class FallbackApp implements App, SocketHost {
  private readonly routes = new RouteTable<RouteHandler>();
  private readonly wsRoutes = new RouteTable<{ behavior: AnyBehavior; server: WebSocketServer }>();
  private readonly topics = new Map<string, Set<HostedSocket>>();
  private readonly sockets = new Set<HostedSocket>();
  private readonly watches: NodeJS.Timeout[] = [];
  readonly http = createHttpServer((req, res) => this.request(req, res));

  constructor() {
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgradeRequest(req, socket, head),
    );
    // a malformed request: node answers 400 itself; this only keeps a reset from throwing
    this.http.on('clientError', (_err, socket: Duplex) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      else socket.destroy();
    });
  }

  get(pattern: string, handler: RouteHandler): App {
    return this.add('get', pattern, handler);
  }
  post(pattern: string, handler: RouteHandler): App {
    return this.add('post', pattern, handler);
  }
  put(pattern: string, handler: RouteHandler): App {
    return this.add('put', pattern, handler);
  }
  patch(pattern: string, handler: RouteHandler): App {
    return this.add('patch', pattern, handler);
  }
  del(pattern: string, handler: RouteHandler): App {
    return this.add('delete', pattern, handler);
  }
  options(pattern: string, handler: RouteHandler): App {
    return this.add('options', pattern, handler);
  }
  any(pattern: string, handler: RouteHandler): App {
    return this.add('any', pattern, handler);
  }

  ws<UserData>(pattern: string, behavior: WebSocketBehavior<UserData>): App {
    const server = new WebSocketServer({
      noServer: true,
      maxPayload: behavior.maxPayloadLength ?? 16 * 1024,
      perMessageDeflate: false,
      clientTracking: false,
    });
    this.wsRoutes.add('get', pattern, { behavior: behavior as AnyBehavior, server });
    const idle = behavior.idleTimeout ?? 120;
    if (idle > 0) {
      // uWS's resolution is about 4 s; a check every quarter of the timeout is as fine
      const watch = setInterval(
        () => this.watchIdle(behavior as AnyBehavior, idle * 1000),
        Math.max(1000, (idle * 1000) / 4),
      );
      watch.unref();
      this.watches.push(watch);
    }
    return this;
  }

  publish(topic: string, message: string | Uint8Array | ArrayBuffer, isBinary?: boolean): boolean {
    const subs = this.topics.get(topic);
    if (!subs) return false;
    for (const ws of subs) ws.send(message, isBinary);
    return subs.size > 0;
  }

  numSubscribers(topic: string): number {
    return this.topics.get(topic)?.size ?? 0;
  }

  subscribe(socket: HostedSocket, topic: string): void {
    let subs = this.topics.get(topic);
    if (!subs) this.topics.set(topic, (subs = new Set()));
    subs.add(socket);
    socket.topics.add(topic);
  }

  release(socket: HostedSocket): void {
    this.sockets.delete(socket);
    for (const topic of socket.topics) {
      const subs = this.topics.get(topic);
      subs?.delete(socket);
      if (subs?.size === 0) this.topics.delete(topic);
    }
    socket.topics.clear();
  }

  /** Ends every connection and stops the idle watches. */
  close(): void {
    for (const w of this.watches) clearInterval(w);
    for (const ws of [...this.sockets]) ws.terminate();
    this.http.closeAllConnections();
  }

  private add(method: string, pattern: string, handler: RouteHandler): App {
    this.routes.add(method, pattern, handler);
    return this;
  }

  private request(req: IncomingMessage, res: ServerResponse): void {
    const method = (req.method ?? 'GET').toLowerCase();
    const match = this.routes.match(method, NodeHttpRequest.pathOf(req));
    if (!match) {
      res.writeHead(404, { 'content-length': 0 }).end();
      return;
    }
    void match.handler(new NodeHttpResponse(req, res), new NodeHttpRequest(req, match.params));
  }

  private upgradeRequest(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = NodeHttpRequest.pathOf(req);
    const method = (req.method ?? 'GET').toLowerCase();
    const route = method === 'get' ? this.wsRoutes.match('get', path) : undefined;
    const res = new SocketResponse(req, socket);
    if (!route) {
      // not a WebSocket route: served as plain HTTP on this socket
      const match = this.routes.match(method, path);
      if (match) void match.handler(res, new NodeHttpRequest(req, match.params));
      else socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const { behavior, server } = route.handler;
    // uWS upgrades a route without an upgrade handler as it comes, with empty user data
    const upgrade = behavior.upgrade ?? ((r: HttpResponse) => r.upgrade({}, '', '', '', {}));
    res.allowUpgrade((userData) => {
      if (socket.destroyed) return;
      server.handleUpgrade(req, socket, head, (raw) => {
        const ws = new FallbackSocket({ raw, userData, behavior, host: this });
        this.sockets.add(ws);
        void behavior.open?.(ws);
      });
    });
    void upgrade(res, new NodeHttpRequest(req, route.params), {});
  }

  private watchIdle(behavior: AnyBehavior, idleMs: number): void {
    const now = Date.now();
    for (const ws of this.sockets) {
      if (ws.closed) continue;
      const quiet = now - ws.lastHeard;
      if (quiet > idleMs) ws.terminate();
      else if (behavior.sendPingsAutomatically && quiet > idleMs / 2 && ws.pingedAt < ws.lastHeard) {
        ws.pingedAt = now;
        ws.ping();
      }
    }
  }
}

/** The fallback transport: plain HTTP and WS (TLS belongs to a reverse proxy in front). */
export function wsTransport(): Transport {
  const app = new FallbackApp();
  return {
    kind: 'ws',
    scheme: 'http',
    app,
    listen: (host, port) =>
      new Promise<ListenHandle | null>((resolve) => {
        const { http } = app;
        const failed = (): void => resolve(null);
        http.once('error', failed);
        http.listen({ host, port, exclusive: true }, () => {
          http.off('error', failed);
          let open = true;
          resolve({
            port: boundPort(http.address()),
            close: () => {
              // stops accepting (and closes idle keep-alive connections); WebSockets stay
              if (open) http.close();
              open = false;
            },
          });
        });
      }),
    close: () => app.close(),
  };
}

/** The port a listening server is bound to (`address()` is a string only for a pipe, which is never asked). */
function boundPort(address: ReturnType<ReturnType<typeof createHttpServer>['address']>): number {
  if (address === null || typeof address === 'string') throw new Error(`not listening on a port (${address})`);
  return address.port;
}
