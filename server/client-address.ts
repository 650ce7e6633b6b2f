/**
 * The address a request comes from, for per-address limits: the TCP peer, or, when the peer is
 * a proxy listed in HUNT_TRUSTED_PROXIES, the last hop of its `X-Forwarded-For` (the address
 * that proxy saw; hops before it were written by the client and prove nothing). IPv6 clients
 * are counted by their /64, the block one subscriber usually holds.
 */
import { BlockList, isIP } from 'node:net';

/** Parses `10.0.0.1, 192.168.0.0/16, ::1` into a list; throws naming the first bad entry. */
export function parseTrustedProxies(text: string): BlockList {
  const list = new BlockList();
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const [ip = '', bits] = entry.split('/');
    const family = isIP(ip);
    const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
    if (
      !family ||
      !Number.isInteger(prefix) ||
      prefix < 0 ||
      prefix > (family === 6 ? 128 : 32) ||
      (bits !== undefined && !/^\d+$/.test(bits))
    ) {
      throw new Error(`HUNT_TRUSTED_PROXIES: ${JSON.stringify(entry)} is not an IP address or CIDR block`);
    }
    list.addSubnet(ip, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

/** `::ffff:1.2.3.4` as `1.2.3.4`; anything else as given, trimmed. */
function unmap(address: string): string {
  const a = address.trim().replace(/^\[|\]$/g, '');
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  return m?.[1] ?? a;
}

/** The first four groups of an IPv6 address (its /64), lower case. */
function slash64(address: string): string {
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client address that per-address limits count: `peer` (the TCP peer as uWS gives it), or
 * the last valid `X-Forwarded-For` entry when the peer is trusted. IPv6 becomes its /64.
 */
export function clientAddress(peer: string, forwardedFor: string, trusted: BlockList): string {
  let address = unmap(peer);
  if (forwardedFor && isTrusted(trusted, address)) {
    const last = unmap(forwardedFor.split(',').at(-1) ?? '');
    if (isIP(last)) address = last;
  }
  return isIP(address) === 6 ? slash64(address) : address;
}
