/**
 * Game-master accounts over HTTP (PROTOCOL.md v1.2): the admin creates, lists and deletes
 * them; a hunt's owner (or the admin) lets other accounts run it too; `GET /api/me` says who a
 * key is (`{"role":"admin"}` or `{"role":"gm","id","name"}`).
 */
import { z } from 'zod';
import { HuntError, text } from '../protocol/index.js';
import type { HuntStore } from '../rooms/index.js';
import { principalOf, type Access } from './access.js';
import { parseBody, route, type HttpContext, type Request } from './http.js';

export const createGmBody = z.strictObject({ name: text(64).trim().min(1) });
export const shareBody = z.strictObject({ gm: text(64).min(1) });

export interface GmApiDeps {
  access: Access;
  store: HuntStore;
}

function param(req: Request, i: number): string {
  const value = req.params[i];
  if (!value) throw new HuntError('BAD_REQUEST', 'missing path parameter');
  return value;
}

export function installGmApi(ctx: HttpContext, deps: GmApiDeps): void {
  const { access, store } = deps;
  const accounts = access.accounts;

  /** who a key is: the console asks it to show what that key may see */
  route(ctx, 'get', '/api/me', (req) => ({ body: principalOf(req) }), { who: 'gm' });

  route(
    ctx,
    'post',
    '/api/gms',
    async (req) => {
      const { name } = parseBody(createGmBody, req.body);
      return { status: 201, body: await accounts.create(name) };
    },
    { who: 'admin' },
  );

  route(ctx, 'get', '/api/gms', async () => ({ body: { gms: await accounts.list() } }), { who: 'admin' });

  route(
    ctx,
    'del',
    '/api/gms/:id',
    async (req) => {
      const id = param(req, 0);
      if (!(await accounts.remove(id))) throw new HuntError('GM_NOT_FOUND');
      return { body: { id, deleted: true } };
    },
    { who: 'admin' },
  );

  /** only the owner or the admin changes who runs a hunt; a co-GM sees the hunt, so 403 tells it nothing new */
  const ownerOrAdmin = async (req: Request): Promise<string> => {
    const id = param(req, 0);
    const who = principalOf(req);
    await store.status(id); // HUNT_NOT_FOUND for the admin too
    if (who.role === 'gm' && (await store.views.view(id)).owner !== who.id)
      throw new HuntError('FORBIDDEN', 'only the hunt owner or the admin may change who runs it');
    return id;
  };

  route(
    ctx,
    'post',
    '/api/hunts/:id/gms',
    async (req) => {
      const id = await ownerOrAdmin(req);
      const { gm } = parseBody(shareBody, req.body);
      await access.share(id, gm);
      return { body: { id, gms: await access.coGms(id) } };
    },
    { who: 'hunt' },
  );

  route(
    ctx,
    'get',
    '/api/hunts/:id/gms',
    async (req) => {
      const id = param(req, 0);
      await store.status(id);
      return { body: { id, gms: await access.coGms(id) } };
    },
    { who: 'hunt' },
  );

  route(
    ctx,
    'del',
    '/api/hunts/:id/gms/:gm',
    async (req) => {
      const id = await ownerOrAdmin(req);
      await access.unshare(id, param(req, 1));
      return { body: { id, gms: await access.coGms(id) } };
    },
    { who: 'hunt' },
  );
}
