/**
 * Who may do what over HTTP. The admin key may do everything; a game-master key acts on the
 * hunts its account created or was added to, and on no other: another's hunt answers 404
 * HUNT_NOT_FOUND exactly as a hunt that does not exist, so ids cannot be probed. Routes say
 * which check they need (`who` in `route`), and the check runs before their body is read.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { HuntError } from '../protocol/index.js';
import type { RedisClient } from '../redis/index.js';
import type { Keys } from '../rooms/index.js';
import type { GmAccounts, Principal } from './accounts.js';
import { bearer } from './auth.js';

/** What a route asks of its caller: any GM or admin key, the admin key, or a key that may run the hunt of `:id`. */
export type Who = 'gm' | 'admin' | 'hunt';

/** Most co-GMs one hunt may have (its `gms` set). */
export const CO_GMS_MAX = 50;

/** The caller of a route that declares `who` (set by `route` before the handler runs). */
export function principalOf(req: { principal: Principal | null }): Principal {
  if (!req.principal) throw new Error('principalOf on a route without `who`');
  return req.principal;
}

/**
 * Compares two secrets in constant time, whatever their lengths: both are MACed under a fresh
 * random key first, so neither the time nor the length of either tells anything.
 */
export function sameSecret(given: string, expected: string): boolean {
  const blind = randomBytes(32);
  const mac = (text: string): Buffer => createHmac('sha256', blind).update(text).digest();
  return timingSafeEqual(mac(given), mac(expected));
}

/** What a Access is built from. */
export interface AccessDeps {
  adminKey: string;
  accounts: GmAccounts;
  redis: RedisClient;
  keys: Keys;
}

export class Access {
  private readonly adminKey: string;
  readonly accounts: GmAccounts;
  private readonly redis: RedisClient;
  private readonly keys: Keys;

  constructor(deps: AccessDeps) {
    this.adminKey = deps.adminKey;
    this.accounts = deps.accounts;
    this.redis = deps.redis;
    this.keys = deps.keys;
  }

  /** The principal of an `Authorization: Bearer <key>` header, or null when there is none or it is not valid. */
  async principal(authorization: string): Promise<Principal | null> {
    const key = bearer(authorization);
    if (!key) return null;
    if (sameSecret(key, this.adminKey)) return { role: 'admin' };
    return this.accounts.resolve(key);
  }

  /** The caller as `who` requires, or a 401 (no valid key), 403 (a GM key on an admin route) or 404 (another's hunt). */
  async check(authorization: string, who: Who, hunt?: string): Promise<Principal> {
    if (!authorization) throw new HuntError('UNAUTHORIZED', 'send a game master key as `Authorization: Bearer <key>`');
    const p = await this.principal(authorization);
    if (!p) throw new HuntError('UNAUTHORIZED', 'the game master key is not valid');
    if (who === 'admin' && p.role !== 'admin') throw new HuntError('FORBIDDEN', 'only the admin key may do that');
    if (who === 'hunt') {
      if (hunt === undefined) throw new Error('a hunt route without a hunt id');
      if (!(await this.mayRun(p, hunt))) throw new HuntError('HUNT_NOT_FOUND');
    }
    return p;
  }

  /** True when the principal may run the hunt. The admin may run every hunt (its existence is checked where it is read). */
  async mayRun(p: Principal, hunt: string): Promise<boolean> {
    if (p.role === 'admin') return true;
    const k = this.keys.hunt(hunt);
    const [owner, member] = await Promise.all([this.redis.hget(k.meta, 'owner'), this.redis.sismember(k.gms, p.id)]);
    return owner === p.id || member === 1;
  }

  /** The hunts a principal sees: 'all' for the admin, else its account's own and shared ones. */
  async huntIds(p: Principal): Promise<string[] | 'all'> {
    return p.role === 'admin' ? 'all' : this.redis.smembers(this.keys.gmHunts(p.id));
  }

  /** Records a hunt its creator made (the hunt's `owner` is written with the hunt itself). */
  async owned(p: Principal, hunt: string): Promise<void> {
    if (p.role === 'gm') await this.redis.sadd(this.keys.gmHunts(p.id), hunt);
  }

  /** Lets another account run a hunt too; GM_NOT_FOUND when there is no such account. */
  async share(hunt: string, gm: string): Promise<void> {
    if (!(await this.accounts.exists(gm))) throw new HuntError('GM_NOT_FOUND');
    const k = this.keys.hunt(hunt);
    if ((await this.redis.scard(k.gms)) >= CO_GMS_MAX && (await this.redis.sismember(k.gms, gm)) === 0) {
      throw new HuntError('VALIDATION_FAILED', `a hunt may have at most ${CO_GMS_MAX} co-GMs`);
    }
    await this.redis.sadd(k.gms, gm);
    await this.redis.sadd(this.keys.gmHunts(gm), hunt);
  }

  /** Takes back `share`. */
  async unshare(hunt: string, gm: string): Promise<void> {
    await this.redis.srem(this.keys.hunt(hunt).gms, gm);
    await this.redis.srem(this.keys.gmHunts(gm), hunt);
  }

  /**
   * Drops a hunt from its owner's and co-GMs' lists; call it when the hunt is deleted, before its
   * keys go (it reads the hunt's `owner` and `gms`).
   */
  async forget(hunt: string): Promise<void> {
    const k = this.keys.hunt(hunt);
    const [owner, gms] = await Promise.all([this.redis.hget(k.meta, 'owner'), this.redis.smembers(k.gms)]);
    await Promise.all(
      [...new Set([...(owner ? [owner] : []), ...gms])].map((gm) => this.redis.srem(this.keys.gmHunts(gm), hunt)),
    );
  }

  /** The co-GMs of a hunt. */
  coGms(hunt: string): Promise<string[]> {
    return this.redis.smembers(this.keys.hunt(hunt).gms);
  }
}
