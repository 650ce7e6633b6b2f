/**
 * Game-master accounts: the admin (the key of `HUNT_GM_KEY` or `.data/gm-key`) creates them,
 * each with a key of its own that is shown once and kept only as a hash.
 *
 * A key reads `gm_<account id>_<43 characters: 32 random bytes>`. What Redis keeps is
 * HMAC-SHA256 of it under a server-side pepper (a random secret created once in Redis), not
 * scrypt: scrypt's cost protects guessable passwords, but these keys are 256 random bits that
 * no offline search can reach however fast the hash, and a slow hash would cost every console
 * request tens of milliseconds of the event loop. The pepper means a copy of the account hash
 * alone does not even let one test a candidate key. Hashes are compared in constant time.
 *
 * Every node reads an account at most CACHE_MS after it last did, so a deleted account's key
 * stops working on every node within that time (and at once on the node that deleted it).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { HuntError } from '../protocol/index.js';
import type { RedisClient } from '../redis/index.js';
import { newId, type Keys } from '../rooms/index.js';

/** How long a node trusts what it last read of an account. */
export const ACCOUNT_CACHE_MS = 500;
/** Accounts kept in one node's cache before it starts over (forged ids cannot grow it without bound). */
const CACHE_MAX = 10_000;
/** Most game-master accounts one deployment holds. */
export const ACCOUNTS_MAX = 1_000;

export interface GmAccount {
  id: string;
  name: string;
  createdAt: string;
}

/** Who a request speaks for: the admin key, or one game-master account. */
export type Principal = { role: 'admin' } | { role: 'gm'; id: string; name: string };

const stored = z.object({ name: z.string(), createdAt: z.number(), hash: z.string() });
type Stored = z.infer<typeof stored>;

const KEY_FORM = /^gm_([A-Za-z0-9]{1,32})_([A-Za-z0-9_-]{43})$/;

function readStored(raw: string | null | undefined): Stored | null {
  if (raw == null) return null;
  try {
    const parsed = stored.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export class GmAccounts {
  private pepper: Buffer | undefined;
  private readonly cache = new Map<string, { record: Stored | null; at: number }>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly cacheMs = ACCOUNT_CACHE_MS,
  ) {}

  /** Reads (or creates, first node only) the pepper. */
  async start(): Promise<void> {
    await this.redis.set(this.keys.gmPepper, randomBytes(32).toString('base64'), 'NX');
    const pepper = await this.redis.get(this.keys.gmPepper);
    if (!pepper) throw new Error(`GM key pepper missing at ${this.keys.gmPepper}`);
    this.pepper = Buffer.from(pepper, 'base64');
  }

  private hash(key: string): Buffer {
    if (!this.pepper) throw new Error('GmAccounts used before start()');
    return createHmac('sha256', this.pepper).update(key).digest();
  }

  /** Creates an account; its key is in the answer and nowhere else. */
  async create(name: string): Promise<GmAccount & { key: string }> {
    if ((await this.redis.hlen(this.keys.gmAccounts)) >= ACCOUNTS_MAX)
      throw new HuntError('BAD_REQUEST', `there are already ${ACCOUNTS_MAX} game-master accounts; delete one first`);
    const id = newId(8);
    const key = `gm_${id}_${randomBytes(32).toString('base64url')}`;
    const createdAt = Date.now();
    const record: Stored = { name, createdAt, hash: this.hash(key).toString('base64url') };
    await this.redis.hset(this.keys.gmAccounts, id, JSON.stringify(record));
    this.cache.delete(id);
    return { id, name, createdAt: new Date(createdAt).toISOString(), key };
  }

  async list(): Promise<GmAccount[]> {
    const all = await this.redis.hgetall(this.keys.gmAccounts);
    return Object.entries(all)
      .flatMap(([id, raw]) => {
        const r = readStored(raw);
        return r ? [{ id, name: r.name, createdAt: r.createdAt }] : [];
      })
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((a) => ({ ...a, createdAt: new Date(a.createdAt).toISOString() }));
  }

  async exists(id: string): Promise<boolean> {
    return (await this.redis.hexists(this.keys.gmAccounts, id)) === 1;
  }

  /**
   * Deletes an account: its key stops working (here at once, elsewhere within the cache time),
   * and it leaves the hunts it was added to. Hunts it created stay, run by the admin.
   * Returns false when there was no such account.
   */
  async remove(id: string): Promise<boolean> {
    const removed = (await this.redis.hdel(this.keys.gmAccounts, id)) === 1;
    this.cache.delete(id);
    if (!removed) return false;
    const hunts = await this.redis.smembers(this.keys.gmHunts(id));
    await Promise.all(hunts.map((h) => this.redis.srem(this.keys.hunt(h).gms, id)));
    await this.redis.del(this.keys.gmHunts(id));
    return true;
  }

  private async record(id: string): Promise<Stored | null> {
    const now = Date.now();
    const hit = this.cache.get(id);
    if (hit && now - hit.at < this.cacheMs) return hit.record;
    const record = readStored(await this.redis.hget(this.keys.gmAccounts, id));
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(id, { record, at: now });
    return record;
  }

  /** The account a key belongs to, or null for a key that is not (or no longer) an account's. */
  async resolve(key: string): Promise<Extract<Principal, { role: 'gm' }> | null> {
    const id = KEY_FORM.exec(key)?.[1];
    if (id === undefined) return null;
    const record = await this.record(id);
    if (!record) return null;
    const expected = Buffer.from(record.hash, 'base64url');
    const given = this.hash(key);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    return { role: 'gm', id, name: record.name };
  }
}
