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

/** Golden-ratio step: the k-th point of k·φ mod 1 leaves no gap wider than about 1/k of the line. */
const GOLDEN = 0.6180339887498949;

/** Where in the slot space (0 to 1) `goldenTag` places the `index`-th thing: frac(index·φ). */
export function goldenPoint(index: number): number {
  return (index * GOLDEN) % 1;
}

const nearCache = new Map<string, string>();

/**
 * A hash tag for the `index`-th of an open-ended series of things (stream partitions) whose slots
 * should be spread evenly over any number of masters that own equal slices of the slot space:
 * `base` with the smallest suffix whose slot lies within `width` slots of `frac(index·φ)·16384`.
 * The golden-ratio sequence spreads every prefix of the series nearly evenly, so the first N
 * partitions land about N/M on each of M masters whatever N and M are (plain hashing gave 24
 * partitions over 3 masters as 7/11/6).
 */
export function goldenTag(base: string, index: number, width = 48): string {
  const cached = nearCache.get(`${base}\0${index}`);
  if (cached !== undefined) return cached;
  const target = Math.floor(goldenPoint(index) * 16384);
  for (let n = 0; ; n++) {
    const tag = `${base}.${n}`;
    const slot = slotOf(`{${tag}}`);
    // distance on the ring of slots
    const d = Math.min(Math.abs(slot - target), 16384 - Math.abs(slot - target));
    if (d <= width) {
      if (nearCache.size > 100_000) nearCache.clear();
      nearCache.set(`${base}\0${index}`, tag);
      return tag;
    }
  }
}
