/** The Redis Cluster slot of a key: CRC16/XMODEM of the key, or of its first non-empty {hash tag}, mod 16384. */
function crc16(data: Buffer): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

export function slotOf(key: string): number {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return crc16(Buffer.from(key.slice(open + 1, close))) % 16384;
  }
  return crc16(Buffer.from(key)) % 16384;
}

/**
 * A hash tag for the `index`-th of `count` things that should land on different masters:
 * `base` with the smallest suffix whose slot falls in the `index`-th of `count` equal slices
 * of the slot space (masters of a cluster usually own equal slices).
 */
export function spreadTag(base: string, index: number, count: number): string {
  const from = Math.floor((index * 16384) / count);
  const to = Math.floor(((index + 1) * 16384) / count);
  for (let n = 0; ; n++) {
    const tag = `${base}.${n}`;
    const slot = slotOf(`{${tag}}`);
    if (slot >= from && slot < to) return tag;
  }
}
