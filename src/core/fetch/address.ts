import { isIP } from 'node:net';

/**
 * What kind of address an IP is, for deciding whether the bot may connect to it on someone
 * else's word. Only `public` may be fetched from a host nobody vouched for.
 */
export type AddressKind =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'unique-local'
  | 'multicast'
  | 'reserved'
  | 'not-an-address';

interface Range {
  base: bigint;
  bits: number;
  kind: AddressKind;
}

/** IPv4 blocks that are not on the public internet (RFC 6890 and friends). */
const V4_RANGES: readonly Range[] = [
  v4Range('0.0.0.0', 8, 'unspecified'),
  v4Range('10.0.0.0', 8, 'private'),
  v4Range('100.64.0.0', 10, 'shared'),
  v4Range('127.0.0.0', 8, 'loopback'),
  v4Range('169.254.0.0', 16, 'link-local'),
  v4Range('172.16.0.0', 12, 'private'),
  v4Range('192.0.0.0', 24, 'reserved'),
  v4Range('192.0.2.0', 24, 'reserved'),
  v4Range('192.88.99.0', 24, 'reserved'),
  v4Range('192.168.0.0', 16, 'private'),
  v4Range('198.18.0.0', 15, 'reserved'),
  v4Range('198.51.100.0', 24, 'reserved'),
  v4Range('203.0.113.0', 24, 'reserved'),
  v4Range('224.0.0.0', 4, 'multicast'),
  v4Range('240.0.0.0', 4, 'reserved'),
];

/** IPv6 blocks inside global unicast (2000::/3) that are still not public. */
const V6_SPECIAL: readonly Range[] = [
  v6Range('2001::', 32, 'reserved'), // Teredo: tunnels to an IPv4 address we cannot vet
  v6Range('2001:2::', 48, 'reserved'), // benchmarking
  v6Range('2001:10::', 28, 'reserved'), // ORCHID
  v6Range('2001:20::', 28, 'reserved'), // ORCHIDv2
  v6Range('2001:db8::', 32, 'reserved'), // documentation
  v6Range('3fff::', 20, 'reserved'), // documentation
];

/** IPv6 forms that carry an IPv4 address in their low 32 bits: judged by that address. */
const V6_EMBEDDING_V4: readonly { base: bigint; bits: number }[] = [
  { base: v6('::ffff:0:0'), bits: 96 }, // IPv4-mapped
  { base: v6('::'), bits: 96 }, // IPv4-compatible (deprecated)
  { base: v6('64:ff9b::'), bits: 96 }, // NAT64
];

export function classifyAddress(address: string): AddressKind {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return classifyV4(v4(bare));
  if (family === 6) return classifyV6(v6(bare));
  return 'not-an-address';
}

export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === 'public';
}

function classifyV4(value: bigint): AddressKind {
  return V4_RANGES.find((range) => inRange(value, range, 32))?.kind ?? 'public';
}

function classifyV6(value: bigint): AddressKind {
  if (value === 0n) return 'unspecified';
  if (value === 1n) return 'loopback';
  for (const prefix of V6_EMBEDDING_V4)
    if (inRange(value, prefix, 128)) return classifyV4(value & 0xffffffffn);
  // 6to4 (2002::/16) routes to the IPv4 address in bits 16-47.
  if (value >> 112n === 0x2002n) return classifyV4((value >> 80n) & 0xffffffffn);
  if (value >> 120n === 0xffn) return 'multicast';
  if (value >> 121n === 0x7en) return 'unique-local'; // fc00::/7
  if (value >> 118n === 0x3fan) return 'link-local'; // fe80::/10
  if (value >> 125n !== 1n) return 'reserved'; // outside 2000::/3: not global unicast
  return V6_SPECIAL.find((range) => inRange(value, range, 128))?.kind ?? 'public';
}

function inRange(value: bigint, range: { base: bigint; bits: number }, width: number): boolean {
  const shift = BigInt(width - range.bits);
  return value >> shift === range.base >> shift;
}

function v4(text: string): bigint {
  return text.split('.').reduce((sum, part) => (sum << 8n) | BigInt(Number(part)), 0n);
}

/** Parses any valid IPv6 text form (with `::` and a trailing dotted IPv4) into 128 bits. */
function v6(text: string): bigint {
  let groups = text;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(groups);
  if (dotted) {
    const value = v4(dotted[1]!);
    groups = `${groups.slice(0, dotted.index)}${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = groups.split('::');
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headParts.length - tailParts.length;
  const parts = [
    ...headParts,
    ...Array<string>(tail === undefined ? 0 : missing).fill('0'),
    ...tailParts,
  ];
  return parts.reduce((sum, part) => (sum << 16n) | BigInt(parseInt(part, 16)), 0n);
}

function v4Range(base: string, bits: number, kind: AddressKind): Range {
  return { base: v4(base), bits, kind };
}

function v6Range(base: string, bits: number, kind: AddressKind): Range {
  return { base: v6(base), bits, kind };
}
