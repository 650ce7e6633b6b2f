/**
 * The named-config endpoints of PROTOCOL.md, behind the admin key: a game-master key may only
 * read templates (403 FORBIDDEN for anything else).
 */
import { z } from 'zod';
import { HuntError } from '../protocol/index.js';
import {
  ConfigConflictError,
  ConfigInvalidError,
  TEMPLATE_PREFIX,
  type DeploymentFacts,
  type LiveConfig,
} from '../config/index.js';
import { fewestReplicas, type RedisClient } from '../redis/index.js';
import { principalOf } from './access.js';
import { parseBody, route, type HttpContext, type Request } from './http.js';

/** `force`: write a value even though it would stop play (config/guard-rails.ts) */
export const putBody = z.object({
  value: z.unknown(),
  expectedVersion: z.number().int().min(0),
  force: z.boolean().optional(),
});
export const rollbackBody = z.object({ version: z.number().int().min(1), force: z.boolean().optional() });

export interface ConfigApiDeps {
  config: LiveConfig;
  /** asked for the replicas present when a write is checked for values that would stop play */
  redis: RedisClient;
  staleMs: number;
}

function nameOf(req: Request): string {
  return decodeURIComponent(req.params[0] ?? '');
}

/** A game-master key reads templates only. */
function mayRead(req: Request, name: string): void {
  if (principalOf(req).role !== 'admin' && !name.startsWith(TEMPLATE_PREFIX))
    throw new HuntError('FORBIDDEN', 'only the admin key may read configs other than templates');
}

function asHuntError(err: unknown): unknown {
  if (err instanceof ConfigConflictError)
    return new HuntError('CONFIG_VERSION_CONFLICT', err.message, { current: err.current, expected: err.expected });
  if (err instanceof ConfigInvalidError) return new HuntError('CONFIG_INVALID', err.message, err.issues);
  return err;
}

export function installConfigApi(ctx: HttpContext, deps: ConfigApiDeps): void {
  const store = deps.config.store;
  const by = (req: Request): string => `admin via ${req.method.toUpperCase()} ${req.path}`;
  /** what the guard rails check a write against; none for a forced write */
  const facts = async (force: boolean | undefined): Promise<DeploymentFacts | undefined> =>
    force ? undefined : { replicas: await fewestReplicas(deps.redis) };

  route(
    ctx,
    'get',
    '/api/configs',
    async (req) => {
      const all = await store.names();
      const admin = principalOf(req).role === 'admin';
      const names = admin ? all : all.filter((n) => n.startsWith(TEMPLATE_PREFIX));
      const versions = await store.versions(names);
      const nodes = admin ? await store.nodeReports(deps.staleMs) : [];
      return {
        body: {
          configs: names.map((name) => ({
            name,
            version: versions.get(name) ?? 0,
            applied: Object.fromEntries(nodes.map((n) => [n.node, n.versions[name] ?? null])),
          })),
          nodes,
        },
      };
    },
    { who: 'gm' },
  );

  route(
    ctx,
    'get',
    '/api/configs/:name',
    async (req) => {
      mayRead(req, nameOf(req));
      const record = await store.get(nameOf(req));
      if (!record) throw new HuntError('CONFIG_NOT_FOUND', `no config named ${JSON.stringify(nameOf(req))}`);
      return { body: record };
    },
    { who: 'gm' },
  );

  route(
    ctx,
    'put',
    '/api/configs/:name',
    async (req) => {
      const { value, expectedVersion, force } = parseBody(putBody, req.body);
      const name = nameOf(req);
      try {
        return {
          body: { name, version: await store.write(name, value, expectedVersion, by(req), await facts(force)) },
        };
      } catch (err) {
        throw asHuntError(err);
      }
    },
    { who: 'admin' },
  );

  route(
    ctx,
    'get',
    '/api/configs/:name/history',
    async (req) => {
      const name = nameOf(req);
      mayRead(req, name);
      if (!(await store.get(name))) throw new HuntError('CONFIG_NOT_FOUND', `no config named ${JSON.stringify(name)}`);
      return { body: { name, history: await store.history(name) } };
    },
    { who: 'gm' },
  );

  route(
    ctx,
    'post',
    '/api/configs/:name/rollback',
    async (req) => {
      const { version, force } = parseBody(rollbackBody, req.body);
      const name = nameOf(req);
      if (!(await store.get(name))) throw new HuntError('CONFIG_NOT_FOUND', `no config named ${JSON.stringify(name)}`);
      try {
        return { body: { name, version: await store.rollback(name, version, by(req), await facts(force)) } };
      } catch (err) {
        throw asHuntError(err);
      }
    },
    { who: 'admin' },
  );
}
