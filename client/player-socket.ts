/**
 * A player's WebSocket for Node (tests, bots): typed sends, a queue of received messages
 * to wait on, request/reply by `id`, and the last `seq` seen for resuming with `since`.
 */
import WebSocket from 'ws';
import type { ClientMessage, ServerMessage } from '../protocol/index.js';
import { isServerMessage } from '../protocol/guards.js';

type Wanted<T extends ServerMessage['t']> = Extract<ServerMessage, { t: T }>;

export class PlayerSocket {
  readonly received: ServerMessage[] = [];
  lastSeq = 0;
  /** the last standing heard: the welcome's `you`, then each `{"t":"you"}` */
  you: { rank: number | null; score: number; seq: number } | null = null;
  closeCode: number | undefined;
  closeReason = '';
  private waiters: { test: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  private closedWaiters: ((code: number) => void)[] = [];
  private counter = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const msg: unknown = JSON.parse(data.toString());
      if (!isServerMessage(msg)) return;
      if (msg.t === 'welcome' || msg.t === 'lb') this.lastSeq = Math.max(this.lastSeq, msg.seq);
      if (msg.t === 'welcome') this.you = { ...msg.you, seq: msg.seq };
      if (msg.t === 'you' && (this.you === null || msg.seq >= this.you.seq))
        this.you = { rank: msg.rank, score: msg.score, seq: msg.seq };
      this.received.push(msg);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(msg)) return true;
        w.resolve(msg);
        return false;
      });
    });
    ws.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
      for (const w of this.closedWaiters) w(code);
      this.closedWaiters = [];
    });
  }

  /** Opens a socket; rejects with the HTTP status when the upgrade is refused. */
  static connect(baseUrl: string, token: string, since?: number): Promise<PlayerSocket> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}${since === undefined ? '' : `&since=${since}`}`;
    const ws = new WebSocket(url, { maxPayload: 64 * 1024 * 1024 });
    const socket = new PlayerSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_req, res) =>
        reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })),
      );
      ws.once('error', reject);
    });
  }

  send(msg: ClientMessage | Record<string, unknown>): void {
    this.ws.send(JSON.stringify(msg));
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  nextId(): string {
    return `r${++this.counter}-${Math.random().toString(36).slice(2, 8)}`;
  }

  /** Waits for the first message (already received or future) that passes the test. */
  waitFor<T extends ServerMessage>(
    test: (m: ServerMessage) => m is T,
    timeoutMs?: number,
    fromIndex?: number,
  ): Promise<T>;
  waitFor(test: (m: ServerMessage) => boolean, timeoutMs?: number, fromIndex?: number): Promise<ServerMessage>;
  waitFor(test: (m: ServerMessage) => boolean, timeoutMs = 10_000, fromIndex = 0): Promise<ServerMessage> {
    const seen = this.received.slice(fromIndex).find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(
          new Error(`no matching message within ${timeoutMs} ms; last: ${JSON.stringify(this.received.slice(-3))}`),
        );
      }, timeoutMs);
      const done = (m: ServerMessage): void => {
        clearTimeout(timer);
        resolve(m);
      };
      this.waiters.push({ test, resolve: done });
    });
  }

  waitType<T extends ServerMessage['t']>(t: T, timeoutMs?: number): Promise<Wanted<T>> {
    return this.waitFor((m): m is Wanted<T> => m.t === t, timeoutMs);
  }

  /** Sends a message with an `id` and waits for the reply (or error) carrying it. */
  async request(msg: Exclude<ClientMessage, { t: 'move' }>, timeoutMs = 10_000): Promise<ServerMessage> {
    const from = this.received.length;
    this.send(msg);
    return this.waitFor((m) => 'id' in m && m.id === msg.id, timeoutMs, from);
  }

  waitClose(timeoutMs = 10_000): Promise<number> {
    if (this.closeCode !== undefined) return Promise.resolve(this.closeCode);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs);
      this.closedWaiters.push((code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }

  close(): void {
    this.ws.close();
  }
}
