/**
 * The fallback transport's HttpRequest and HttpResponse over `node:http`, with uWS's
 * semantics: lower-case methods, raw paths and parameters, '' for a missing header, the body
 * in chunks ending with one marked last, onAborted once when the peer leaves first, writes in
 * any order inside `cork`. A request that asks for a WebSocket upgrade gets a SocketResponse,
 * which writes its reply to the raw socket, or hands the socket to `ws`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import type { HttpRequest, HttpResponse, UpgradeContext } from './types.js';

const EMPTY = new ArrayBuffer(0);
const encoder = new TextEncoder();

function toArrayBuffer(chunk: Buffer): ArrayBuffer {
  return new Uint8Array(chunk).buffer;
}

function toBuffer(body: string | Uint8Array | ArrayBuffer | undefined): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  return body instanceof ArrayBuffer ? Buffer.from(body) : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/** "404 Not Found" → [404, "Not Found"] */
function parseStatus(status: string): [number, string] {
  const m = /^(\d{3})\s*(.*)$/.exec(status.trim());
  const code = m ? Number(m[1]) : 200;
  return [code, m?.[2] || STATUS_CODES[code] || 'Status'];
}

export class NodeHttpRequest implements HttpRequest {
  private readonly path: string;
  private readonly query: string;

  constructor(
    private readonly req: IncomingMessage,
    private readonly params: readonly string[],
  ) {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    this.path = q < 0 ? url : url.slice(0, q);
    this.query = q < 0 ? '' : url.slice(q + 1);
  }

  static pathOf(req: IncomingMessage): string {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    return q < 0 ? url : url.slice(0, q);
  }

  getHeader(lowerCaseKey: string): string {
    const v = this.req.headers[lowerCaseKey.toLowerCase()];
    return v === undefined ? '' : Array.isArray(v) ? v.join(', ') : v;
  }

  getParameter(index: number): string {
    return this.params[index] ?? '';
  }

  getUrl(): string {
    return this.path;
  }

  getMethod(): string {
    return (this.req.method ?? 'GET').toLowerCase();
  }

  getQuery(): string {
    return this.query;
  }

  forEach(cb: (key: string, value: string) => void): void {
    const raw = this.req.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) cb(raw[i]!.toLowerCase(), raw[i + 1]!);
  }
}

/** What both responses share: status and headers kept until the body is written. */
abstract class BaseResponse implements HttpResponse {
  protected status: [number, string] = [200, 'OK'];
  protected readonly headers: [string, string][] = [];
  protected done = false;
  private aborted = false;
  private onAbort: (() => void) | undefined;

  constructor(protected readonly req: IncomingMessage) {}

  writeStatus(status: string): HttpResponse {
    this.status = parseStatus(status);
    return this;
  }

  writeHeader(key: string, value: string): HttpResponse {
    this.headers.push([key, value]);
    return this;
  }

  end(body?: string | Uint8Array | ArrayBuffer, closeConnection?: boolean): HttpResponse {
    if (this.done || this.aborted) return this;
    this.done = true;
    this.finish(toBuffer(body), true, closeConnection ?? false);
    return this;
  }

  write(chunk: string | Uint8Array | ArrayBuffer): boolean {
    if (this.done || this.aborted) return false;
    return this.stream(toBuffer(chunk));
  }

  endWithoutBody(_reportedContentLength?: number, closeConnection?: boolean): HttpResponse {
    if (this.done || this.aborted) return this;
    this.done = true;
    this.finish(Buffer.alloc(0), false, closeConnection ?? false);
    return this;
  }

  onAborted(handler: () => void): HttpResponse {
    this.onAbort = handler;
    return this;
  }

  onData(handler: (chunk: ArrayBuffer, isLast: boolean) => void): HttpResponse {
    this.req.on('data', (chunk: Buffer) => handler(toArrayBuffer(chunk), false));
    this.req.on('end', () => handler(EMPTY, true));
    return this;
  }

  getRemoteAddressAsText(): ArrayBuffer {
    return encoder.encode(this.req.socket.remoteAddress ?? '').buffer;
  }

  cork(cb: () => void): HttpResponse {
    cb();
    return this;
  }

  upgrade<UserData>(
    _userData: UserData,
    _key: string,
    _protocol: string,
    _extensions: string,
    _context: UpgradeContext,
  ): void {
    throw new Error('upgrade is only possible from a WebSocket route');
  }

  /** The peer went away before the response ended: onAborted runs once. */
  protected abort(): void {
    if (this.done || this.aborted) return;
    this.aborted = true;
    this.onAbort?.();
  }

  protected abstract finish(body: Buffer, withLength: boolean, close: boolean): void;
  protected abstract stream(chunk: Buffer): boolean;
}

export class NodeHttpResponse extends BaseResponse {
  constructor(
    req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {
    super(req);
    res.once('close', () => this.abort());
  }

  private head(): void {
    const { res } = this;
    res.statusCode = this.status[0];
    res.statusMessage = this.status[1];
    for (const [k, v] of this.headers) res.appendHeader(k, v);
  }

  protected finish(body: Buffer, withLength: boolean, close: boolean): void {
    const { res } = this;
    if (res.destroyed) return;
    if (!res.headersSent) {
      this.head();
      if (close) res.setHeader('connection', 'close');
      if (withLength) res.setHeader('content-length', body.byteLength);
    }
    res.end(body);
  }

  protected stream(chunk: Buffer): boolean {
    const { res } = this;
    if (res.destroyed) return false;
    if (!res.headersSent) this.head();
    return res.write(chunk);
  }
}

/** A response on a socket that asked for an upgrade: an HTTP reply written raw, or the socket handed to `ws`. */
export class SocketResponse extends BaseResponse {
  private upgrader: ((userData: unknown) => void) | undefined;

  constructor(
    req: IncomingMessage,
    private readonly socket: Duplex,
  ) {
    super(req);
    socket.once('close', () => this.abort());
  }

  /** set by the app for requests on a WebSocket route */
  allowUpgrade(upgrader: (userData: unknown) => void): void {
    this.upgrader = upgrader;
  }

  override upgrade<UserData>(userData: UserData): void {
    if (!this.upgrader || this.done) throw new Error('upgrade is only possible once, from a WebSocket route');
    this.done = true;
    this.upgrader(userData);
  }

  protected stream(): boolean {
    throw new Error('a response on a WebSocket route cannot stream');
  }

  protected finish(body: Buffer, withLength: boolean, close: boolean): void {
    if (this.socket.destroyed) return;
    const lines = [`HTTP/1.1 ${this.status[0]} ${this.status[1]}`, ...this.headers.map(([k, v]) => `${k}: ${v}`)];
    if (withLength) lines.push(`content-length: ${body.byteLength}`);
    // the socket was asked to become a WebSocket: after a plain reply it serves nothing else
    void close;
    lines.push('connection: close', '', '');
    this.socket.end(Buffer.concat([Buffer.from(lines.join('\r\n')), body]));
  }
}
