/**
 * Player WebSockets: token check at the upgrade, `welcome` (or a replay after `since`),
 * validated frames routed to room streams, replies and deltas pushed back, rate limits per
 * player (one bucket across its sockets, see senders.ts), at most `limits.socketsPerPlayer`
 * sockets per player and `limits.socketsPerAddress` per address, and slow consumers cut off.
 */
import type { App, HttpRequest, HttpResponse, UpgradeContext, WebSocket } from './transport/index.js';
import type { BlockList } from 'node:net';
import type { Logger } from 'pino';
import {
  ERRORS,
  HuntError,
  isErrorCode,
  isGameMessage,
  MESSAGE_KINDS,
  perKind,
  type ClientMessage,
  type ClientMessageType,
  type ErrorCode,
  type FrontMessage,
  type HuntStatus,
  type ServerMessage,
} from '../protocol/index.js';
import type { LimitsConfig } from '../config/index.js';
import { toStreamEvent, type HuntStore, type PlayerRecord, type WelcomeState } from '../rooms/index.js';
import type { TokenSigner } from './auth.js';
import type { Fanout, Replay } from './fanout.js';
import type { NodeMetrics } from './metrics.js';
import { guardHttp } from './http.js';
import type { Admission } from './admission.js';
import type { EventRouter } from './router.js';
import { readMessage, readMoveInto, startsWithMove, type Coordinates } from './frames.js';
import { welcomeText } from './welcome-text.js';
import { clientAddress } from './client-address.js';
import type { SocketRecords } from './socket-records.js';
import type { From, Senders } from './senders.js';
import type { Presence } from './presence.js';
import type { Standings } from './standings.js';

interface SocketData {
  player: string;
  hunt: string;
  /** when the token this socket opened with (or last renewed to) expires, epoch ms */
  expiresAt: number;
  /** until when refused moves go unanswered (one OVERLOADED per retry window) */
  shedNoticeUntil: number;
  since: number | null;
  closed: boolean;
  /** the player's and the address's entries: the rate-limit bucket and the recent rates */
  from: { player: From['player']; address: NonNullable<From['address']> };
  /** rate-limited frames in a row on this socket */
  strikes: number;
  joined: boolean;
  /** this socket's id across nodes (`<node>.<n>`), for limits.socketsPerPlayer across nodes; set at open */
  sid?: string;
  /** the player's team, once the welcome read it */
  team?: string | undefined;
  /** counted in the node's presence */
  present: boolean;
  /** the board entry (the player, or its team) whose `you` this socket gets, once welcomed */
  standing?: string;
}
type Socket = WebSocket<SocketData>;

export interface GatewayDeps {
  app: App;
  store: HuntStore;
  router: EventRouter;
  fanout: Fanout;
  signer: TokenSigner;
  metrics: NodeMetrics;
  /** refuses new events with OVERLOADED while the node cannot keep up */
  admission: Admission;
  logger: Logger;
  /** the limits in force now; read on every use so a change applies to open connections */
  limits: () => LimitsConfig;
  /** leaderboard entries in `welcome` */
  topN: () => number;
  /** per-player buckets and recent rates, shared with `POST /api/events` */
  senders: Senders;
  /** this node's id (socket ids across nodes start with it) */
  nodeId: string;
  /** the per-player socket record across nodes (opens and closes written a turn at a time) */
  socketRecords: SocketRecords;
  /** proxies whose X-Forwarded-For names the client (HUNT_TRUSTED_PROXIES) */
  trustedProxies: BlockList;
  /** who is online, as this node knows it */
  presence: Presence;
  /** each player's own standing (`you`) */
  standings: Standings;
}

/**
 * Frames above this are cut by uWS itself (no close code); frames above limits.maxFrameBytes
 * get 1009. The limits schema keeps maxFrameBytes at or below MAX_FRAME_BYTES, well under it.
 */
const TRANSPORT_MAX_PAYLOAD = 4 * 1024 * 1024;

/** Most sockets one sweep (every 250 ms) looks at. */
const SWEEP_SLICE = 5_000;

export const huntTopic = (hunt: string): string => `hunt/${hunt}`;
export const teamTopic = (hunt: string, team: string): string => `team/${hunt}/${team}`;

export class Gateway {
  private readonly sockets = new Set<Socket>();
  private readonly byPlayer = new Map<string, Set<Socket>>();
  /** sockets by their id across nodes, for drops another node asks for */
  private readonly bySid = new Map<string, Socket>();
  private socketsOpened = 0;
  /** a team hunt's sockets by team: replies addressed to a team go to its members */
  private readonly byTeam = new Map<string, Set<Socket>>();
  /** answer received time by `${player}:${id}`, for hunt_answer_result_seconds */
  private readonly answerStarted = new Map<string, number>();
  private sweep: NodeJS.Timeout | undefined;
  /** where the hot path reads a move's coordinates (one object for every frame) */
  private readonly coordinates: Coordinates = { lat: 0, lng: 0 };
  /** where the next sweep goes on from (a live iterator: sockets added meanwhile come later in it) */
  private sweepCursor: Iterator<Socket> | undefined;

  /** counters bumped per message, bound once: no label formatting on the hot path */
  private readonly received: Record<ClientMessageType, { inc(by?: number): void }>;
  private readonly shed: Record<ClientMessageType, { inc(by?: number): void }>;
  private readonly bytesSent: { inc(by?: number): void };

  constructor(private readonly deps: GatewayDeps) {
    this.received = perKind((t) => deps.metrics.eventsReceived.labels({ type: MESSAGE_KINDS[t].label }));
    this.shed = perKind((t) => deps.metrics.shed.labels({ type: MESSAGE_KINDS[t].label }));
    this.bytesSent = deps.metrics.wsBytesSent.labels({});
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
      // every callback runs inside the guard: a throw is logged and answered, never left to uWS
      upgrade: guardHttp(this.deps.logger, (res: HttpResponse, req: HttpRequest, context: UpgradeContext) =>
        this.upgrade(res, req, context),
      ),
      open: this.guarded('open', (ws) => this.open(ws)),
      message: (ws, message, isBinary) => {
        // the guard inlined: a closure per message is garbage the hot path can do without
        try {
          this.message(ws, message, isBinary);
        } catch (err) {
          this.failed(ws, 'message', err);
        }
      },
      close: this.guarded('close', (ws) => this.closed(ws)),
    });
    this.sweep = setInterval(() => this.sweepSockets(), 250);
  }

  get connections(): number {
    return this.sockets.size;
  }

  private upgrade(res: HttpResponse, req: HttpRequest, context: UpgradeContext): void {
    const query = new URLSearchParams(req.getQuery() ?? '');
    const key = req.getHeader('sec-websocket-key');
    const protocol = req.getHeader('sec-websocket-protocol');
    const extensions = req.getHeader('sec-websocket-extensions');
    try {
      const claims = this.deps.signer.verify(query.get('token') ?? undefined);
      const sinceRaw = query.get('since');
      // since=0 means "seen nothing": a fresh welcome, not a replay of the whole log
      const since = sinceRaw !== null && /^\d+$/.test(sinceRaw) && Number(sinceRaw) > 0 ? Number(sinceRaw) : null;
      const { senders } = this.deps;
      // the client as per-address limits count it: the peer, or the last X-Forwarded-For hop from a trusted proxy
      const address = senders.addresses.get(
        clientAddress(
          Buffer.from(res.getRemoteAddressAsText()).toString(),
          req.getHeader('x-forwarded-for'),
          this.deps.trustedProxies,
        ),
      );
      if (address.sockets >= this.deps.limits().socketsPerAddress) {
        this.deps.metrics.rejected.inc({ code: 'RATE_LIMITED' });
        throw new HuntError('RATE_LIMITED', `at most ${this.deps.limits().socketsPerAddress} sockets per address`);
      }
      const from = { player: senders.players.get(claims.p), address };
      const data: SocketData = {
        player: claims.p,
        hunt: claims.h,
        expiresAt: claims.exp * 1000,
        shedNoticeUntil: 0,
        since,
        closed: false,
        from,
        strikes: 0,
        joined: false,
        present: false,
      };
      res.upgrade(data, key, protocol, extensions, context);
    } catch (err) {
      const e = err instanceof HuntError ? err : new HuntError('UNAUTHORIZED');
      res.cork(() => {
        res
          .writeStatus(e.code === 'RATE_LIMITED' ? '429 Too Many Requests' : '401 Unauthorized')
          .writeHeader('content-type', 'application/json; charset=utf-8')
          .end(JSON.stringify(e.toBody()));
      });
    }
  }

  private open(ws: Socket): void {
    const data = ws.getUserData();
    this.sockets.add(ws);
    let set = this.byPlayer.get(data.player);
    if (!set) this.byPlayer.set(data.player, (set = new Set()));
    set.add(ws);
    data.from.player.sockets++;
    data.from.address.sockets++;
    this.deps.metrics.wsConnections.set({}, this.sockets.size);
    this.replaceOldest(set);
    this.register(ws, data);
    this.greet(ws, data).catch((err: unknown) => {
      this.deps.logger.error({ err, player: data.player, hunt: data.hunt }, 'welcome failed');
      this.end(ws, 1011, 'INTERNAL');
    });
  }

  /** Past `limits.socketsPerPlayer` open sockets, closes the player's oldest (4008). A set keeps opening order. */
  private replaceOldest(set: Set<Socket>): void {
    let extra = -this.deps.limits().socketsPerPlayer;
    for (const ws of set) if (!ws.getUserData().closed) extra++;
    for (const ws of set) {
      if (extra <= 0) break;
      if (ws.getUserData().closed) continue;
      extra--;
      this.deps.metrics.socketsReplaced.inc();
      this.end(ws, ERRORS.RATE_LIMITED.close, 'SOCKETS_PER_PLAYER');
    }
  }

  /** Sends `welcome`, or the deltas missed since `since`, then joins the hunt's topic without a gap. */
  private async greet(ws: Socket, data: SocketData): Promise<void> {
    const { store, fanout } = this.deps;
    // counted at once, so a socket that closes while the subscription settles still leaves it
    const subscribed = fanout.join(data.hunt);
    data.joined = true;
    await subscribed;
    if (data.closed) return;
    // a status change heard from here on may be missing from what is read below and, once it is
    // sent to the topic before this socket joins it, from what the socket hears
    const statusMark = fanout.statusMark(data.hunt);
    const noticeMark = fanout.noticeMark(data.hunt);
    const topN = this.deps.topN();
    let record: PlayerRecord | null;
    let replay: Replay | null = null;
    let state: WelcomeState | null = null;
    let status: HuntStatus | null = null;
    if (data.since === null) {
      // a fresh client: the welcome's read brings the player's record (a burst of joins shares one script call)
      ({ state, record } = await store.board.welcome(data.hunt, data.player, topN));
    } else {
      // the status too: a client that comes back may have missed a {"t":"hunt"} while away
      [record, replay, status] = await Promise.all([
        store.players.get(data.hunt, data.player),
        fanout.replay(data.hunt, data.since),
        store.status(data.hunt),
      ]);
    }
    if (!record || record.removed) {
      if (record) this.end(ws, ERRORS.PLAYER_REMOVED.close, 'PLAYER_REMOVED');
      else this.end(ws, ERRORS.UNAUTHORIZED.close, 'UNAUTHORIZED');
      return;
    }
    data.team = record.team;
    this.deps.presence.opened(data.hunt, data.player);
    data.present = true;
    let messages: string[];
    let upTo: number;
    if (replay !== null) {
      // a copy: identical replays in flight share one array
      messages = [...replay.raw];
      if (status !== null) messages.push(JSON.stringify({ t: 'hunt', status } satisfies ServerMessage));
      upTo = replay.upTo;
    } else {
      if (data.since !== null) this.deps.metrics.replayReads.inc({ source: 'welcome' });
      // a fresh client, or one whose `since` the log no longer reaches
      state ??= (await store.board.welcome(data.hunt, data.player, topN)).state;
      const team =
        data.team === undefined ? undefined : ((await store.teams.welcomeTeam(data.hunt, data.team)) ?? undefined);
      messages = [welcomeText({ id: data.player, name: record.name }, team === undefined ? state : { ...state, team })];
      upTo = state.seq;
    }
    await fanout.catchUp(data.hunt, upTo);
    if (data.closed) return;
    ws.cork(() => {
      for (const m of messages) this.send(ws, m);
      for (const d of fanout.recentSince(data.hunt, upTo)) this.send(ws, d);
      const status = fanout.statusSince(data.hunt, statusMark);
      if (status !== undefined) this.send(ws, status);
      // a puzzle added, opened or closed while the welcome was read (sent again if the welcome has it: harmless)
      for (const n of fanout.noticesSince(data.hunt, noticeMark)) this.send(ws, n);
      ws.subscribe(huntTopic(data.hunt));
      if (data.team !== undefined) {
        ws.subscribe(teamTopic(data.hunt, data.team));
        let members = this.byTeam.get(data.team);
        if (!members) this.byTeam.set(data.team, (members = new Set()));
        members.add(ws);
      }
      data.standing = data.team ?? data.player;
      this.deps.standings.watch(data.hunt, data.standing, state?.you);
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
    if (!this.deps.senders.take(data.from)) {
      this.deps.metrics.rejected.inc({ code: 'RATE_LIMITED' });
      if (++data.strikes >= limits.strikesBeforeClose) this.end(ws, ERRORS.RATE_LIMITED.close, 'RATE_LIMITED');
      else this.sendError(ws, 'RATE_LIMITED');
      return;
    }
    data.strikes = 0;
    // shedding, a move is dropped before it costs a parse: the cheapest refusal is the one that reads least
    const early = isBinary ? null : this.deps.admission.refuse(data.from);
    if (early !== null && startsWithMove(message)) {
      this.shed.move.inc();
      this.deps.metrics.shedCause.inc({ cause: this.deps.admission.cause() });
      if (data.shedNoticeUntil <= Date.now()) {
        data.shedNoticeUntil = Date.now() + early;
        this.sendError(ws, 'OVERLOADED', undefined, undefined, { retryAfterMs: early });
      }
      return;
    }
    // an accepted move in the form clients write it: counted and handed to the router, no objects
    if (early === null && !isBinary && readMoveInto(message, this.coordinates)) {
      this.received.move.inc();
      this.deps.router.move(data.hunt, data.player, this.coordinates.lat, this.coordinates.lng);
      return;
    }
    const parsed = readMessage(message, isBinary);
    if ('code' in parsed) return this.sendError(ws, parsed.code, parsed.id, parsed.message);
    this.handle(ws, data, parsed.msg, isBinary ? undefined : early);
  }

  /** `refusal`: the admission's answer for this frame, when the caller asked already */
  private handle(ws: Socket, data: SocketData, msg: ClientMessage, refusal?: number | null): void {
    if (!isGameMessage(msg)) {
      this.received[msg.t].inc();
      return this.answerHere(ws, data, msg);
    }
    // moves have no id and get no reply; every other kind a shard applies carries one
    const id = 'id' in msg ? msg.id : undefined;
    const retryAfterMs = refusal === undefined ? this.deps.admission.refuse(data.from) : refusal;
    if (retryAfterMs !== null) {
      // counted as shed, not received: received are the events taken (as over HTTP)
      this.shed[msg.t].inc();
      this.deps.metrics.shedCause.inc({ cause: this.deps.admission.cause() });
      // a message without an id: its sender hears of refusals at most once per retry window
      if (id !== undefined || data.shedNoticeUntil <= Date.now()) {
        if (id === undefined) data.shedNoticeUntil = Date.now() + retryAfterMs;
        this.sendError(ws, 'OVERLOADED', id, undefined, { retryAfterMs });
      }
      return;
    }
    this.received[msg.t].inc();
    const event = toStreamEvent(data.hunt, data.player, msg);
    if (id === undefined) {
      // no reply; a failed write is logged by the router and counted
      this.deps.router.enqueue(data.hunt, event);
      return;
    }
    if (msg.t === 'answer') this.answerStarted.set(`${data.player}:${id}`, performance.now());
    this.deps.router.enqueue(data.hunt, event, (err) => {
      if (!err || data.closed) return;
      ws.cork(() => this.sendError(ws, 'INTERNAL', id, 'the event could not be stored; send it again'));
    });
  }

  /** The kinds the front node answers itself (lane `front` in the table of kinds). */
  private answerHere(ws: Socket, data: SocketData, msg: FrontMessage): void {
    switch (msg.t) {
      case 'ping':
        // the one reply sent per ping, written without an object: {"t":"pong","id":…,"ts":…}
        this.send(ws, `{"t":"pong","id":${JSON.stringify(msg.id)},"ts":${Date.now()}}`);
        return;
      case 'renew':
        this.renew(ws, data, msg.id).catch((err: unknown) => this.failed(ws, 'message', err));
        return;
      default:
        // a new front kind without a case here fails to compile
        return msg satisfies never;
    }
  }

  /** A fresh token, for a player still in the hunt: a removed one gets PLAYER_REMOVED and its socket closes (4008). */
  private async renew(ws: Socket, data: SocketData, id: string): Promise<void> {
    const record = await this.deps.store.players.get(data.hunt, data.player);
    if (data.closed) return;
    ws.cork(() => {
      if (!record || record.removed) {
        const code = record ? 'PLAYER_REMOVED' : 'UNAUTHORIZED';
        this.sendError(ws, code, id);
        this.end(ws, ERRORS[code].close, code);
        return;
      }
      const token = this.deps.signer.sign(data.player, data.hunt);
      data.expiresAt = this.deps.signer.verify(token).exp * 1000;
      this.send(ws, JSON.stringify({ t: 'token', id, token, expiresAt: data.expiresAt } satisfies ServerMessage));
    });
  }

  private sendError(
    ws: Socket,
    code: ErrorCode,
    id?: string,
    message?: string,
    extra?: { retryAfterMs: number },
  ): void {
    const body: ServerMessage = {
      t: 'error',
      ...(id === undefined ? {} : { id }),
      code,
      message: message ?? ERRORS[code].message,
      ...extra,
    };
    this.send(ws, JSON.stringify(body));
  }

  /**
   * Sends to one socket; one whose unread backlog passes `limits.maxBackpressureBytes` is cut
   * off (4009) right here, while the close frame still fits under the transport's own cap (a
   * socket that stops reading can fill that cap between two sweeps, and a close frame past it
   * is dropped: the client would see 1006 instead of 4009).
   */
  private send(ws: Socket, text: string): void {
    this.bytesSent.inc(Buffer.byteLength(text));
    if (ws.send(text) !== 1 && ws.getBufferedAmount() > this.deps.limits().maxBackpressureBytes)
      this.end(ws, ERRORS.SLOW_CONSUMER.close, 'SLOW_CONSUMER');
  }

  /**
   * One WebSocket callback inside the guard: a throw is logged once and, where the socket is
   * open, answered INTERNAL (see `failed`).
   */
  private guarded(callback: string, fn: (ws: Socket) => void): (ws: Socket) => void {
    return (ws) => {
      try {
        fn(ws);
      } catch (err) {
        this.failed(ws, callback, err);
      }
    };
  }

  /** What the guard does with a throw from any WebSocket callback. */
  private failed(ws: Socket, callback: string, err: unknown): void {
    const data = ws.getUserData();
    this.deps.logger.error(
      { err, callback, player: data.player, hunt: data.hunt },
      'unhandled error in a WebSocket callback',
    );
    if (callback !== 'close' && !data.closed) {
      try {
        this.sendError(ws, 'INTERNAL');
      } catch {
        // the socket went away meanwhile
      }
    }
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
    if (data.standing !== undefined) this.deps.standings.unwatch(data.hunt, data.standing);
    const set = this.byPlayer.get(data.player);
    set?.delete(ws);
    if (set?.size === 0) this.byPlayer.delete(data.player);
    if (data.team !== undefined) {
      const members = this.byTeam.get(data.team);
      members?.delete(ws);
      if (members?.size === 0) this.byTeam.delete(data.team);
    }
    data.from.player.sockets--;
    data.from.address.sockets--;
    if (data.sid !== undefined) {
      this.bySid.delete(data.sid);
      this.deps.socketRecords.close(data.hunt, data.player, data.sid);
    }
    if (data.joined) this.deps.fanout.leave(data.hunt);
    if (data.present) this.deps.presence.closed(data.hunt, data.player);
    this.deps.metrics.wsConnections.set({}, this.sockets.size);
  }

  /** A `you` to the welcomed sockets of a player, or of a team's members, on this node. */
  toStanding(member: string, json: string): void {
    const sockets = this.byPlayer.get(member) ?? this.byTeam.get(member);
    for (const ws of sockets ?? []) {
      const data = ws.getUserData();
      if (!data.closed && data.standing === member) ws.cork(() => this.send(ws, json));
    }
  }

  /**
   * A shard's reply (result, hint, error) for a player, sent to the player's sockets on this
   * node; one addressed to a team goes to its members' sockets, but those of `except`.
   * Returns whether this node holds a socket of the player (or team).
   */
  toPlayer(player: string, message: Record<string, unknown>, except?: string): boolean {
    const id = typeof message.id === 'string' ? message.id : undefined;
    if (
      message.t === 'error' &&
      typeof message.code === 'string' &&
      isErrorCode(message.code) &&
      message.message === undefined
    ) {
      message = { ...message, message: ERRORS[message.code].message };
    }
    if (message.t === 'result' && id !== undefined) {
      const started = this.answerStarted.get(`${player}:${id}`);
      if (started !== undefined) {
        this.answerStarted.delete(`${player}:${id}`);
        this.deps.metrics.answerResultSeconds.observe((performance.now() - started) / 1000);
      }
    }
    const sockets = this.byPlayer.get(player) ?? this.byTeam.get(player);
    if (!sockets) return false; // the player's socket is on another front, or there is none
    const json = JSON.stringify(message);
    for (const ws of sockets) {
      const data = ws.getUserData();
      if (!data.closed && data.player !== except) ws.cork(() => this.send(ws, json));
    }
    return true;
  }

  /**
   * Counts the socket among its player's sockets on every node: past limits.socketsPerPlayer the
   * oldest are dropped, wherever they are (`drop`, told through the hunt's channel).
   */
  private register(ws: Socket, data: SocketData): void {
    data.sid = `${this.deps.nodeId}.${++this.socketsOpened}`;
    this.bySid.set(data.sid, ws);
    this.deps.socketRecords.open(data.hunt, data.player, data.sid);
  }

  /** Closes (4008) the sockets of these ids that are on this node: their players opened newer ones, here or elsewhere. */
  drop(sids: readonly string[]): void {
    for (const sid of sids) {
      const ws = this.bySid.get(sid);
      if (!ws || ws.getUserData().closed) continue;
      this.deps.metrics.socketsReplaced.inc();
      this.end(ws, ERRORS.RATE_LIMITED.close, 'SOCKETS_PER_PLAYER');
    }
  }

  kick(hunt: string, player: string): void {
    for (const ws of this.byPlayer.get(player) ?? []) {
      if (ws.getUserData().hunt === hunt) this.end(ws, ERRORS.PLAYER_REMOVED.close, 'PLAYER_REMOVED');
    }
  }

  /**
   * Cuts slow consumers (4009: sockets fed by topic publishes, which `send` does not see) and
   * sockets whose token expired (4001; renew before with `renew`). Each run looks at up to
   * SWEEP_SLICE sockets and the next run goes on from there, so the event loop never stops for
   * a pass over every socket (about 0.13 µs a socket: 6–7 ms at 50,000); a full pass over
   * 50,000 sockets takes 2.5 s.
   */
  private sweepSockets(): void {
    const limit = this.deps.limits().maxBackpressureBytes;
    const now = Date.now();
    this.sweepCursor ??= this.sockets.values();
    for (let n = 0; n < SWEEP_SLICE; n++) {
      const next = this.sweepCursor.next();
      if (next.done) {
        this.sweepCursor = undefined;
        break;
      }
      const ws = next.value;
      const data = ws.getUserData();
      if (data.closed) continue;
      if (ws.getBufferedAmount() > limit) this.end(ws, ERRORS.SLOW_CONSUMER.close, 'SLOW_CONSUMER');
      else if (data.expiresAt <= now) this.end(ws, ERRORS.TOKEN_EXPIRED.close, 'TOKEN_EXPIRED');
    }
    if (this.answerStarted.size > 100_000) this.answerStarted.clear();
  }

  /** Tells every client the node is going away (1001). */
  closeAll(): void {
    clearInterval(this.sweep);
    for (const ws of [...this.sockets]) this.end(ws, ERRORS.SHUTTING_DOWN.close, 'SHUTTING_DOWN');
  }
}
