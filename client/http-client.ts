/** A typed HTTP client for the contract: game master and player calls. */
import { errorOf } from '../protocol/guards.js';
import type { CreateHuntBody, HuntStatus, LeaderboardEntry, PuzzleType } from '../protocol/index.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(`${status} ${code}: ${message}`);
    this.name = 'HttpError';
  }
}

export interface HuntViewBody {
  id: string;
  name: string;
  status: HuntStatus;
  generation: { done: number; total: number };
  puzzles: { id: string; type: PuzzleType; difficulty: string; points: number }[];
  players: number;
  failure?: string;
  /** players it takes */
  maxPlayers?: number;
  /** what a join must carry (null: none) */
  passcode?: string | null;
  /** the game-master account that created it, or 'admin' */
  owner?: string;
}

export class HuntHttpClient {
  constructor(
    readonly baseUrl: string,
    private readonly gmKey?: string,
  ) {}

  /** The Authorization header for the GM key (or `auth`), for calls made with fetch directly. */
  authHeaders(auth?: string): Record<string, string> {
    const key = auth ?? this.gmKey;
    return key ? { authorization: `Bearer ${key}` } : {};
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    auth?: string,
    accept = 'application/json',
  ): Promise<T> {
    const headers: Record<string, string> = { accept, ...this.authHeaders(auth) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) {
      let err: ReturnType<typeof errorOf>;
      try {
        err = errorOf(JSON.parse(text));
      } catch {
        // not a contract error body
      }
      throw new HttpError(res.status, err?.code ?? 'HTTP_ERROR', err?.message ?? text, err?.details);
    }
    return (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
  }

  createHunt(body: CreateHuntBody): Promise<{ id: string; status: HuntStatus }> {
    return this.request('POST', '/api/hunts', body);
  }
  hunt(id: string): Promise<HuntViewBody> {
    return this.request('GET', `/api/hunts/${id}`);
  }
  /** One page of hunts, newest first; pass `nextCursor` back as `cursor` for the next. */
  hunts(page: { cursor?: string; limit?: number } = {}): Promise<{
    hunts: { id: string; name: string; status: HuntStatus; players: number }[];
    nextCursor: string | null;
  }> {
    const q = new URLSearchParams();
    if (page.cursor !== undefined) q.set('cursor', page.cursor);
    if (page.limit !== undefined) q.set('limit', String(page.limit));
    return this.request('GET', `/api/hunts${q.size ? `?${q.toString()}` : ''}`);
  }
  /** Deletes a hunt and everything it holds (ending it first if it runs). */
  deleteHunt(id: string): Promise<{ id: string; deleted: true }> {
    return this.request('DELETE', `/api/hunts/${id}`);
  }
  lifecycle(id: string, action: 'launch' | 'pause' | 'resume' | 'end'): Promise<{ id: string; status: HuntStatus }> {
    return this.request('POST', `/api/hunts/${id}/${action}`);
  }
  answers(id: string): Promise<{ answers: { puzzle: string; type: PuzzleType; answer: string }[] }> {
    return this.request('GET', `/api/hunts/${id}/answers`);
  }
  leaderboard(id: string, limit = 10): Promise<{ seq: number; entries: LeaderboardEntry[] }> {
    return this.request('GET', `/api/hunts/${id}/leaderboard?limit=${limit}`);
  }
  join(id: string, name: string): Promise<{ player: string; token: string }> {
    return this.request('POST', `/api/hunts/${id}/players`, { name });
  }
  sendEvents(token: string, events: unknown[]): Promise<{ accepted: number }> {
    return this.request('POST', '/api/events', { events }, token);
  }

  /** Polls the hunt until generation finished (ready or failed). */
  async waitReady(id: string, timeoutMs = 15_000): Promise<HuntViewBody> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await this.hunt(id);
      if (view.status !== 'generating') return view;
      if (Date.now() > deadline)
        throw new Error(
          `hunt ${id} still generating after ${timeoutMs} ms (${view.generation.done}/${view.generation.total})`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
