/**
 * Player WebSockets: token check at the upgrade, `welcome` (or a replay after `since`),
 * validated frames routed to room streams, replies and deltas pushed back, per-connection
 * rate limits, and slow consumers cut off.
 */
import type { HttpRequest, HttpResponse, TemplatedApp, us_socket_context_t, WebSocket } from 'uWebSockets.js';
import type { Logger } from 'pino';
import { ERRORS, HuntError, isErrorCode, type ErrorCode } from '../protocol/index.js';
import { clientMessage, type ClientMessage, type ServerMessage } from '../protocol/index.js';
import type { LimitsConfig } from '../config/index.js';
import { toStreamEvent, type HuntStore } from '../rooms/index.js';
import type { TokenSigner } from './auth.js';
import type { Fanout } from './fanout.js';
import type { NodeMetrics } from './metrics.js';
import type { EventRouter } from './router.js';

interface SocketData {
  player: string;
  hunt: string;
  since: number | null;
  closed: boolean;
  tokens: number;
  refilledAt: number;
  strikes: number;
  joined: boolean;
}
type Socket = WebSocket<SocketData>;

export interface GatewayDeps {
  app: TemplatedApp;
  store: HuntStore;
  router: EventRouter;
  fanout: Fanout;
  signer: TokenSigner;
  metrics: NodeMetrics;
  logger: Logger;
  /** the limits in force now; read on every use so a change applies to open connections */
  limits: () => LimitsConfig;
  /** leaderboard entries in `welcome` */
  topN: () => number;
}

/** Frames above this are cut by uWS itself (no close code); frames above LIMITS.maxFrameBytes get 1009. */
const TRANSPORT_MAX_PAYLOAD = 4 * 1024 * 1024;

export const huntTopic = (hunt: string): string => `hunt/${hunt}`;

function decodeText(message: ArrayBuffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(message);
  } catch {
    return null;
  }
}

export class Gateway {
  private readonly sockets = new Set<Socket>();
  private readonly byPlayer = new Map<string, Set<Socket>>();
  /** answer received time by `${player}:${id}`, for hunt_answer_result_seconds */
  private readonly answerStarted = new Map<string, number>();
  private sweep: NodeJS.Timeout | undefined;

  private readonly received: Record<ClientMessage['t'], { inc(by?: number): void }>;

  constructor(private readonly deps: GatewayDeps) {
    const c = deps.metrics.eventsReceived;
    this.received = { move: c.labels({ type: 'move' }), answer: c.labels({ type: 'answer' }), hint: c.labels({ type: 'hint' }), ping: c.labels({ type: 'ping' }) };
  }

  install(): void {
    const { app } = this.deps;
    const limits = this.deps.limits();
    app.ws<SocketData>('/ws', {
      // uWS drops a connection past maxPayloadLength without a close frame, so the transport
      // cap sits well above the contract's limit, which is checked per message (1009).
      maxPayloadLength: TRANSPORT_MAX_PAYLOAD,
      maxBackpressure: Math.max(limits.maxBackpressureBytes, TRANSPORT_MAX_PAYLOAD),
      closeOnBackpressureLimit: 0,
      idleTimeout: limits.idleTimeoutSeconds,
      sendPingsAutomatically: true,
      upgrade: (res, req, context) => this.upgrade(res, req, context),
      open: (ws) => this.open(ws),
      message: (ws, message, isBinary) => this.message(ws, message, isBinary),
      close: (ws) => this.closed(ws),
    });
    this.sweep = setInterval(() => this.cutSlowConsumers(), 250);
  }

  get connections(): number {
    return this.sockets.size;
  }

  private upgrade(res: HttpResponse, req: HttpRequest, context: us_socket_context_t): void {
    const query = new URLSearchParams(req.getQuery() ?? '');
    const key = req.getHeader('sec-websocket-key');
    const protocol = req.getHeader('sec-websocket-protocol');
    const extensions = req.getHeader('sec-websocket-extensions');
    try {
      const claims = this.deps.signer.verify(query.get('token') ?? undefined);
      const sinceRaw = query.get('since');
      // since=0 means "seen nothing": a fresh welcome, not a replay of the whole log
      const since = sinceRaw !== null && /^\d+$/.test(sinceRaw) && Number(sinceRaw) > 0 ? Number(sinceRaw) : null;
      const data: SocketData = { player: claims.p, hunt: claims.h, since, closed: false, tokens: this.deps.limits().burst, refilledAt: Date.now(), strikes: 0, joined: false };
      res.upgrade(data, key, protocol, extensions, context);
    } catch (err) {
      const e = err instanceof HuntError ? err : new HuntError('UNAUTHORIZED');
      res.cork(() => {
        res.writeStatus('401 Unauthorized').writeHeader('content-type', 'application/json; charset=utf-8').end(JSON.stringify(e.toBody()));
      });
    }
  }

  private open(ws: Socket): void {
    const data = ws.getUserData();
    this.sockets.add(ws);
    let set = this.byPlayer.get(data.player);
    if (!set) this.byPlayer.set(data.player, (set = new Set()));
    set.add(ws);
    this.deps.metrics.wsConnections.set({}, this.sockets.size);
    this.greet(ws, data).catch((err: unknown) => {
      this.deps.logger.error({ err, player: data.player, hunt: data.hunt }, 'welcome failed');
      this.end(ws, 1011, 'INTERNAL');
    });
  }

  /** Sends `welcome`, or the deltas missed since `since`, then joins the hunt's topic without a gap. */
  private async greet(ws: Socket, data: SocketData): Promise<void> {
    const { store, fanout } = this.deps;
    // counted at once, so a socket that closes while the subscription settles still leaves it
    const subscribed = fanout.join(data.hunt);
    data.joined = true;
    await subscribed;
    if (data.closed) return;
    const record = await store.player(data.hunt, data.player);
    if (!record || record.removed) {
      if (record) this.end(ws, ERRORS.PLAYER_REMOVED.close, 'PLAYER_REMOVED');
      else this.end(ws, ERRORS.UNAUTHORIZED.close, 'UNAUTHORIZED');
      return;
    }
    const replay = data.since === null ? null : await store.deltasSince(data.hunt, data.since);
    let messages: ServerMessage[];
    let upTo: number;
    if (replay !== null && data.since !== null) {
      messages = replay;
      upTo = replay.at(-1)?.seq ?? data.since;
    } else {
      const state = await store.welcome(data.hunt, data.player, this.deps.topN());
      messages = [{ t: 'welcome', player: { id: data.player, name: record.name }, ...state }];
      upTo = state.seq;
    }
    if (data.closed) return;
    ws.cork(() => {
      for (const m of messages) ws.send(JSON.stringify(m));
      for (const d of fanout.recentSince(data.hunt, upTo)) ws.send(JSON.stringify(d));
      ws.subscribe(huntTopic(data.hunt));
    });
  }

  private message(ws: Socket, message: ArrayBuffer, isBinary: boolean): void {
    const data = ws.getUserData();
    const limits = this.deps.limits();
    if (message.byteLength > limits.maxFrameBytes) {
      this.deps.metrics.rejected.inc({ code: 'FRAME_TOO_LARGE' });
      this.end(ws, ERRORS.FRAME_TOO_LARGE.close, 'FRAME_TOO_LARGE');
      return;
    }
    if (!allow(data, limits)) {
      this.deps.metrics.rejected.inc({ code: 'RATE_LIMITED' });
      if (++data.strikes >= limits.strikesBeforeClose) this.end(ws, ERRORS.RATE_LIMITED.close, 'RATE_LIMITED');
      else this.sendError(ws, 'RATE_LIMITED');
      return;
    }
    data.strikes = 0;
    const text = isBinary ? null : decodeText(message);
    if (text === null) return this.sendError(ws, 'BAD_REQUEST', undefined, 'frames must be UTF-8 JSON text');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return this.sendError(ws, 'INVALID_JSON');
    }
    const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : undefined;
    const t = typeof raw === 'object' && raw !== null ? (raw as { t?: unknown }).t : undefined;
    if (typeof t !== 'string' || !['answer', 'hint', 'move', 'ping'].includes(t)) return this.sendError(ws, 'UNKNOWN_MESSAGE', id, `unknown message type ${JSON.stringify(t ?? null)}`);
    const parsed = clientMessage.safeParse(raw);
    if (!parsed.success) return this.sendError(ws, 'VALIDATION_FAILED', id, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    this.handle(ws, data, parsed.data);
  }

  private handle(ws: Socket, data: SocketData, msg: ClientMessage): void {
    this.received[msg.t].inc();
    if (msg.t === 'ping') {
      ws.send(JSON.stringify({ t: 'pong', id: msg.id, ts: Date.now() } satisfies ServerMessage));
      return;
    }
    const event = toStreamEvent(data.hunt, data.player, msg);
    if (msg.t === 'move') {
      // no reply for moves; a failed write is logged by the router and counted
      this.deps.router.enqueue(data.hunt, event);
      return;
    }
    if (msg.t === 'answer') this.answerStarted.set(`${data.player}:${msg.id}`, performance.now());
    this.deps.router.enqueue(data.hunt, event, (err) => {
      if (!err || data.closed) return;
      ws.cork(() => this.sendError(ws, 'INTERNAL', msg.id, 'the event could not be stored; send it again'));
    });
  }

  private sendError(ws: Socket, code: ErrorCode, id?: string, message?: string): void {
    const body: ServerMessage = { t: 'error', ...(id === undefined ? {} : { id }), code, message: message ?? ERRORS[code].message };
    ws.send(JSON.stringify(body));
  }

  private end(ws: Socket, code: number, reason: string): void {
    const data = ws.getUserData();
    if (data.closed) return;
    data.closed = true;
    ws.end(code, reason);
  }

  private closed(ws: Socket): void {
    const data = ws.getUserData();
    data.closed = true;
    this.sockets.delete(ws);
    const set = this.byPlayer.get(data.player);
    set?.delete(ws);
    if (set?.size === 0) this.byPlayer.delete(data.player);
    if (data.joined) this.deps.fanout.leave(data.hunt);
    this.deps.metrics.wsConnections.set({}, this.sockets.size);
  }

  /** A shard's reply (result, hint, error) for a player on this node. */
  toPlayer(player: string, message: Record<string, unknown>): void {
    const id = typeof message.id === 'string' ? message.id : undefined;
    if (message.t === 'error' && typeof message.code === 'string' && isErrorCode(message.code) && message.message === undefined) {
      message = { ...message, message: ERRORS[message.code].message };
    }
    if (message.t === 'result' && id !== undefined) {
      const started = this.answerStarted.get(`${player}:${id}`);
      if (started !== undefined) {
        this.answerStarted.delete(`${player}:${id}`);
        this.deps.metrics.answerResultSeconds.observe((performance.now() - started) / 1000);
      }
    }
    const sockets = this.byPlayer.get(player);
    if (!sockets) return;
    const json = JSON.stringify(message);
    for (const ws of sockets) if (!ws.getUserData().closed) ws.cork(() => ws.send(json));
  }

  kick(hunt: string, player: string): void {
    for (const ws of this.byPlayer.get(player) ?? []) {
      if (ws.getUserData().hunt === hunt) this.end(ws, ERRORS.PLAYER_REMOVED.close, 'PLAYER_REMOVED');
    }
  }

  private cutSlowConsumers(): void {
    const limit = this.deps.limits().maxBackpressureBytes;
    for (const ws of this.sockets) {
      if (ws.getBufferedAmount() > limit) this.end(ws, ERRORS.SLOW_CONSUMER.close, 'SLOW_CONSUMER');
    }
    if (this.answerStarted.size > 100_000) this.answerStarted.clear();
  }

  /** Tells every client the node is going away (1001). */
  closeAll(): void {
    clearInterval(this.sweep);
    for (const ws of [...this.sockets]) this.end(ws, ERRORS.SHUTTING_DOWN.close, 'SHUTTING_DOWN');
  }
}

/** Token bucket per connection. */
function allow(data: SocketData, limits: LimitsConfig): boolean {
  const now = Date.now();
  data.tokens = Math.min(limits.burst, data.tokens + ((now - data.refilledAt) / 1000) * limits.messagesPerSecond);
  data.refilledAt = now;
  if (data.tokens < 1) return false;
  data.tokens -= 1;
  return true;
}
