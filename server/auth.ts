/**
 * Player tokens: `base64url(json).base64url(hmac-sha256)`, binding player, hunt and expiry.
 * The secret lives in Redis (created once by whichever node starts first) so every node
 * accepts every other node's tokens. A token lives at most TOKEN_MAX_TTL_SECONDS (7 days):
 * `HUNT_TOKEN_TTL` cannot be set longer, and a token claiming to expire later is refused (so
 * one minted by a node with a wrong clock or setting does not outlive the bound). A socket
 * renews its token with `renew`; a removed player cannot.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RedisClient } from '../redis/index.js';
import { z } from 'zod';
import { HuntError } from '../protocol/index.js';

export interface PlayerClaims {
  /** player id */
  p: string;
  /** hunt id */
  h: string;
  /** expiry, epoch seconds */
  exp: number;
}

/** What a token's body must hold (its other fields, if any, are dropped). */
const playerClaims = z.object({ p: z.string(), h: z.string(), exp: z.number() }) satisfies z.ZodType<PlayerClaims>;

export async function loadTokenSecret(redis: RedisClient, key: string): Promise<Buffer> {
  await redis.set(key, randomBytes(32).toString('base64'), 'NX');
  const secret = await redis.get(key);
  if (!secret) throw new Error(`token secret missing at ${key}`);
  return Buffer.from(secret, 'base64');
}

/** The longest a player token may live: a week. */
export const TOKEN_MAX_TTL_SECONDS = 7 * 24 * 3600;

export class TokenSigner {
  constructor(
    private readonly secret: Buffer,
    private readonly ttlSeconds: number,
  ) {
    if (!(ttlSeconds > 0 && ttlSeconds <= TOKEN_MAX_TTL_SECONDS))
      throw new Error(`a player token lives from 1 s to ${TOKEN_MAX_TTL_SECONDS} s, not ${ttlSeconds}`);
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.secret).update(body).digest();
  }

  sign(player: string, hunt: string, nowMs = Date.now()): string {
    const claims: PlayerClaims = { p: player, h: hunt, exp: Math.floor(nowMs / 1000) + this.ttlSeconds };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  /** Returns the claims, or throws UNAUTHORIZED / TOKEN_EXPIRED. Synchronous: usable in a uWS upgrade. */
  verify(token: string | undefined, nowMs = Date.now()): PlayerClaims {
    if (!token) throw new HuntError('UNAUTHORIZED', 'a player token is required');
    const dot = token.indexOf('.');
    if (dot < 1) throw new HuntError('UNAUTHORIZED', 'malformed player token');
    const body = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = this.mac(body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new HuntError('UNAUTHORIZED', 'invalid player token');
    let read: unknown;
    try {
      read = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw new HuntError('UNAUTHORIZED', 'malformed player token');
    }
    const parsed = playerClaims.safeParse(read);
    if (!parsed.success) throw new HuntError('UNAUTHORIZED', 'malformed player token');
    const claims = parsed.data;
    if (claims.exp * 1000 <= nowMs) throw new HuntError('TOKEN_EXPIRED');
    if (claims.exp * 1000 > nowMs + TOKEN_MAX_TTL_SECONDS * 1000 + 60_000)
      throw new HuntError('UNAUTHORIZED', 'the player token claims a lifetime past the maximum');
    return claims;
  }
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearer(authorization: string): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim())?.[1];
}
