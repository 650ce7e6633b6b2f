/**
 * The HTTP API of PROTOCOL.md: hunts, lifecycle, players, leaderboard, answer key, export,
 * moderation and the HTTP event intake. Handlers get copied requests and return replies.
 */
import { randomBytes } from 'node:crypto';
import type { BlockList } from 'node:net';
import { HuntError } from '../protocol/index.js';
import {
  adjustBody,
  CLIENT_MESSAGE_TYPES,
  describeIssues,
  createHuntBody,
  eventsBody,
  isAuthored,
  isGameMessage,
  joinBody,
  MESSAGE_KINDS,
  parseClientMessage,
  scheduleBody,
  type HuntPuzzle,
} from '../protocol/index.js';
import type { LiveConfig } from '../config/index.js';
import { availableTypes, type GenerationQueue } from '../puzzles/index.js';
import {
  pageQuery,
  toStreamEvent,
  type HuntScheduler,
  type HuntStore,
  type LifecycleAction,
  type StreamEvent,
} from '../rooms/index.js';
import { principalOf, type Access } from './access.js';
import { bearer, type TokenSigner } from './auth.js';
import { clientAddress } from './client-address.js';
import { parseBody, route, type HttpContext, type Request } from './http.js';
import type { JoinLimiter } from './join-limit.js';
import type { NodeMetrics } from './metrics.js';
import type { Admission } from './admission.js';
import type { EventRouter } from './router.js';
import type { Senders } from './senders.js';
import type { StorageWatch } from './storage-watch.js';

export interface ApiDeps {
  store: HuntStore;
  scheduler: HuntScheduler;
  generation: GenerationQueue;
  router: EventRouter;
  signer: TokenSigner;
  metrics: NodeMetrics;
  config: LiveConfig;
  admission: Admission;
  /** per-player buckets, shared with the player's sockets */
  senders: Senders;
  access: Access;
  joinLimiter: JoinLimiter;
  /** proxies whose X-Forwarded-For names the client (HUNT_TRUSTED_PROXIES) */
  trustedProxies: BlockList;
  /** refuses new hunts and players past storage.highWater (507 STORAGE_FULL) */
  storage: StorageWatch;
}

function param(req: Request, i: number): string {
  const value = req.params[i];
  if (!value) throw new HuntError('BAD_REQUEST', 'missing path parameter');
  return value;
}

function resolveSpecs(
  config: LiveConfig,
  body: { puzzles?: HuntPuzzle[] | undefined; template?: string | undefined },
): HuntPuzzle[] {
  const specs = body.template !== undefined ? config.template(body.template)?.puzzles : body.puzzles;
  if (!specs)
    throw new HuntError(
      'TEMPLATE_NOT_FOUND',
      `no template named ${JSON.stringify(body.template)}; add one with PUT /api/configs/template:${body.template ?? '<name>'}`,
    );
  const known = new Set<string>(availableTypes());
  const unknown = [...new Set(specs.filter((s) => !isAuthored(s)).map((s) => s.type))].filter((t) => !known.has(t));
  if (unknown.length)
    throw new HuntError(
      'PUZZLE_TYPE_UNKNOWN',
      `no generator yet for ${unknown.join(', ')}; available: ${[...known].join(', ')}`,
      { unknown, available: [...known] },
    );
  return [...specs];
}

/** ISO time to epoch ms; `null` stays null (clear), absent stays undefined (keep). */
function toMs(iso: string | null | undefined): number | null | undefined {
  return iso === undefined ? undefined : iso === null ? null : Date.parse(iso);
}

/**
 * One CSV cell. A cell a spreadsheet would read as a formula (it begins with `=`, `+`, `-`, `@`,
 * a tab or a carriage return: a player named `=HYPERLINK(...)`) gets a leading `'`, so it stays text.
 */
export function csvCell(value: unknown): string {
  const raw = value === undefined || value === null ? '' : String(value);
  const text = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function installApi(ctx: HttpContext, deps: ApiDeps): void {
  const { store, access } = deps;

  route(
    ctx,
    'post',
    '/api/hunts',
    async (req) => {
      const who = principalOf(req);
      deps.storage.refuseNew();
      const body = parseBody(createHuntBody, req.body);
      const specs = resolveSpecs(deps.config, body);
      const seed = body.seed === undefined ? randomBytes(8).toString('hex') : String(body.seed);
      const { id, slots } = await store.create(body.name, specs, seed, {
        ...(who.role === 'gm' ? { owner: who.id } : {}),
        maxPlayers: body.maxPlayers,
        ...(body.passcode ? { passcode: body.passcode } : {}),
        ...(body.teams ? { teamMax: body.teams.maxSize } : {}),
      });
      await access.owned(who, id);
      if (slots.length > 0) await deps.generation.enqueue(id, slots);
      if (body.startsAt || body.endsAt)
        await deps.scheduler.set(id, { startsAt: toMs(body.startsAt), endsAt: toMs(body.endsAt) });
      return { status: 201, body: { id, status: 'generating' } };
    },
    { who: 'gm' },
  );

  route(
    ctx,
    'patch',
    '/api/hunts/:id',
    async (req) => {
      const id = param(req, 0);
      const body = parseBody(scheduleBody, req.body);
      if (body.teams !== undefined) await store.teamsSettable(id, body.teams === null ? null : body.teams.maxSize);
      await store.updateSettings(id, {
        maxPlayers: body.maxPlayers,
        passcode: body.passcode,
        ...(body.teams === undefined ? {} : { teamMax: body.teams === null ? null : body.teams.maxSize }),
      });
      if (body.startsAt !== undefined || body.endsAt !== undefined)
        await deps.scheduler.set(id, { startsAt: toMs(body.startsAt), endsAt: toMs(body.endsAt) });
      return { body: await store.views.view(id) };
    },
    { who: 'hunt' },
  );

  route(
    ctx,
    'get',
    '/api/hunts',
    async (req) => {
      const ids = await access.huntIds(principalOf(req));
      // a page at a time, newest first (`?cursor=<nextCursor>&limit=`, default 50, at most 200)
      return { body: await store.page({ ...pageQuery(req.query), only: ids === 'all' ? undefined : ids }) };
    },
    { who: 'gm' },
  );

  route(ctx, 'get', '/api/hunts/:id', async (req) => ({ body: await store.views.view(param(req, 0)) }), {
    who: 'hunt',
  });

  // (extension) the hunt's own figures for the console: players, answers and solves a minute
  route(
    ctx,
    'get',
    '/api/hunts/:id/figures',
    async (req) => ({ body: await store.views.figures(param(req, 0), Date.now()) }),
    { who: 'hunt' },
  );

  for (const action of ['launch', 'pause', 'resume', 'end'] as const satisfies readonly LifecycleAction[]) {
    route(
      ctx,
      'post',
      `/api/hunts/:id/${action}`,
      async (req) => {
        const id = param(req, 0);
        const status = await store.transition(id, action);
        // timed puzzles get their timers (jobs that survive restarts) once the launch time is known
        if (action === 'launch') await deps.scheduler.timePuzzles(id);
        return { body: { id, status } };
      },
      { who: 'hunt' },
    );
  }

  route(
    ctx,
    'get',
    '/api/hunts/:id/answers',
    async (req) => ({ body: { answers: await store.views.answerKey(param(req, 0)) } }),
    { who: 'hunt' },
  );

  route(ctx, 'get', '/api/hunts/:id/leaderboard', async (req) => {
    const raw = req.query.get('limit');
    const limit = raw === null ? 10 : Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new HuntError('VALIDATION_FAILED', '`limit` must be an integer from 1 to 1000');
    return { body: await store.board.leaderboard(param(req, 0), limit) };
  });

  route(
    ctx,
    'get',
    '/api/hunts/:id/export',
    async (req) => {
      const data = await store.views.export(param(req, 0));
      if (!req.accept.includes('text/csv')) return { body: data };
      const names = new Map(data.players.map((p) => [p.player, p.name]));
      // a team hunt's export has one more column, the team, and a row per team
      const teams = data.hunt.teams !== null;
      const rows = [
        ['kind', 'at', 'player', 'name', 'puzzle', 'points', 'score', 'reason', ...(teams ? ['team'] : [])],
      ];
      for (const t of data.teams)
        rows.push(['team', t.createdAt, '', t.name, '', '', String(t.score), `${t.members.length} members`, t.team]);
      for (const p of data.players)
        rows.push([
          'player',
          p.joinedAt,
          p.player,
          p.name,
          '',
          '',
          String(p.score),
          p.removed ? 'removed' : '',
          ...(teams ? [p.team ?? ''] : []),
        ]);
      for (const e of data.events) {
        const player = String(e.player ?? '');
        rows.push([
          String(e.k),
          String(e.at),
          player,
          names.get(player) ?? '',
          String(e.puzzle ?? ''),
          String(e.points ?? ''),
          '',
          String(e.reason ?? ''),
          ...(teams ? [String(e.team ?? '')] : []),
        ]);
      }
      return {
        text: rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n',
        contentType: 'text/csv; charset=utf-8',
      };
    },
    { who: 'hunt' },
  );

  route(
    ctx,
    'post',
    '/api/hunts/:id/players',
    async (req) => {
      const id = param(req, 0);
      deps.storage.refuseNew();
      const body = parseBody(joinBody, req.body);
      // a key that may run the hunt registers players without its passcode (bulk registration, load
      // tools); anyone else's passcode is checked in the join's own script (no read before it)
      const passcode = req.principal === null ? (body.passcode ?? null) : undefined;
      const { player, team } = await store.players.join(
        id,
        body.name,
        { create: body.team, code: body.teamCode },
        passcode,
      );
      const teamView = team === null ? null : await store.teams.welcomeTeam(id, team);
      const teamBody = teamView === null ? {} : { team: { id: teamView.id, name: teamView.name, code: teamView.code } };
      if (teamView !== null) await store.teams.announce(id, teamView);
      return { status: 201, body: { player, token: deps.signer.sign(player, id), ...teamBody } };
    },
    {
      jsonOnly: true,
      // before the body is read: a caller that may run the hunt, or else one more join from this address
      admit: async (req) => {
        const id = param(req, 0);
        const p = req.authorization ? await access.principal(req.authorization) : null;
        if (p && (await access.mayRun(p, id))) return p;
        const retryAfterMs = await deps.joinLimiter.take(
          clientAddress(req.remote, req.forwardedFor, deps.trustedProxies),
        );
        if (retryAfterMs !== null)
          throw new HuntError(
            'RATE_LIMITED',
            `too many joins from this address; try again in ${Math.ceil(retryAfterMs / 1000)} s`,
            { retryAfterMs },
          );
        return null;
      },
      refused: (code) => deps.metrics.joinsRefused.inc({ code }),
    },
  );

  route(
    ctx,
    'del',
    '/api/hunts/:id/players/:player',
    async (req) => {
      const [id, player] = [param(req, 0), param(req, 1)];
      await store.players.remove(id, player);
      return { body: { id, player, removed: true } };
    },
    { who: 'hunt' },
  );

  route(
    ctx,
    'post',
    '/api/hunts/:id/players/:player/adjust',
    async (req) => {
      const { points, reason } = parseBody(adjustBody, req.body);
      return { body: { score: await store.players.adjust(param(req, 0), param(req, 1), points, reason) } };
    },
    { who: 'hunt' },
  );

  route(ctx, 'post', '/api/events', async (req) => {
    const claims = deps.signer.verify(bearer(req.authorization));
    const { events } = parseBody(eventsBody, req.body);
    // the player's one bucket, shared with its sockets on this node: taken before anything is read
    const from = {
      player: deps.senders.players.get(claims.p),
      address: deps.senders.addresses.get(clientAddress(req.remote, req.forwardedFor, deps.trustedProxies)),
    };
    if (!deps.senders.take(from, events.length)) {
      deps.metrics.rejected.inc({ code: 'RATE_LIMITED' });
      throw new HuntError('RATE_LIMITED', undefined, { retryAfterMs: deps.senders.waitMs(from.player, events.length) });
    }
    const out: StreamEvent[] = [];
    const problems: { index: number; message: string }[] = [];
    events.forEach((raw, index) => {
      const parsed = parseClientMessage(raw);
      if (!parsed.success)
        problems.push({
          index,
          message: parsed.error
            ? describeIssues(parsed.error.issues)
            : `unknown message type; "t" is one of ${CLIENT_MESSAGE_TYPES.join(', ')}`,
        });
      else if (isGameMessage(parsed.data)) out.push(toStreamEvent(claims.h, claims.p, parsed.data));
    });
    if (problems.length)
      throw new HuntError(
        'VALIDATION_FAILED',
        `${problems.length} of ${events.length} events are invalid; none were accepted`,
        problems,
      );
    const record = await store.players.get(claims.h, claims.p);
    if (!record) throw new HuntError('UNAUTHORIZED', 'unknown player');
    if (record.removed) throw new HuntError('PLAYER_REMOVED');
    const retryAfterMs = out.length ? deps.admission.refuse(from) : null;
    if (retryAfterMs !== null) {
      for (const e of out) deps.metrics.shed.inc({ type: MESSAGE_KINDS[e.k].label });
      deps.metrics.shedCause.inc({ cause: deps.admission.cause() }, out.length);
      throw new HuntError('OVERLOADED', undefined, { retryAfterMs });
    }
    if (out.length) {
      try {
        await deps.router.accept(claims.h, out);
      } catch (err) {
        // not stored, or not on enough replicas (routing.ackReplicas): not acknowledged, so the
        // client sends them again (answers and hints by the same id count once)
        throw new HuntError(
          'NOT_READY',
          `the events were not acknowledged: ${err instanceof Error ? err.message : String(err)}`,
          { retryAfterMs: 1000 },
        );
      }
    }
    for (const e of out) deps.metrics.eventsReceived.inc({ type: MESSAGE_KINDS[e.k].label });
    return { status: 202, body: { accepted: events.length } };
  });
}
