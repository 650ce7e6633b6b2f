/**
 * The fallback transport's WebSocket: a `ws` socket behind uWS's interface. As on uWS, `end`
 * runs the close handler at once (the socket is gone for the server from then on, whatever
 * the peer does with the closing handshake), sends past `maxBackpressure` are dropped (2),
 * and topics live in the app (see ws-app.ts).
 */
import type { WebSocket as WsSocket } from 'ws';
import type { WebSocket, WebSocketBehavior } from './types.js';

const encoder = new TextEncoder();

/** What the app sees of a socket, whatever its user data. */
export interface HostedSocket {
  readonly closed: boolean;
  readonly lastHeard: number;
  pingedAt: number;
  readonly topics: Set<string>;
  send(message: string | Uint8Array | ArrayBuffer, isBinary?: boolean): number;
  terminate(): void;
  ping(): void;
}

export interface SocketHost {
  /** forgets the socket's topics and its idle watch */
  release(socket: HostedSocket): void;
  subscribe(socket: HostedSocket, topic: string): void;
}

export class FallbackSocket<UserData> implements WebSocket<UserData>, HostedSocket {
  closed = false;
  /** when the peer last sent anything (frames, pings, pongs), epoch ms */
  lastHeard = Date.now();
  /** when the idle watch last pinged the peer, epoch ms */
  pingedAt = 0;
  readonly topics = new Set<string>();

  readonly raw: WsSocket;
  private readonly userData: UserData;
  private readonly behavior: WebSocketBehavior<UserData>;
  private readonly host: SocketHost;

  constructor(deps: { raw: WsSocket; userData: UserData; behavior: WebSocketBehavior<UserData>; host: SocketHost }) {
    const { raw } = deps;
    this.raw = raw;
    this.userData = deps.userData;
    this.behavior = deps.behavior;
    this.host = deps.host;
    raw.binaryType = 'arraybuffer';
    const heard = (): void => void (this.lastHeard = Date.now());
    raw.on('ping', heard);
    raw.on('pong', heard);
    raw.on('message', (data: ArrayBuffer, isBinary: boolean) => {
      heard();
      // as on uWS, nothing reaches the server after it ended the socket
      if (!this.closed) void this.behavior.message?.(this, data, isBinary);
    });
    raw.on('close', (code: number, reason: Buffer) => this.gone(code, reason));
    // an error is followed by 'close'; without a listener it would throw
    raw.on('error', () => undefined);
  }

  send(message: string | Uint8Array | ArrayBuffer, isBinary = false): number {
    if (this.closed || this.raw.readyState !== this.raw.OPEN) return 2;
    if (this.raw.bufferedAmount > (this.behavior.maxBackpressure ?? 64 * 1024)) return 2;
    this.raw.send(message, { binary: isBinary });
    return this.raw.bufferedAmount > 0 ? 0 : 1;
  }

  getBufferedAmount(): number {
    return this.raw.bufferedAmount;
  }

  end(code = 1000, shortMessage = ''): void {
    if (this.closed) return;
    try {
      this.raw.close(code, shortMessage);
    } catch {
      // a code ws refuses to send (1005, 1006...): the socket goes without a close frame
      this.raw.terminate();
    }
    this.gone(code, Buffer.from(shortMessage));
  }

  /** Closes without a handshake (the idle timeout, or the node's last step). */
  terminate(code = 1006): void {
    if (this.closed) return;
    this.raw.terminate();
    this.gone(code, Buffer.alloc(0));
  }

  ping(): void {
    if (!this.closed) this.raw.ping();
  }

  subscribe(topic: string): boolean {
    if (this.closed) return false;
    this.host.subscribe(this, topic);
    return true;
  }

  cork(cb: () => void): WebSocket<UserData> {
    cb();
    return this;
  }

  getUserData(): UserData {
    return this.userData;
  }

  private gone(code: number, reason: Buffer | Uint8Array): void {
    if (this.closed) return;
    this.closed = true;
    this.host.release(this);
    const bytes = reason.byteLength ? reason : encoder.encode('');
    this.behavior.close?.(this, code, new Uint8Array(bytes).buffer);
  }
}
