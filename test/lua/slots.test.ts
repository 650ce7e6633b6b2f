/**
 * Every script and every MULTI stays within one Redis Cluster slot. Slots are computed here
 * with the cluster's own rule (CRC16/XMODEM of the key, or of its first {hash tag}, mod 16384),
 * so a script that names keys of two slots fails this test before it ever runs on a cluster.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigKeys } from '../../config/store.js';
import { VERIFICATION_QUEUES } from '../../puzzles/index.js';
import { slotOf } from '../../redis/index.js';
import { Keys } from '../../rooms/index.js';
import { SCRIPTS } from '../../rooms/scripts.js';

const slots = (keys: string[]): Set<number> => new Set(keys.map(slotOf));

describe('cluster slots', () => {
  it('computes the cluster rule (known values)', () => {
    expect(slotOf('123456789')).toBe(12739); // CRC16/XMODEM check value 0x31C3 mod 16384
    expect(slotOf('{user1000}.following')).toBe(slotOf('{user1000}.followers'));
    // read off a real redis-server 7.0 in cluster mode with CLUSTER KEYSLOT
    expect(slotOf('foo{}{bar}')).toBe(8363); // an empty first tag: the whole key is hashed
    expect(slotOf('foo{{bar}}zap')).toBe(4015); // the tag is '{bar' (first '{' to first '}')
    expect(slotOf('foo{bar}{zap}')).toBe(5061); // only the first tag counts
    expect(slotOf('{}')).toBe(15257);
    expect(slotOf('a{b')).toBe(13340); // no closing brace: the whole key
    expect(slotOf('{h:abc}:meta')).toBe(613);
    expect(slotOf('héllo')).toBe(11061); // UTF-8 bytes, not UTF-16 units
  });

  it('agrees with an independent bitwise CRC16 and the tag rule for any key', () => {
    const crc16 = (bytes: Uint8Array): number => {
      let crc = 0;
      for (const byte of bytes) {
        crc ^= byte << 8;
        for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
      }
      return crc;
    };
    const reference = (key: string): number => {
      const open = key.indexOf('{');
      const close = open < 0 ? -1 : key.indexOf('}', open + 1);
      const hashed = close > open + 1 ? key.slice(open + 1, close) : key;
      return crc16(new TextEncoder().encode(hashed)) % 16384;
    };
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '{', '}', ':', 'é', '1') }), (key) => {
        expect(slotOf(key)).toBe(reference(key));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps every hunt script in its hunt slot, for any hunt id', () => {
    for (const hunt of ['h1', 'Abc_-9', 'x'.repeat(40)]) {
      const k = new Keys('deploy').hunt(hunt);
      for (const script of Object.values(SCRIPTS)) {
        const keys = script.keyNames.map((n) => k[n as keyof typeof k]);
        expect(slots(keys).size, `${script.name} for hunt ${hunt}`).toBe(1);
      }
      // the MULTIs over hunt keys (welcome, leaderboard, dead letters) use these same keys
      expect(slots(Object.values(k)).size).toBe(1);
    }
  });

  it('keeps a partition lease with its stream, and every config key in one slot', () => {
    const keys = new Keys('deploy');
    expect(slotOf(keys.lease(3, 7))).toBe(slotOf(keys.stream(3, 7)));
    const configs = new ConfigKeys('deploy');
    expect(
      slots([configs.current('routing'), configs.history('routing'), configs.names, configs.nodes, configs.node('n1')])
        .size,
    ).toBe(1);
  });

  it('gives each BullMQ queue a braced prefix of its own, and the verification queues a quarter of the slots each', () => {
    for (const prefix of ['deploy', 't0123456789', 'x'.repeat(30)]) {
      const keys = new Keys(prefix);
      const names = ['generate', 'schedule', ...VERIFICATION_QUEUES];
      for (const name of names) expect(keys.queuePrefix(name)).toMatch(/^\{[^}]+\}$/);
      expect(new Set(names.map((n) => keys.queuePrefix(n))).size).toBe(names.length);
      const quarters = VERIFICATION_QUEUES.map((n) => Math.floor(slotOf(`${keys.queuePrefix(n)}:${n}:wait`) / 4096));
      expect(quarters).toEqual([0, 1, 2, 3]);
    }
  });

  it('places stream partitions evenly over any number of equal masters (not wherever their hash falls)', () => {
    const keys = new Keys('deploy');
    for (const partitions of [8, 12, 24, 48]) {
      for (const masters of [2, 3, 4, 6]) {
        const counts = new Array<number>(masters).fill(0);
        for (let p = 0; p < partitions; p++) counts[Math.floor((slotOf(keys.stream(1, p)) * masters) / 16384)]!++;
        const fair = partitions / masters;
        // every master within one partition (and a little) of its fair share
        for (const n of counts)
          expect(
            Math.abs(n - fair),
            `${partitions} partitions over ${masters} masters: ${counts.join('/')}`,
          ).toBeLessThanOrEqual(Math.max(1, fair * 0.25));
      }
    }
    // each partition's lease stays with its stream, and epochs differ in name
    expect(slotOf(keys.lease(2, 5))).toBe(slotOf(keys.stream(2, 5)));
    expect(keys.stream(1, 5)).not.toBe(keys.stream(2, 5));
  });
});
