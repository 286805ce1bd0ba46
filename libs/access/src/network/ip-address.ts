/** An IP address as a number: IPv4 in 32 bits, IPv6 in 128. IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is read as IPv4. */
export interface IpAddress {
  version: 4 | 6;
  value: bigint;
}

const IPV4_PART = /^(0|[1-9][0-9]{0,2})$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;
const MAPPED_PREFIX = 0xffffn << 32n;
const V4_BITS_IN_V6 = (1n << 32n) - 1n;

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const p of parts) {
    // Leading zeros are refused: some stacks read "010" as octal, so its meaning is ambiguous.
    if (!IPV4_PART.test(p) || Number(p) > 255) return undefined;
    value = (value << 8n) | BigInt(p);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const compressed = halves.length === 2;
  const listOf = (s: string) => (s === '' ? [] : s.split(':'));
  // An embedded IPv4 address may only be the very last part (`::ffff:192.0.2.1`).
  const read = (list: string[], endsAddress: boolean): bigint[] | undefined => {
    const words: bigint[] = [];
    for (let i = 0; i < list.length; i++) {
      const g = list[i];
      if (endsAddress && i === list.length - 1 && g.includes('.')) {
        const v4 = parseIpv4(g);
        if (v4 === undefined) return undefined;
        words.push(v4 >> 16n, v4 & 0xffffn);
      } else if (IPV6_GROUP.test(g)) words.push(BigInt(`0x${g}`));
      else return undefined;
    }
    return words;
  };
  const head = read(listOf(halves[0]), !compressed);
  const tail = compressed ? read(listOf(halves[1]), true) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (compressed ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...Array<bigint>(missing).fill(0n), ...tail].reduce((acc, g) => (acc << 16n) | g, 0n);
}

/**
 * Parses an IPv4 or IPv6 address (no port, no brackets). An IPv6 zone (`fe80::1%eth0`) is dropped.
 * IPv4-mapped IPv6 becomes IPv4, so `::ffff:10.0.0.1` matches `10.0.0.0/8`.
 */
export function parseIp(text: string): IpAddress | undefined {
  const s = text.trim();
  if (s.includes(':')) {
    const value = parseIpv6(s.replace(/%[0-9A-Za-z._~-]+$/, ''));
    if (value === undefined) return undefined;
    if (value >> 32n === 0xffffn && (value & ~V4_BITS_IN_V6) === MAPPED_PREFIX) return { version: 4, value: value & V4_BITS_IN_V6 };
    return { version: 6, value };
  }
  const value = parseIpv4(s);
  return value === undefined ? undefined : { version: 4, value };
}

export function formatIp(ip: IpAddress): string {
  if (ip.version === 4) return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => (ip.value >> BigInt((7 - i) * 16)) & 0xffffn);
  // RFC 5952: compress the longest run (≥2) of zero groups, the first one on a tie; lower case.
  let best = { start: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0n) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0n) j++;
    if (j - i > best.len && j - i >= 2) best = { start: i, len: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.len).join(':')}`;
}

/**
 * An address as it appears in X-Forwarded-For or a socket: may carry a port (`1.2.3.4:5678`,
 * `[2001:db8::1]:443`) or brackets; these are removed before parsing.
 */
export function parseHostAddress(text: string): IpAddress | undefined {
  let s = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1];
  else if (/^[0-9.]+:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(':'));
  return parseIp(s);
}
