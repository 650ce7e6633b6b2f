/**
 * The HTTP side of a running hunt's field: game masters' messages (now or scheduled), the
 * message log with players' help requests, and where the players are. Every route is for a
 * key that may run the hunt.
 */
import { HuntError, SCHEDULE_AHEAD_MAX_MS, sendMessageBody } from '../protocol/index.js';
import type { HuntScheduler, HuntStore } from '../rooms/index.js';
import { parseBody, route, type HttpContext, type Request } from './http.js';

export interface FieldApiDeps {
  store: HuntStore;
  scheduler: HuntScheduler;
}

function huntParam(req: Request): string {
  const id = req.params[0];
  if (!id) throw new HuntError('BAD_REQUEST', 'missing path parameter');
  return id;
}

export function installFieldApi(ctx: HttpContext, deps: FieldApiDeps): void {
  const { store } = deps;

  route(
    ctx,
    'post',
    '/api/hunts/:id/messages',
    async (req) => {
      const hunt = huntParam(req);
      const body = parseBody(sendMessageBody, req.body);
      const now = Date.now();
      const at = body.at === undefined ? undefined : Date.parse(body.at);
      if (at !== undefined && at > now + SCHEDULE_AHEAD_MAX_MS)
        throw new HuntError('VALIDATION_FAILED', '`at` is more than a year ahead');
      if (body.to && 'team' in body.to && !(await store.teams.exists(hunt, body.to.team)))
        throw new HuntError('TEAM_NOT_FOUND');
      const { id, dueAt } = await store.messages.send(hunt, { text: body.text, to: body.to, at }, now);
      if (dueAt !== null) {
        try {
          await deps.scheduler.message(hunt, id, dueAt);
        } catch (err) {
          await store.messages.cancel(hunt, id).catch(() => undefined);
          throw err;
        }
      }
      return {
        status: 201,
        body: { id, at: new Date(dueAt ?? now).toISOString(), status: dueAt === null ? 'sent' : 'scheduled' },
      };
    },
    { who: 'hunt' },
  );

  route(
    ctx,
    'get',
    '/api/hunts/:id/messages',
    async (req) => {
      const hunt = huntParam(req);
      await store.status(hunt);
      return { body: { messages: await store.messages.list(hunt) } };
    },
    { who: 'hunt' },
  );

  // anyone: the teams, their members and scores (never their codes)
  route(ctx, 'get', '/api/hunts/:id/teams', async (req) => ({
    body: { teams: await store.teams.list(huntParam(req)) },
  }));

  route(
    ctx,
    'get',
    '/api/hunts/:id/positions',
    // `online` (an extension): every player online now, moved or not
    async (req) => ({ body: await store.field.field(huntParam(req)) }),
    { who: 'hunt' },
  );
}
