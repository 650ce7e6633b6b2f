// vitest: runtime-only (about the runtime, not Redis: run once, npm run test:cluster leaves it out)
/**
 * The documents that ship with the code stay in step with it: docs/protocol.md names every
 * message type and error code protocol/ declares, and docs/openapi.json is what a node serves at
 * GET /api/openapi.json, which lists every route the HTTP API registers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_MESSAGE_TYPES, ERRORS } from '../protocol/index.js';
import {
  formatOpenApi,
  OPENAPI_FILE,
  PROTOCOL_FILE,
  protocolWithAppendix,
  serverMessageTypes,
} from '../scripts/docs.js';
import { ROOT, startCluster, type Cluster } from './helpers.js';

const HTTP: Record<string, string> = { get: 'get', post: 'post', put: 'put', patch: 'patch', del: 'delete' };

/** `route(ctx, 'post', '/api/...'` calls in server/, read from the sources (literal patterns). */
function routesInSources(): string[] {
  const dir = join(ROOT, 'server');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const found = new Set<string>();
  for (const f of files) {
    const source = readFileSync(join(dir, f), 'utf8');
    for (const m of source.matchAll(/\broute\(\s*\w+,\s*'(get|post|put|patch|del)',\s*'([^'$]+)'/g))
      found.add(`${HTTP[m[1]!]} ${m[2]!.replace(/:(\w+)/g, '{$1}')}`);
    for (const m of source.matchAll(/\bapp\.(get|post|put|patch|del)\(\s*'(\/api\/[^']+)'/g))
      found.add(`${HTTP[m[1]!]} ${m[2]!.replace(/:(\w+)/g, '{$1}')}`);
  }
  return [...found].sort();
}

describe('docs/protocol.md', () => {
  const doc = readFileSync(PROTOCOL_FILE, 'utf8');

  it('says it mirrors the shared contract v1.2 on its first line', () => {
    expect(doc.split('\n')[0]).toMatch(/mirrors the shared public contract v1\.2/);
  });

  it('names every message type and error code that protocol/ declares', () => {
    const types = [...CLIENT_MESSAGE_TYPES, ...serverMessageTypes()];
    expect(types).toEqual(expect.arrayContaining(['answer', 'move', 'ping', 'welcome', 'lb', 'result', 'error']));
    const missingTypes = types.filter((t) => !doc.includes(`"t":"${t}"`));
    const missingCodes = Object.keys(ERRORS).filter((code) => !new RegExp(`\\b${code}\\b`).test(doc));
    expect({ missingTypes, missingCodes }, 'run `npm run docs:protocol` to list them in the appendix').toEqual({
      missingTypes: [],
      missingCodes: [],
    });
  });

  it('has the appendix the code gives now', () => {
    expect(doc, 'run `npm run docs:protocol`').toBe(protocolWithAppendix(doc));
  });
});

describe('the OpenAPI document', () => {
  let c: Cluster;
  let served: {
    openapi: string;
    paths: Record<
      string,
      Record<
        string,
        { summary: string; responses: object; parameters?: { name: string; in: string }[]; requestBody?: unknown }
      >
    >;
  };

  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker']]);
    const res = await fetch(`${c.url()}/api/openapi.json`);
    expect(res.status).toBe(200);
    served = (await res.json()) as typeof served;
  });
  afterAll(() => c.close());

  const operations = (paths: typeof served.paths): string[] =>
    Object.entries(paths)
      .flatMap(([p, ms]) => Object.keys(ms).map((m) => `${m} ${p}`))
      .sort();

  it('is OpenAPI 3.1, with path parameters declared and a body schema from zod where the route parses one', () => {
    expect(served.openapi).toBe('3.1.0');
    for (const [path, methods] of Object.entries(served.paths)) {
      for (const op of Object.values(methods)) {
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        expect(declared, path).toEqual([...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
      }
    }
    expect(served.paths['/api/hunts/{id}/players/{player}/adjust']?.post?.requestBody).toMatchObject({
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['points', 'reason'],
            properties: { points: { type: 'integer' }, reason: { type: 'string', maxLength: 200 } },
          },
        },
      },
    });
  });

  it('lists every route the HTTP API registers', () => {
    const listed = new Set(operations(served.paths));
    const missing = routesInSources().filter((r) => !listed.has(r));
    expect(routesInSources().length).toBeGreaterThan(20);
    expect(missing, 'routes registered in server/ but not in GET /api/openapi.json').toEqual([]);
    for (const action of ['launch', 'pause', 'resume', 'end'])
      expect(listed.has(`post /api/hunts/{id}/${action}`)).toBe(true);
  });

  it('is what docs/openapi.json holds', () => {
    const file = readFileSync(OPENAPI_FILE, 'utf8');
    const inFile = new Set(operations((JSON.parse(file) as typeof served).paths));
    const notInFile = operations(served.paths).filter((o) => !inFile.has(o));
    expect(notInFile, 'routes missing from docs/openapi.json: run `npm run docs:openapi`').toEqual([]);
    expect(file, 'docs/openapi.json is out of date: run `npm run docs:openapi`').toBe(formatOpenApi(served));
  });
});
