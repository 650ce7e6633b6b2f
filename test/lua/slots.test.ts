/**
 * Every script and every MULTI stays within one Redis Cluster slot. Slots are computed here
 * with the cluster's own rule (CRC16/XMODEM of the key, or of its first {hash tag}, mod 16384),
 * so a script that names keys of two slots fails this test before it ever runs on a cluster.
 */
import { describe, expect, it } from 'vitest';
import { ConfigKeys } from '../../config/store.js';
import { Keys } from '../../rooms/index.js';
import { SCRIPTS } from '../../rooms/scripts.js';

function crc16(data: Buffer): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

function slotOf(key: string): number {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return crc16(Buffer.from(key.slice(open + 1, close))) % 16384;
  }
  return crc16(Buffer.from(key)) % 16384;
}

const slots = (keys: string[]): Set<number> => new Set(keys.map(slotOf));

describe('cluster slots', () => {
  it('computes the cluster rule (known values)', () => {
    expect(slotOf('123456789')).toBe(12739); // CRC16/XMODEM check value 0x31C3 mod 16384
    expect(slotOf('{user1000}.following')).toBe(slotOf('{user1000}.followers'));
    expect(slotOf('foo{}{bar}')).toBe(slotOf('foo{}{bar}')); // an empty tag hashes the whole key
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
    expect(slots([configs.current('routing'), configs.history('routing'), configs.names, configs.nodes, configs.node('n1')]).size).toBe(1);
  });

  it('puts BullMQ queues under one braced prefix', () => {
    expect(new Keys('deploy').queuePrefix).toMatch(/^\{[^}]+\}$/);
  });
});
