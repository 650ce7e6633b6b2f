/**
 * `DELETE /api/hunts/:id` (its owner or the admin; a co-GM is refused, another GM sees 404): the
 * hunt ends if it runs and all it holds is deleted (server/hunt-deletion.ts); afterwards 404.
 */
import { HuntError } from '../protocol/index.js';
import { route, type HttpContext } from './http.js';
import type { HuntDeletion } from './hunt-deletion.js';

export function installHuntDeleteApi(ctx: HttpContext, deps: { deletion: HuntDeletion }): void {
  route(
    ctx,
    'del',
    '/api/hunts/:id',
    async (req) => {
      const id = req.params[0] ?? '';
      const p = req.principal;
      if (p?.role === 'gm' && (await deps.deletion.owner(id)) !== p.id)
        throw new HuntError('FORBIDDEN', 'only the hunt’s owner or the admin may delete it');
      await deps.deletion.delete(id);
      return { body: { id, deleted: true } };
    },
    { who: 'hunt' },
  );
}
