/**
 * A player's live connection, for browsers and Node alike (give it a WebSocket class): it
 * reconnects by itself with backoff, resumes from the last `seq` it saw, repairs a gap in the
 * deltas by reconnecting with `since`, and matches replies to requests by `id`.
 */
import type { ClientMessage, ServerMessage } from '../protocol/index.js';
import { isServerMessage } from '../protocol/guards.js';

/** The part of the WebSocket API this needs (the browser's, or the `ws` package's). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ConnectionOptions {
  /**
   * http(s) base of a front node, e.g. `https://hunt.example` or '' for the page's own origin;
   * several front nodes to fail over between: each reconnect tries the next one
   */
  baseUrl: string | readonly string[];
  token: string;
  socket: SocketFactory;
  onMessage?: (msg: ServerMessage) => void;
  onState?: (state: ConnectionState, detail?: { code?: number; reason?: string }) => void;
  /** @default 500 */
  minBackoffMs?: number;
  /** @default 5000 */
  maxBackoffMs?: number;
}

/** Close codes after which reconnecting cannot help. */
const FINAL_CLOSES = new Set([4001, 4008]);

export class HuntConnection {
  lastSeq = 0;
  /** this player's (or team's) standing: from the welcome, then from each `you` (a big hunt's deltas carry only the top) */
  you: { rank: number | null; score: number; seq: number } | null = null;
  state: ConnectionState = 'closed';
  private socket: SocketLike | undefined;
  private stopped = false;
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private counter = 0;
  /** no reconnect before this time (set by drop) */
  private holdUntil = 0;
  private readonly waiting = new Map<
    string,
    { resolve: (m: ServerMessage) => void; timer: ReturnType<typeof setTimeout> }
  >();

  constructor(private readonly opts: ConnectionOptions) {}

  start(): void {
    this.stopped = false;
    this.open(false);
  }

  /** which of the front nodes the next connect uses */
  private front = 0;

  private url(): string {
    const bases = typeof this.opts.baseUrl === 'string' ? [this.opts.baseUrl] : this.opts.baseUrl;
    const base = (bases[this.front % bases.length] ?? '').replace(/^http/, 'ws');
    const since = this.lastSeq > 0 ? `&since=${this.lastSeq}` : '';
    return `${base}/ws?token=${encodeURIComponent(this.opts.token)}${since}`;
  }

  private setState(state: ConnectionState, detail?: { code?: number; reason?: string }): void {
    this.state = state;
    this.opts.onState?.(state, detail);
  }

  private open(reconnecting: boolean): void {
    this.setState(reconnecting ? 'reconnecting' : 'connecting');
    const socket = this.opts.socket(this.url());
    this.socket = socket;
    socket.onopen = () => {
      this.attempts = 0;
      this.setState('open');
    };
    socket.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      let msg: unknown;
      try {
        msg = JSON.parse(ev.data);
      } catch {
        return;
      }
      if (isServerMessage(msg)) this.receive(msg);
    };
    socket.onerror = () => undefined; // a close follows
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (this.stopped || FINAL_CLOSES.has(ev.code)) {
        this.setState('closed', { code: ev.code, reason: ev.reason });
        return;
      }
      const min = this.opts.minBackoffMs ?? 500;
      const delay = Math.max(
        Math.min(this.opts.maxBackoffMs ?? 5000, min * 2 ** this.attempts++),
        this.holdUntil - Date.now(),
      );
      this.setState('reconnecting', { code: ev.code, reason: ev.reason });
      // a socket that never opened, or a node going away, points at the node: try the next one
      if (ev.code === 1006 || ev.code === 1001 || this.attempts > 1) this.front++;
      this.timer = setTimeout(() => this.open(true), delay);
    };
  }

  private receive(msg: ServerMessage): void {
    if (msg.t === 'welcome') {
      this.lastSeq = msg.seq;
      this.you = { ...msg.you, seq: msg.seq };
    }
    // a `you` formed before what is known already (a welcome read later) says nothing new
    if (msg.t === 'you' && (this.you === null || msg.seq >= this.you.seq))
      this.you = { rank: msg.rank, score: msg.score, seq: msg.seq };
    if (msg.t === 'lb') {
      const delta = msg;
      if (delta.seq <= this.lastSeq) return; // already seen (a replay overlapping live deltas)
      if (this.lastSeq > 0 && delta.seq > this.lastSeq + 1) {
        // a gap: come back with `since` and get the missed deltas in order
        this.socket?.close(4000, 'gap');
        return;
      }
      this.lastSeq = delta.seq;
    }
    if ('id' in msg && typeof msg.id === 'string') {
      const w = this.waiting.get(msg.id);
      if (w) {
        clearTimeout(w.timer);
        this.waiting.delete(msg.id);
        w.resolve(msg);
      }
    }
    this.opts.onMessage?.(msg);
  }

  nextId(prefix = 'r'): string {
    return `${prefix}${Date.now().toString(36)}${(++this.counter).toString(36)}`;
  }

  /** Sends when open; returns false when the socket is not open (the caller may retry). */
  send(msg: ClientMessage): boolean {
    if (!this.socket || this.socket.readyState !== 1) return false;
    this.socket.send(JSON.stringify(msg));
    return true;
  }

  /** Sends a message with an id and resolves with its reply; resends after a reconnect until `timeoutMs`. */
  request(msg: Exclude<ClientMessage, { t: 'move' }>, timeoutMs = 10_000): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(msg.id);
        reject(new Error(`no reply to ${msg.t} ${msg.id} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(msg.id, { resolve, timer });
      const trySend = (): void => {
        if (!this.waiting.has(msg.id)) return;
        // the same id again never scores twice, so resending after a drop is safe
        if (!this.send(msg)) setTimeout(trySend, 250);
      };
      trySend();
    });
  }

  /** Drops the socket as a network failure would, staying away at least `holdMs` (for tests and demos). */
  drop(holdMs = 0): void {
    this.holdUntil = Date.now() + holdMs;
    this.socket?.close(4000, 'dropped');
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close(1000, 'bye');
    for (const w of this.waiting.values()) clearTimeout(w.timer);
    this.waiting.clear();
  }
}
