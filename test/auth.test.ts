// vitest: redis-free (it never touches the run's Redis, so npm run test:cluster leaves it out)
/** Player tokens bind player, hunt and expiry; any change to them is refused. */
import { describe, expect, it } from 'vitest';
import { TokenSigner, TOKEN_MAX_TTL_SECONDS } from '../server/auth.js';

describe('player tokens', () => {
  const signer = new TokenSigner(Buffer.from('k'.repeat(32)), 60);

  it('round-trips player and hunt', () => {
    const claims = signer.verify(signer.sign('alice', 'h1'));
    expect(claims).toMatchObject({ p: 'alice', h: 'h1' });
  });

  it('refuses a token signed with another secret', () => {
    const other = new TokenSigner(Buffer.from('x'.repeat(32)), 60);
    expect(() => signer.verify(other.sign('alice', 'h1'))).toThrowError(
      expect.objectContaining({ code: 'UNAUTHORIZED' }),
    );
  });

  it('refuses an expired token', () => {
    const token = signer.sign('alice', 'h1', Date.now() - 120_000);
    expect(() => signer.verify(token)).toThrowError(expect.objectContaining({ code: 'TOKEN_EXPIRED' }));
  });

  it('refuses missing and malformed tokens', () => {
    for (const bad of [undefined, '', 'abc', '.', 'a.b', `${Buffer.from('{}').toString('base64url')}.zz`]) {
      expect(() => signer.verify(bad)).toThrowError(expect.objectContaining({ code: 'UNAUTHORIZED' }));
    }
  });

  it('bounds the lifetime of a token: no signer past the maximum, no token claiming to outlive it', () => {
    expect(() => new TokenSigner(Buffer.from('k'.repeat(32)), TOKEN_MAX_TTL_SECONDS + 1)).toThrow(/lives from/);
    const longest = new TokenSigner(Buffer.from('k'.repeat(32)), TOKEN_MAX_TTL_SECONDS);
    // a token minted a day in the future (a node whose clock is wrong) claims more than the maximum from now
    const token = longest.sign('alice', 'h1', Date.now() + 24 * 3600 * 1000);
    expect(() => longest.verify(token)).toThrowError(expect.objectContaining({ code: 'UNAUTHORIZED' }));
    expect(longest.verify(longest.sign('alice', 'h1'))).toMatchObject({ p: 'alice' });
  });
});
