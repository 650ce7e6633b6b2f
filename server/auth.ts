/**
 * Player tokens: `base64url(json).base64url(hmac-sha256)`, binding player, hunt and expiry.
 * The secret lives in Redis (created once by whichever node starts first) so every node
 * accepts every other node's tokens. Game master requests carry the GM key.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RedisClient } from '../redis/index.js';
import { HuntError } from '../protocol/index.js';

export interface PlayerClaims {
  /** player id */
  p: string;
  /** hunt id */
  h: string;
  /** expiry, epoch seconds */
  exp: number;
}

export async function loadTokenSecret(redis: RedisClient, key: string): Promise<Buffer> {
  await redis.set(key, randomBytes(32).toString('base64'), 'NX');
  const secret = await redis.get(key);
  if (!secret) throw new Error(`token secret missing at ${key}`);
  return Buffer.from(secret, 'base64');
}

export class TokenSigner {
  constructor(private readonly secret: Buffer, private readonly ttlSeconds: number) {}

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
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new HuntError('UNAUTHORIZED', 'invalid player token');
    let claims: PlayerClaims;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as PlayerClaims;
    } catch {
      throw new HuntError('UNAUTHORIZED', 'malformed player token');
    }
    if (typeof claims.p !== 'string' || typeof claims.h !== 'string' || typeof claims.exp !== 'number') throw new HuntError('UNAUTHORIZED', 'malformed player token');
    if (claims.exp * 1000 <= nowMs) throw new HuntError('TOKEN_EXPIRED');
    return claims;
  }
}

/** Constant-time check of `Authorization: Bearer <key>` against the GM key. */
export function isGameMaster(authorization: string, gmKey: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  if (!match) return false;
  const given = Buffer.from(match[1] as string);
  const expected = Buffer.from(gmKey);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function bearer(authorization: string): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1];
}

/** Throws UNAUTHORIZED unless the request carries the game master key. */
export function requireGm(req: { authorization: string }, gmKey: string): void {
  if (!req.authorization) throw new HuntError('UNAUTHORIZED', 'send the game master key as `Authorization: Bearer <key>`');
  if (!isGameMaster(req.authorization, gmKey)) throw new HuntError('UNAUTHORIZED', 'the game master key is not valid');
}
