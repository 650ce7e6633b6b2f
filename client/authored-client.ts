/**
 * Typed calls for authored hunts (contract v1.2): missions added, replaced and removed, the
 * review queue, photos, QR codes and definitions for game masters; submissions for players.
 * Works in browsers and in Node (tests): it only needs `fetch`.
 */
import type { HuntHttpClient } from './http-client.js';
import { HttpError } from './http-client.js';
import { errorOf } from '../protocol/guards.js';
import { isRecord } from '../protocol/input.js';

/** The mission types a game master writes (beside the generated ones). */
export const AUTHORED_TYPES = ['text', 'choice', 'code', 'checkin', 'free', 'photo'] as const;
export type AuthoredType = (typeof AUTHORED_TYPES)[number];

export function isAuthoredType(t: string): t is AuthoredType {
  return AUTHORED_TYPES.some((type) => type === t);
}

export interface MissionLocation {
  lat: number;
  lng: number;
  /** metres */
  radius: number;
}

/** Sequencing fields any puzzle takes, generated or authored. */
export interface Sequencing {
  /** puzzle ids that must be solved first */
  after?: string[];
  /** seconds after launch before it opens */
  opensAfterS?: number;
  /** seconds after launch when it closes */
  closesAfterS?: number;
}

/** An authored puzzle as a game master writes it (`POST /api/hunts`, `/puzzles`). */
export interface AuthoredPuzzleInput extends Sequencing {
  type: AuthoredType;
  title?: string;
  prompt?: string;
  points?: number;
  hints?: string[];
  location?: MissionLocation;
  /** text: accepted answers */
  answers?: string[];
  /** choice: the options and the index of the right one */
  options?: string[];
  answer?: number;
  /** code: 4–32 letters or digits */
  code?: string;
}

/** A generated puzzle in a hunt's list, with the same sequencing fields. */
export interface GeneratedPuzzleInput extends Sequencing {
  type: string;
  difficulty: 'easy' | 'medium' | 'hard';
  /** shown to players instead of "3 · Cipher (hard)" */
  title?: string;
  seed?: string;
  location?: MissionLocation;
}

export type PuzzleInput = AuthoredPuzzleInput | GeneratedPuzzleInput;

export type SubmissionStatus = 'pending' | 'approved' | 'rejected';

export interface Submission {
  id: string;
  puzzle: string;
  player: string;
  team?: string;
  text?: string;
  photoUrl?: string;
  status: SubmissionStatus;
  at: number | string;
  /** added by some servers: the player's name, the points given, the reason */
  name?: string;
  points?: number;
  reason?: string;
}

/** A hunt as a definition: what `POST /api/hunts` takes to make a copy. */
export interface HuntDefinition {
  name: string;
  puzzles: PuzzleInput[];
  [setting: string]: unknown;
}

/** Game-master calls for authored hunts, on a client that carries the GM key. */
export class AuthoredApi {
  constructor(private readonly http: HuntHttpClient) {}

  addPuzzle(hunt: string, puzzle: AuthoredPuzzleInput): Promise<{ id: string } & Record<string, unknown>> {
    return this.http.request('POST', `/api/hunts/${enc(hunt)}/puzzles`, puzzle);
  }
  replacePuzzle(hunt: string, id: string, puzzle: AuthoredPuzzleInput): Promise<unknown> {
    return this.http.request('PUT', `/api/hunts/${enc(hunt)}/puzzles/${enc(id)}`, puzzle);
  }
  removePuzzle(hunt: string, id: string): Promise<unknown> {
    return this.http.request('DELETE', `/api/hunts/${enc(hunt)}/puzzles/${enc(id)}`);
  }
  definition(hunt: string): Promise<HuntDefinition> {
    return this.http.request('GET', `/api/hunts/${enc(hunt)}/definition`);
  }
  submissions(hunt: string, status: SubmissionStatus = 'pending'): Promise<{ submissions: Submission[] }> {
    return this.http.request('GET', `/api/hunts/${enc(hunt)}/submissions?status=${status}`);
  }
  approve(hunt: string, sid: string, points?: number): Promise<unknown> {
    return this.http.request(
      'POST',
      `/api/hunts/${enc(hunt)}/submissions/${enc(sid)}/approve`,
      points === undefined ? {} : { points },
    );
  }
  reject(hunt: string, sid: string, reason?: string): Promise<unknown> {
    return this.http.request(
      'POST',
      `/api/hunts/${enc(hunt)}/submissions/${enc(sid)}/reject`,
      reason ? { reason } : {},
    );
  }
  /** A submission's photo: its bytes with their content type (GM only, so fetched with the key). */
  photo(hunt: string, sid: string): Promise<Blob> {
    return this.blob(`/api/hunts/${enc(hunt)}/submissions/${enc(sid)}/photo`);
  }
  /** The printable QR sheet (HTML). */
  qrSheet(hunt: string): Promise<Blob> {
    return this.blob(`/api/hunts/${enc(hunt)}/qr`);
  }
  /** One code puzzle's QR code (SVG). */
  qrCode(hunt: string, puzzle: string): Promise<Blob> {
    return this.blob(`/api/hunts/${enc(hunt)}/qr/${enc(puzzle)}`);
  }

  private async blob(path: string): Promise<Blob> {
    const res = await fetch(`${this.http.baseUrl}${path}`, { headers: this.http.authHeaders() });
    if (!res.ok) {
      const error = errorOf(await res.json().catch(() => null));
      throw new HttpError(res.status, error?.code ?? 'HTTP_ERROR', error?.message ?? res.statusText);
    }
    return res.blob();
  }
}

/** A player's submission to a `free` or `photo` puzzle. */
export function submitMission(
  baseUrl: string,
  hunt: string,
  token: string,
  body: { id: string; puzzle: string; text: string } | { id: string; puzzle: string; photo: string },
): Promise<{ submission: string; status: 'pending' }> {
  return fetch(`${baseUrl}/api/hunts/${enc(hunt)}/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  }).then(async (res) => {
    const out: unknown = await res.json().catch(() => null);
    const submission = isRecord(out) && typeof out.submission === 'string' ? out.submission : '';
    if (!res.ok || !submission) {
      const error = errorOf(out);
      throw new HttpError(res.status, error?.code ?? 'HTTP_ERROR', error?.message ?? res.statusText);
    }
    return { submission, status: 'pending' };
  });
}

function enc(s: string): string {
  return encodeURIComponent(s);
}
