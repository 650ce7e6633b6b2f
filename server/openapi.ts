/**
 * The HTTP API as an OpenAPI 3.1 document, built from the routes the node registered
 * (route-registry.ts: every route appears, described or not) and the zod schemas of their
 * bodies (`z.toJSONSchema`). Served at `GET /api/openapi.json`; `npm run docs:openapi` writes it
 * to docs/openapi.json, and test/docs.test.ts keeps that file in step.
 */
import { z } from 'zod';
import {
  adjustBody,
  authoredPuzzle,
  createHuntBody,
  ERRORS,
  joinBody,
  MESSAGE_KINDS,
  scheduleBody,
  sendMessageBody,
} from '../protocol/index.js';
import type { Who } from './access.js';
import { putBody as putConfigBody, rollbackBody as rollbackConfigBody } from './config-api.js';
import { createGmBody, shareBody as shareHuntBody } from './gm-api.js';
import type { RegisteredRoute } from './route-registry.js';

interface RouteDoc {
  summary: string;
  /** the body's schema, as the handler parses it */
  body?: z.ZodType;
  /** success status and what it carries, in words */
  ok?: [status: number, description: string];
  /** bearer token a route takes without a `who` (a player's token) */
  player?: true;
  query?: Record<string, string>;
}

/** every client message kind a batch may carry (`POST /api/events`) */
const anyEvent = z.union(Object.values(MESSAGE_KINDS).map((k) => k.schema));

/** Descriptions by `method pattern`; a registered route missing here is listed as not described. */
const DOCS: Record<string, RouteDoc> = {
  'get /healthz': { summary: 'Liveness: the process answers', ok: [200, '`{"status":"ok"}`'] },
  'get /readyz': {
    summary: 'Readiness: Redis answers and the node can serve (503 NOT_READY saying why otherwise)',
    ok: [200, '`{"status":"ready","node","roles"}`'],
  },
  'get /metrics': {
    summary: 'Prometheus metrics (loopback only with HUNT_METRICS_LOOPBACK_ONLY=1)',
    ok: [200, 'Prometheus text format'],
  },
  'get /api/openapi.json': { summary: 'This document', ok: [200, 'OpenAPI 3.1'] },
  'post /api/hunts': {
    summary: 'Create a hunt from a template or a puzzle mix; puzzles are generated in the background',
    body: createHuntBody,
    ok: [201, '`{"id","status":"generating"}`'],
  },
  'patch /api/hunts/:id': {
    summary: 'Schedule (startsAt, endsAt; null clears) and settings of a hunt',
    body: scheduleBody,
    ok: [200, 'the hunt'],
  },
  'get /api/hunts': { summary: 'The hunts this key may see', ok: [200, '`{"hunts":[...]}`'] },
  'del /api/hunts/:id': { summary: 'Delete a hunt and everything it holds', ok: [204, 'deleted'] },
  'get /api/hunts/:id/teams': { summary: "A team hunt's teams", ok: [200, '`{"teams":[...]}`'] },
  'get /api/me': { summary: 'Who this key is: the admin or a game-master account', ok: [200, 'the principal'] },
  'get /api/hunts/:id': {
    summary: 'A hunt: status, generation progress, puzzles, dead letters',
    ok: [200, 'the hunt'],
  },
  'get /api/hunts/:id/figures': { summary: "A hunt's live figures for the console", ok: [200, 'figures'] },
  'post /api/hunts/:id/launch': { summary: 'Launch a ready hunt', ok: [200, 'the hunt'] },
  'post /api/hunts/:id/pause': { summary: 'Pause a live hunt', ok: [200, 'the hunt'] },
  'post /api/hunts/:id/resume': { summary: 'Resume a paused hunt', ok: [200, 'the hunt'] },
  'post /api/hunts/:id/end': { summary: 'End a hunt (the board is frozen)', ok: [200, 'the hunt'] },
  'get /api/hunts/:id/answers': { summary: 'The answer key', ok: [200, '`{"answers":[{"puzzle","answer"}]}`'] },
  'get /api/hunts/:id/leaderboard': {
    summary: 'The board',
    query: { limit: 'entries, 1 to 1000 (default 100)' },
    ok: [200, '`{"seq","entries":[...]}`'],
  },
  'get /api/hunts/:id/export': {
    summary: 'Everything about a hunt: JSON, or CSV with `Accept: text/csv`',
    ok: [200, 'JSON or CSV'],
  },
  'post /api/hunts/:id/players': {
    summary: 'Join a hunt as a player (JSON body only)',
    body: joinBody,
    ok: [201, '`{"player","token"}`'],
  },
  'del /api/hunts/:id/players/:player': {
    summary: 'Remove a player: off the board, sockets closed with 4008, token refused',
    ok: [204, 'removed'],
  },
  'post /api/hunts/:id/players/:player/adjust': {
    summary: "Change a player's score, with a reason",
    body: adjustBody,
    ok: [200, 'the new score'],
  },
  'post /api/events': {
    summary: 'Events over HTTP (the same as WebSocket frames), with a player token',
    player: true,
    body: z.object({ events: z.array(anyEvent).min(1).max(1000) }),
    ok: [202, 'accepted; replies come over the socket'],
  },
  'get /api/configs': {
    summary: 'Named configs: versions and what each live node applies',
    ok: [200, 'configs and nodes'],
  },
  'get /api/configs/:name': { summary: 'A named config', ok: [200, '`{"name","version","value"}`'] },
  'put /api/configs/:name': {
    summary: 'Write a named config (compare-and-set on expectedVersion)',
    body: putConfigBody,
    ok: [200, '`{"version"}`'],
  },
  'get /api/configs/:name/history': { summary: "A named config's previous versions", ok: [200, 'history'] },
  'post /api/configs/:name/rollback': {
    summary: 'Write an old version of a named config as a new one',
    body: rollbackConfigBody,
    ok: [200, '`{"version"}`'],
  },
  'get /api/stats': { summary: 'Deployment figures: queues, streams, nodes', ok: [200, 'figures'] },
  'post /api/gms': {
    summary: 'Create a game-master account; its key is shown once',
    body: createGmBody,
    ok: [201, '`{"id","name","key"}`'],
  },
  'get /api/gms': { summary: 'Game-master accounts', ok: [200, '`{"gms":[...]}`'] },
  'del /api/gms/:id': { summary: 'Delete a game-master account: its key stops at once', ok: [204, 'deleted'] },
  'post /api/hunts/:id/gms': {
    summary: 'Share a hunt with another game master',
    body: shareHuntBody,
    ok: [200, 'the hunt’s game masters'],
  },
  'get /api/hunts/:id/gms': { summary: 'The game masters of a hunt', ok: [200, 'game masters'] },
  'del /api/hunts/:id/gms/:gm': { summary: 'Stop sharing a hunt with a game master', ok: [204, 'removed'] },
  'post /api/hunts/:id/messages': {
    summary: 'Send a message to players, now or at a time',
    body: sendMessageBody,
    ok: [202, 'sent or scheduled'],
  },
  'get /api/hunts/:id/messages': { summary: "A hunt's messages", ok: [200, 'messages'] },
  'get /api/hunts/:id/positions': { summary: "Players' last positions and presence", ok: [200, 'positions'] },
  'post /api/hunts/:id/puzzles': {
    summary: 'Add an authored puzzle (text, choice, code, checkin, free, photo) to a hunt',
    body: authoredPuzzle,
    ok: [201, 'the puzzle'],
  },
  'put /api/hunts/:id/puzzles/:puzzle': {
    summary: 'Replace an authored puzzle',
    body: authoredPuzzle,
    ok: [200, 'the puzzle'],
  },
  'del /api/hunts/:id/puzzles/:puzzle': { summary: 'Remove an authored puzzle', ok: [204, 'removed'] },
  'get /api/hunts/:id/definition': { summary: "A hunt's authored definition, as written", ok: [200, 'the definition'] },
  'get /api/hunts/:id/qr': { summary: "QR codes of the hunt's code puzzles, to print", ok: [200, 'SVGs'] },
  'get /api/hunts/:id/qr/:puzzle': { summary: "A code puzzle's QR code", ok: [200, '`image/svg+xml`'] },
  'post /api/hunts/:id/submissions': {
    summary: 'A player submits a free-text or photo answer for review (player token)',
    player: true,
    ok: [202, 'pending review'],
  },
  'get /api/hunts/:id/submissions': { summary: 'Submissions waiting for review', ok: [200, 'submissions'] },
  'get /api/hunts/:id/submissions/:sid/photo': { summary: "A submission's photo", ok: [200, 'the image'] },
  'post /api/hunts/:id/submissions/:sid/approve': {
    summary: 'Approve a submission (optionally with points)',
    ok: [200, 'the outcome'],
  },
  'post /api/hunts/:id/submissions/:sid/reject': {
    summary: 'Reject a submission (optionally with a reason)',
    ok: [200, 'the outcome'],
  },
  'get /api/hunts/:id/live': {
    summary: 'Live events of a hunt for the console (server-sent events)',
    ok: [200, '`text/event-stream`'],
  },
};

/** Routes that belong in the API document: the API and the probes, not pages, sockets or the catch-all. */
export function isApiRoute(r: RegisteredRoute): boolean {
  return (
    (r.pattern.startsWith('/api/') || ['/healthz', '/readyz', '/metrics'].includes(r.pattern)) &&
    r.method !== 'ws' &&
    r.method !== 'any' &&
    r.method !== 'options'
  );
}

const HTTP_METHOD: Record<string, string> = { get: 'get', post: 'post', put: 'put', patch: 'patch', del: 'delete' };

const SECURITY: Record<Who, string> = {
  admin: 'the admin key (HUNT_GM_KEY)',
  gm: 'a game-master key or the admin key',
  hunt: "a key of the hunt's game masters, or the admin key",
};

function schemaOf(schema: z.ZodType): Record<string, unknown> {
  const json: Record<string, unknown> = { ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) };
  delete json.$schema;
  return json;
}

export interface OpenApiInfo {
  version: string;
}

/** The document for these routes (sorted, so the same routes give the same bytes). */
export function buildOpenApi(routes: readonly RegisteredRoute[], info: OpenApiInfo): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const seen = new Set<string>();
  const api = routes
    .filter(isApiRoute)
    .sort((a, b) => a.pattern.localeCompare(b.pattern) || a.method.localeCompare(b.method));
  for (const r of api) {
    const key = `${r.method} ${r.pattern}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const doc = DOCS[key];
    const path = r.pattern.replace(/:(\w+)/g, '{$1}');
    const params = [...r.pattern.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string', maxLength: 64 },
    }));
    const query = Object.entries(doc?.query ?? {}).map(([name, description]) => ({
      name,
      in: 'query',
      required: false,
      description,
      schema: { type: 'string' },
    }));
    const [status, description] = doc?.ok ?? [200, 'success'];
    const op: Record<string, unknown> = {
      operationId: `${HTTP_METHOD[r.method] ?? r.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      summary: doc?.summary ?? 'not described yet (server/openapi.ts)',
      ...(doc ? {} : { 'x-undescribed': true }),
      ...(params.length + query.length ? { parameters: [...params, ...query] } : {}),
      ...(doc?.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(doc.body) } } } }
        : {}),
      responses: {
        [String(status)]: { description },
        default: {
          description: 'an error of the contract',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
      ...(r.who
        ? { security: [{ bearer: [] }], 'x-key': SECURITY[r.who] }
        : doc?.player
          ? { security: [{ bearer: [] }], 'x-key': 'a player token' }
          : { security: [] }),
    };
    (paths[path] ??= {})[HTTP_METHOD[r.method] ?? r.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Treasure hunt engine HTTP API',
      version: info.version,
      description:
        'The HTTP side of the contract in docs/protocol.md; WebSocket frames are described there. Generated from the routes a node registers and their zod schemas.',
    },
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <key or player token>' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', enum: Object.keys(ERRORS).sort() },
                message: { type: 'string' },
                details: {},
              },
            },
          },
        },
      },
    },
  };
}
