import { formatIp, IpAddress, parseIp } from './ip-address';

/** A network block: IPv4 or IPv6, `address/prefix`. A bare address is a single host (/32 or /128). */
export interface Cidr {
  version: 4 | 6;
  network: bigint;
  prefix: number;
}

export class CidrError extends Error {}

const bitsOf = (version: 4 | 6) => (version === 4 ? 32 : 128);
const maskOf = (version: 4 | 6, prefix: number): bigint => {
  const bits = BigInt(bitsOf(version));
  return prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << (bits - BigInt(prefix));
};

/**
 * Parses `203.0.113.0/24`, `2001:db8::/32`, `198.51.100.7` or `::ffff:10.0.0.0/104` (an IPv4-mapped
 * block is read as the IPv4 block `10.0.0.0/8`). Host bits must be zero: `10.0.0.1/8` is refused,
 * because it usually means a typo that would allow more than intended.
 */
export function parseCidr(text: string): Cidr {
  const s = text.trim();
  const slash = s.indexOf('/');
  const addressText = slash < 0 ? s : s.slice(0, slash);
  const prefixText = slash < 0 ? undefined : s.slice(slash + 1);
  if (addressText.includes('%')) throw new CidrError(`"${text}" is not a CIDR block: zone ids are not allowed`);
  const address = parseIp(addressText);
  if (!address) throw new CidrError(`"${text}" is not a CIDR block: "${addressText}" is not an IPv4 or IPv6 address`);
  const writtenAsV6 = addressText.includes(':');
  const writtenBits = writtenAsV6 ? 128 : 32;
  if (prefixText !== undefined && !/^(0|[1-9][0-9]{0,2})$/.test(prefixText))
    throw new CidrError(`"${text}" is not a CIDR block: the prefix length must be a number`);
  let prefix = prefixText === undefined ? writtenBits : Number(prefixText);
  if (prefix > writtenBits) throw new CidrError(`"${text}" is not a CIDR block: the prefix length must be at most ${writtenBits}`);
  if (writtenAsV6 && address.version === 4) {
    // IPv4-mapped: ::ffff:0:0/96 covers exactly the IPv4 space
    if (prefix < 96) throw new CidrError(`"${text}" mixes IPv4-mapped and other IPv6 addresses; write the IPv4 and IPv6 blocks separately`);
    prefix -= 96;
  }
  const mask = maskOf(address.version, prefix);
  if ((address.value & ~mask & maskOf(address.version, bitsOf(address.version))) !== 0n)
    throw new CidrError(`"${text}" has host bits set; the block is ${formatCidr({ version: address.version, network: address.value & mask, prefix })}`);
  return { version: address.version, network: address.value, prefix };
}

export function formatCidr(c: Cidr): string {
  return `${formatIp({ version: c.version, value: c.network })}/${c.prefix}`;
}

export function cidrContains(c: Cidr, ip: IpAddress): boolean {
  return c.version === ip.version && (ip.value & maskOf(c.version, c.prefix)) === c.network;
}

export function matchesAny(blocks: readonly Cidr[], ip: IpAddress | undefined): boolean {
  return ip !== undefined && blocks.some((b) => cidrContains(b, ip));
}

/** Parses a list (an array, or a comma/space separated string); throws one error naming every bad entry. */
export function parseCidrList(input: string | readonly string[]): Cidr[] {
  const items = (typeof input === 'string' ? input.split(/[\s,]+/) : input).map((s) => s.trim()).filter(Boolean);
  const problems: string[] = [];
  const blocks: Cidr[] = [];
  for (const item of items) {
    try {
      blocks.push(parseCidr(item));
    } catch (e) {
      if (!(e instanceof CidrError)) throw e;
      problems.push(e.message);
    }
  }
  if (problems.length) throw new CidrError(problems.join('; '));
  return blocks;
}

/** Canonical CIDR texts without repeats, as stored (`10.0.0.1/8` is refused, `192.0.2.1` becomes `192.0.2.1/32`); throws CidrError. */
export function canonicalCidrs(blocks: readonly string[]): string[] {
  return [...new Set(parseCidrList(blocks).map(formatCidr))];
}
