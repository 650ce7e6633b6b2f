/** The named-config endpoints of PROTOCOL.md, behind the game master key. */
import { z } from 'zod';
import { HuntError } from '../protocol/index.js';
import { ConfigConflictError, ConfigInvalidError, type LiveConfig } from '../config/index.js';
import { requireGm } from './auth.js';
import { parseBody, route, type HttpContext, type Request } from './http.js';

const putBody = z.object({ value: z.unknown(), expectedVersion: z.number().int().min(0) });
const rollbackBody = z.object({ version: z.number().int().min(1) });

export interface ConfigApiDeps {
  config: LiveConfig;
  gmKey: string;
  staleMs: number;
}

function nameOf(req: Request): string {
  return decodeURIComponent(req.params[0] ?? '');
}

function asHuntError(err: unknown): unknown {
  if (err instanceof ConfigConflictError) return new HuntError('CONFIG_VERSION_CONFLICT', err.message, { current: err.current, expected: err.expected });
  if (err instanceof ConfigInvalidError) return new HuntError('CONFIG_INVALID', err.message, err.issues);
  return err;
}

export function installConfigApi(ctx: HttpContext, deps: ConfigApiDeps): void {
  const store = deps.config.store;
  const by = (req: Request): string => `game master via ${req.method.toUpperCase()} ${req.path}`;

  route(ctx, 'get', '/api/configs', async (req) => {
    requireGm(req, deps.gmKey);
    const names = await store.names();
    const versions = await store.versions(names);
    const nodes = await store.nodeReports(deps.staleMs);
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
  });

  route(ctx, 'get', '/api/configs/:name', async (req) => {
    requireGm(req, deps.gmKey);
    const record = await store.get(nameOf(req));
    if (!record) throw new HuntError('CONFIG_NOT_FOUND', `no config named ${JSON.stringify(nameOf(req))}`);
    return { body: record };
  });

  route(ctx, 'put', '/api/configs/:name', async (req) => {
    requireGm(req, deps.gmKey);
    const { value, expectedVersion } = parseBody(putBody, req.body);
    const name = nameOf(req);
    try {
      return { body: { name, version: await store.write(name, value, expectedVersion, by(req)) } };
    } catch (err) {
      throw asHuntError(err);
    }
  });

  route(ctx, 'get', '/api/configs/:name/history', async (req) => {
    requireGm(req, deps.gmKey);
    const name = nameOf(req);
    if (!(await store.get(name))) throw new HuntError('CONFIG_NOT_FOUND', `no config named ${JSON.stringify(name)}`);
    return { body: { name, history: await store.history(name) } };
  });

  route(ctx, 'post', '/api/configs/:name/rollback', async (req) => {
    requireGm(req, deps.gmKey);
    const { version } = parseBody(rollbackBody, req.body);
    const name = nameOf(req);
    if (!(await store.get(name))) throw new HuntError('CONFIG_NOT_FOUND', `no config named ${JSON.stringify(name)}`);
    try {
      return { body: { name, version: await store.rollback(name, version, by(req)) } };
    } catch (err) {
      throw asHuntError(err);
    }
  });
}
