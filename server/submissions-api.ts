/**
 * Judged submissions over HTTP (PROTOCOL.md v1.2): a player sends free text or a photo (checked
 * by its bytes: JPEG, PNG or WebP, at most 5 MiB), game masters list the queue, look at photos,
 * approve or reject. The player hears the decision over their socket (`review`).
 */
import { z } from 'zod';
import { HuntError, isOneOf, isWellFormed, PUZZLE_ID } from '../protocol/index.js';
import {
  MAX_PHOTO_BYTES,
  MEDIA_CONTENT_TYPES,
  isMediaType,
  sniffMedia,
  type HuntStore,
  type MediaStore,
  type Submission,
  type SubmissionStatus,
} from '../rooms/index.js';
import { bearer, type TokenSigner } from './auth.js';
import { parseBody, route, type HttpContext, type Request } from './http.js';
import type { NodeMetrics } from './metrics.js';

export interface SubmissionsApiDeps {
  store: HuntStore;
  media: MediaStore;
  signer: TokenSigner;
  metrics: NodeMetrics;
  /** refuses submissions past storage.highWater */
  storage?: { refuseNew(): void };
}

/** base64 of MAX_PHOTO_BYTES, and room for a `data:` prefix and the rest of the body. */
const MAX_PHOTO_BASE64 = Math.ceil(MAX_PHOTO_BYTES / 3) * 4;
export const SUBMISSION_BODY_BYTES = MAX_PHOTO_BASE64 + 64 * 1024;

const wellFormed = (max: number) =>
  z.string().max(max).refine(isWellFormed, { message: 'must be well-formed Unicode (no lone surrogates)' });
const requestId = wellFormed(64).min(1);
const puzzleId = z.string().regex(PUZZLE_ID, 'a puzzle id');
const submissionBody = z.union([
  z.strictObject({
    id: requestId,
    puzzle: puzzleId,
    text: wellFormed(2000).trim().min(1, 'a submission is not empty'),
  }),
  // the photo's size is checked once decoded (MEDIA_INVALID), so a long string is not a schema error
  z.strictObject({ id: requestId, puzzle: puzzleId, photo: z.string().min(1, 'a photo is not empty') }),
]);
const approveBody = z.strictObject({ points: z.number().int().min(0).max(10_000).optional() }).optional();
const rejectBody = z.strictObject({ reason: wellFormed(500).trim().min(1).optional() }).optional();
const STATUSES: readonly SubmissionStatus[] = ['pending', 'approved', 'rejected'];

function param(req: Request, i: number): string {
  const value = req.params[i];
  if (!value) throw new HuntError('BAD_REQUEST', 'missing path parameter');
  return value;
}

/** The photo's bytes and type, or MEDIA_INVALID: too large, or not a JPEG, PNG or WebP by its first bytes. */
export function decodePhoto(photo: string): { bytes: Buffer; type: 'jpg' | 'png' | 'webp' } {
  const base64 = photo.replace(/^data:[\w/+.-]{1,64};base64,/, '');
  if (base64.length > MAX_PHOTO_BASE64 + 4)
    throw new HuntError('MEDIA_INVALID', `the photo is larger than ${MAX_PHOTO_BYTES} bytes`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw new HuntError('MEDIA_INVALID', 'the photo is not base64');
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > MAX_PHOTO_BYTES)
    throw new HuntError('MEDIA_INVALID', `the photo is larger than ${MAX_PHOTO_BYTES} bytes`);
  const type = sniffMedia(bytes);
  if (!type) throw new HuntError('MEDIA_INVALID', 'the photo is not a JPEG, PNG or WebP (by its bytes)');
  return { bytes, type };
}

function view(hunt: string, s: Submission): Record<string, unknown> {
  return {
    id: s.id,
    puzzle: s.puzzle,
    player: s.player,
    ...(s.text === undefined ? {} : { text: s.text }),
    ...(s.photo === undefined ? {} : { photoUrl: `/api/hunts/${encodeURIComponent(hunt)}/submissions/${s.id}/photo` }),
    status: s.status,
    at: new Date(s.at).toISOString(),
    ...(s.points === undefined ? {} : { points: s.points }),
    ...(s.reason === undefined ? {} : { reason: s.reason }),
    ...(s.reviewedAt === undefined ? {} : { reviewedAt: new Date(s.reviewedAt).toISOString() }),
  };
}

export function installSubmissionsApi(ctx: HttpContext, deps: SubmissionsApiDeps): void {
  const { store, media } = deps;
  const gauge = (hunt: string, pending: number): void => deps.metrics.submissionsPending.set({ hunt }, pending);

  route(
    ctx,
    'post',
    '/api/hunts/:id/submissions',
    async (req) => {
      const hunt = param(req, 0);
      const claims = deps.signer.verify(bearer(req.authorization));
      if (claims.h !== hunt) throw new HuntError('FORBIDDEN', 'this token is for another hunt');
      // new stored work: refused (507 STORAGE_FULL) above storage.highWater, while answers go on
      deps.storage?.refuseNew();
      const body = parseBody(submissionBody, req.body);
      if ('text' in body) {
        const out = await store.submissions.submit(hunt, claims.p, body.id, body.puzzle, { text: body.text });
        gauge(hunt, out.pending);
        return { status: 202, body: { submission: out.submission, status: 'pending' } };
      }
      const photo = decodePhoto(body.photo);
      const out = await store.submissions.submit(hunt, claims.p, body.id, body.puzzle, { photo: photo.type });
      if (out.fresh) {
        try {
          await media.put(hunt, out.submission, photo.type, photo.bytes);
        } catch (err) {
          await store.submissions.withdraw(hunt, out.submission);
          throw err;
        }
      }
      gauge(hunt, out.pending);
      return { status: 202, body: { submission: out.submission, status: 'pending' } };
    },
    { maxBodyBytes: () => Math.max(SUBMISSION_BODY_BYTES, ctx.maxBodyBytes()) },
  );

  route(
    ctx,
    'get',
    '/api/hunts/:id/submissions',
    async (req) => {
      const hunt = param(req, 0);
      const status = req.query.get('status');
      if (status !== null && !isOneOf(STATUSES, status))
        throw new HuntError('VALIDATION_FAILED', '`status` is pending, approved or rejected');
      if (!(await store.views.exists(hunt))) throw new HuntError('HUNT_NOT_FOUND');
      const [list, pending] = await Promise.all([
        store.submissions.list(hunt, status ?? undefined),
        store.submissions.pending(hunt),
      ]);
      gauge(hunt, pending);
      return { body: { submissions: list.map((s) => view(hunt, s)) } };
    },
    { who: 'hunt' },
  );

  route(
    ctx,
    'get',
    '/api/hunts/:id/submissions/:sid/photo',
    async (req) => {
      const [hunt, sid] = [param(req, 0), param(req, 1)];
      const s = await store.submissions.get(hunt, sid);
      if (!s?.photo || !isMediaType(s.photo)) throw new HuntError('SUBMISSION_NOT_FOUND');
      const bytes = await media.get(hunt, s.id, s.photo);
      if (!bytes) throw new HuntError('SUBMISSION_NOT_FOUND', 'the photo is not stored (yet)');
      return {
        bytes,
        contentType: MEDIA_CONTENT_TYPES[s.photo],
        headers: { 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'" },
      };
    },
    { who: 'hunt' },
  );

  route(
    ctx,
    'post',
    '/api/hunts/:id/submissions/:sid/approve',
    async (req) => {
      const [hunt, sid] = [param(req, 0), param(req, 1)];
      const body = parseBody(approveBody, req.body);
      const out = await store.submissions.review(hunt, sid, 'approve', { points: body?.points });
      gauge(hunt, out.pending);
      return { body: { id: sid, status: out.status, points: out.points, score: out.score } };
    },
    { who: 'hunt' },
  );

  route(
    ctx,
    'post',
    '/api/hunts/:id/submissions/:sid/reject',
    async (req) => {
      const [hunt, sid] = [param(req, 0), param(req, 1)];
      const body = parseBody(rejectBody, req.body);
      const out = await store.submissions.review(hunt, sid, 'reject', { reason: body?.reason });
      gauge(hunt, out.pending);
      return { body: { id: sid, status: 'rejected', ...(body?.reason ? { reason: body.reason } : {}) } };
    },
    { who: 'hunt' },
  );
}
