/**
 * Judged submissions (free text and photos): a player submits, a game master approves (the
 * player or team scores, once) or rejects (they may submit again). The queue lives in the
 * hunt's slot; every change is one script, so two game masters deciding at once score once.
 */
import type { RedisClient } from '../redis/index.js';
import { HuntError, isOneOf, isRecord } from '../protocol/index.js';
import type { DeltaTicker } from './delta-ticker.js';
import type { Keys } from './keys.js';
import type { ScriptParams } from './params.js';
import { okValues, readReply } from './script-replies.js';
import { SCRIPTS } from './scripts.js';

export type SubmissionStatus = 'pending' | 'approved' | 'rejected';

export interface Submission {
  id: string;
  puzzle: string;
  player: string;
  status: SubmissionStatus;
  /** epoch ms */
  at: number;
  text?: string;
  /** the stored photo's file extension */
  photo?: string;
  points?: number;
  reason?: string;
  reviewedAt?: number;
}

const STATUSES: readonly SubmissionStatus[] = ['pending', 'approved', 'rejected'];

/** A stored submission, checked field by field; null when unreadable. */
export function parseSubmission(raw: string | null | undefined): Submission | null {
  if (!raw) return null;
  try {
    const v: unknown = JSON.parse(raw);
    if (!isRecord(v)) return null;
    if (
      typeof v.id !== 'string' ||
      typeof v.puzzle !== 'string' ||
      typeof v.player !== 'string' ||
      !isOneOf(STATUSES, v.status) ||
      typeof v.at !== 'number'
    )
      return null;
    const s: Submission = {
      id: v.id,
      puzzle: v.puzzle,
      player: v.player,
      status: v.status,
      at: v.at,
    };
    if (typeof v.text === 'string') s.text = v.text;
    if (typeof v.photo === 'string') s.photo = v.photo;
    if (typeof v.points === 'number') s.points = v.points;
    if (typeof v.reason === 'string') s.reason = v.reason;
    if (typeof v.reviewedAt === 'number') s.reviewedAt = v.reviewedAt;
    return s;
  } catch {
    return null;
  }
}

/** What a submission returned: its id, whether it is new (not a repeated request id), and the hunt's pending count. */
export interface Submitted {
  submission: string;
  fresh: boolean;
  pending: number;
}

/** The most submissions one listing returns (the queue keeps up to MAX_SUBMISSIONS). */
const LIST_MAX = 1000;

/** What a HuntSubmissions is built from. */
export interface HuntSubmissionsDeps {
  redis: RedisClient;
  keys: Keys;
  params: () => ScriptParams;
  ticker: DeltaTicker;
}

export class HuntSubmissions {
  private readonly redis: RedisClient;
  private readonly keys: Keys;
  private readonly params: () => ScriptParams;
  private readonly ticker: DeltaTicker;

  constructor(deps: HuntSubmissionsDeps) {
    this.redis = deps.redis;
    this.keys = deps.keys;
    this.params = deps.params;
    this.ticker = deps.ticker;
  }

  /** A player's submission: free text, or a photo whose bytes the caller stores once this accepts it. */
  async submit(
    hunt: string,
    player: string,
    requestId: string,
    puzzle: string,
    content: { text: string } | { photo: string },
  ): Promise<Submitted> {
    const k = this.keys.hunt(hunt);
    const [kind, value] = 'text' in content ? ['text', content.text] : ['photo', content.photo];
    const reply = await SCRIPTS.submitJudged.run(this.redis, k, [
      player,
      requestId,
      puzzle,
      kind,
      value,
      Date.now(),
      JSON.stringify(this.params()),
    ]);
    const read = readReply('submit-judged', reply);
    if (read.ok) {
      const [stored, fresh, pending] = read.values;
      const body: unknown = typeof stored === 'string' ? JSON.parse(stored) : null;
      if (!isRecord(body) || typeof body.submission !== 'string')
        throw new Error('script submit-judged stored a reply without a submission id');
      return { submission: body.submission, fresh: fresh === 1, pending: Number(pending ?? 0) };
    }
    if (read.code === 'VALIDATION_FAILED')
      throw new HuntError(
        'VALIDATION_FAILED',
        `puzzle ${puzzle} does not take ${kind === 'photo' ? 'a photo' : 'a text submission'}`,
      );
    const wait = Number(read.details[0] ?? 0);
    throw new HuntError(read.code, undefined, wait > 0 ? { retryAfterMs: wait } : undefined);
  }

  /** Submissions of the hunt waiting for review. */
  async pending(hunt: string): Promise<number> {
    return Number((await this.redis.hget(this.keys.hunt(hunt).meta, 'pendingSubmissions')) ?? 0);
  }

  async get(hunt: string, id: string): Promise<Submission | null> {
    return parseSubmission(await this.redis.hget(this.keys.hunt(hunt).submissions, id));
  }

  /** Oldest first, optionally of one status; at most LIST_MAX. */
  async list(hunt: string, status?: SubmissionStatus): Promise<Submission[]> {
    const k = this.keys.hunt(hunt);
    const ids = await this.redis.zrange(k.submissionOrder, 0, -1);
    const out: Submission[] = [];
    for (let i = 0; i < ids.length && out.length < LIST_MAX; i += 500) {
      const part = ids.slice(i, i + 500);
      const raws = await this.redis.hmget(k.submissions, ...part);
      for (const raw of raws) {
        const s = parseSubmission(raw);
        if (s && (status === undefined || s.status === status) && out.length < LIST_MAX) out.push(s);
      }
    }
    return out;
  }

  /** Approves (scoring `points`, default the puzzle's) or rejects; a second decision is ALREADY_REVIEWED. */
  async review(
    hunt: string,
    id: string,
    decision: 'approve' | 'reject',
    opts: { points?: number | undefined; reason?: string | undefined },
  ): Promise<{ points: number; score: number; pending: number; status: SubmissionStatus }> {
    const k = this.keys.hunt(hunt);
    const reply = await SCRIPTS.review.run(this.redis, k, [
      id,
      decision,
      opts.points ?? '',
      opts.reason ?? '',
      Date.now(),
      this.keys.huntChannel(hunt),
      JSON.stringify(this.params()),
    ]);
    const [points, score, seq, pending, status] = okValues('review', reply);
    if (
      typeof points !== 'number' ||
      typeof score !== 'number' ||
      typeof seq !== 'number' ||
      typeof pending !== 'number'
    )
      throw new Error(`script review replied ${JSON.stringify(reply)}`);
    this.ticker.note(hunt, seq);
    return { points, score, pending, status: status === 'approved' ? 'approved' : 'rejected' };
  }

  /** Takes back a submission whose photo could not be stored (the player may send it again). */
  async withdraw(hunt: string, id: string): Promise<void> {
    await this.review(hunt, id, 'reject', { reason: 'the photo could not be stored; send it again' }).catch(
      () => undefined,
    );
  }
}
