/**
 * The game masters' live channel: `GET /api/hunts/:id/live` with the GM key, an event stream
 * (`text/event-stream`) of what happens in the hunt that a console must see at once: players'
 * help requests (`event: help`) and messages as they are delivered (`event: message`). The
 * stream opens with `event: ready` once this node hears the hunt's channel; a console reads
 * `GET .../messages` after that and merges by id, so nothing falls between the two. Consoles
 * read it with `fetch` (an EventSource cannot send the Authorization header).
 */
import type { App, HttpRequest, HttpResponse } from './transport/index.js';
import type { Logger } from 'pino';
import { HuntError } from '../protocol/index.js';
import type { HuntStore } from '../rooms/index.js';
import type { Access } from './access.js';
import type { Fanout } from './fanout.js';
import { COMMON_HEADERS, errorReply, guardHttp, send } from './http.js';

/** A comment line this often keeps proxies and the transport from closing an idle stream. */
const HEARTBEAT_MS = 5_000;
/** Writes in a row that could not go out at once before a stream is cut as too slow. */
const MAX_SLOW_WRITES = 50;
/** Streams one node keeps open at once (a console holds one per hunt it shows). */
const MAX_STREAMS = 1_000;

interface Stream {
  res: HttpResponse;
  hunt: string;
  open: boolean;
  slow: number;
  /** the header it was opened with, checked again while it stays open (a deleted account's stream ends) */
  authorization: string;
  /** opened with a game-master account's key (the admin key cannot be deleted) */
  account: boolean;
}

/** How often the key of a stream opened with an account's key is checked again. */
const RECHECK_MS = 1_000;

export interface GmLiveDeps {
  app: App;
  store: HuntStore;
  fanout: Fanout;
  access: Access;
  logger: Logger;
  closing: () => boolean;
}

export class GmLive {
  private readonly streams = new Map<string, Set<Stream>>();
  private count = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private recheck: NodeJS.Timeout | undefined;

  constructor(private readonly deps: GmLiveDeps) {}

  install(): void {
    this.deps.app.get(
      '/api/hunts/:id/live',
      guardHttp(this.deps.logger, (res, req) => this.open(res, req)),
    );
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.recheck = setInterval(() => this.checkKeys(), RECHECK_MS);
  }

  /** Ends the streams whose account was deleted, or taken off the hunt, since they opened. */
  private checkKeys(): void {
    for (const set of this.streams.values()) {
      for (const stream of set) {
        if (!stream.account) continue;
        this.deps.access.check(stream.authorization, 'hunt', stream.hunt).catch(() => this.end(stream));
      }
    }
  }

  private async open(res: HttpResponse, req: HttpRequest): Promise<void> {
    const stream: Stream = { res, hunt: '', open: true, slow: 0, authorization: '', account: false };
    res.onAborted(() => this.drop(stream));
    // copied before any await
    const authorization = req.getHeader('authorization');
    let hunt: string;
    try {
      hunt = decodeURIComponent(req.getParameter(0) ?? '');
    } catch {
      hunt = '';
    }
    try {
      if (this.deps.closing()) throw new HuntError('SHUTTING_DOWN');
      if (!hunt || hunt.length > 64) throw new HuntError('HUNT_NOT_FOUND');
      stream.account = (await this.deps.access.check(authorization, 'hunt', hunt)).role === 'gm';
      stream.authorization = authorization;
      if (this.count >= MAX_STREAMS)
        throw new HuntError('OVERLOADED', `this node follows ${MAX_STREAMS} live streams already`, {
          retryAfterMs: 5000,
        });
      await this.deps.store.status(hunt);
    } catch (err) {
      if (stream.open) {
        stream.open = false;
        send(res, errorReply(err, this.deps.logger));
      }
      return;
    }
    if (!stream.open) return;
    stream.hunt = hunt;
    this.count++;
    let set = this.streams.get(hunt);
    if (!set) this.streams.set(hunt, (set = new Set()));
    set.add(stream);
    res.cork(() => {
      res.writeStatus('200 OK');
      res.writeHeader('content-type', 'text/event-stream; charset=utf-8');
      res.writeHeader('cache-control', 'no-store');
      res.writeHeader('x-accel-buffering', 'no');
      for (const [name, value] of COMMON_HEADERS) res.writeHeader(name, value);
      res.write(': live\n\n');
    });
    // counted at once (drop leaves it), heard once the subscription settles
    await this.deps.fanout.join(hunt);
    this.write(stream, 'event: ready\ndata: {}\n\n');
  }

  /** A hunt channel message for the consoles: `help` or a delivered `message`. */
  toGms(hunt: string, kind: 'help' | 'message', json: string): void {
    const set = this.streams.get(hunt);
    if (!set) return;
    const frame = `event: ${kind}\ndata: ${json}\n\n`;
    for (const stream of set) this.write(stream, frame);
  }

  private write(stream: Stream, frame: string): void {
    if (!stream.open) return;
    let ok = false;
    stream.res.cork(() => {
      ok = stream.res.write(frame);
    });
    stream.slow = ok ? 0 : stream.slow + 1;
    if (stream.slow > MAX_SLOW_WRITES) this.end(stream);
  }

  private beat(): void {
    for (const set of this.streams.values()) for (const stream of set) this.write(stream, ': ping\n\n');
  }

  private end(stream: Stream): void {
    if (!stream.open) return;
    const { res } = stream;
    this.drop(stream);
    res.cork(() => res.end());
  }

  /** Forgets a stream (aborted by the client, or ended here); never touches its response. */
  private drop(stream: Stream): void {
    if (!stream.open) return;
    stream.open = false;
    if (!stream.hunt) return;
    this.count--;
    const set = this.streams.get(stream.hunt);
    set?.delete(stream);
    if (set?.size === 0) this.streams.delete(stream.hunt);
    this.deps.fanout.leave(stream.hunt);
  }

  /** Ends every stream (the node is going away; consoles reconnect to another). */
  closeAll(): void {
    clearInterval(this.heartbeat);
    clearInterval(this.recheck);
    for (const set of [...this.streams.values()]) for (const stream of [...set]) this.end(stream);
  }
}
