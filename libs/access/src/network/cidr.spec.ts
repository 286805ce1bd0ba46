import { canonicalCidrs, cidrContains, CidrError, formatCidr, matchesAny, parseCidr, parseCidrList } from './cidr';
import { formatIp, parseHostAddress, parseIp } from './ip-address';

describe('parseIp', () => {
  it.each([
    ['0.0.0.0', 4, '0.0.0.0'],
    ['255.255.255.255', 4, '255.255.255.255'],
    ['203.0.113.7', 4, '203.0.113.7'],
    [' 10.1.2.3 ', 4, '10.1.2.3'],
    ['::', 6, '::'],
    ['::1', 6, '::1'],
    ['2001:db8::1', 6, '2001:db8::1'],
    ['2001:DB8:0:0:0:0:0:1', 6, '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', 6, '2001:db8::1:0:0:1'],
    ['fe80::1%eth0', 6, 'fe80::1'],
    ['1:2:3:4:5:6:7:8', 6, '1:2:3:4:5:6:7:8'],
    ['1::', 6, '1::'],
    ['::2:3:4:5:6:7:8', 6, '0:2:3:4:5:6:7:8'],
    ['64:ff9b::192.0.2.33', 6, '64:ff9b::c000:221'],
    // IPv4-mapped IPv6 is read as IPv4 (dual-stack sockets report IPv4 clients this way)
    ['::ffff:192.0.2.1', 4, '192.0.2.1'],
    ['::ffff:c000:0201', 4, '192.0.2.1'],
    ['::FFFF:10.0.0.1', 4, '10.0.0.1'],
  ])('%p is IPv%p %p', (text, version, formatted) => {
    const ip = parseIp(text)!;
    expect(ip.version).toBe(version);
    expect(formatIp(ip)).toBe(formatted);
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.-4',
    '1.2.3.4 5',
    'a.b.c.d',
    ':::',
    '1:::2',
    '1::2::3',
    ':1::',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7::8', // "::" must stand for at least one group
    '12345::',
    'g::1',
    '::1.2.3.4.5',
    '1.2.3.4::',
    '::ffff:256.0.0.1',
    'localhost',
  ])('refuses %p', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });

  it.each([
    ['1.2.3.4:5678', '1.2.3.4'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['2001:db8::1', '2001:db8::1'],
    ['[::ffff:1.2.3.4]:80', '1.2.3.4'],
  ])('reads host address %p as %p', (text, expected) => {
    expect(formatIp(parseHostAddress(text)!)).toBe(expected);
  });
});

describe('parseCidr', () => {
  it.each([
    ['203.0.113.0/24', '203.0.113.0/24'],
    ['203.0.113.7', '203.0.113.7/32'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['2001:db8::/32', '2001:db8::/32'],
    ['2001:DB8::/32', '2001:db8::/32'],
    ['::/0', '::/0'],
    ['::1', '::1/128'],
    ['::ffff:10.0.0.0/104', '10.0.0.0/8'],
    ['::ffff:0:0/96', '0.0.0.0/0'],
    ['::ffff:192.0.2.1', '192.0.2.1/32'],
  ])('%p is %p', (text, canonical) => {
    expect(formatCidr(parseCidr(text))).toBe(canonical);
  });

  it.each([
    ['10.0.0.1/8', /host bits set; the block is 10\.0\.0\.0\/8/],
    ['2001:db8::1/32', /host bits set; the block is 2001:db8::\/32/],
    ['10.0.0.0/33', /at most 32/],
    ['::/129', /at most 128/],
    ['10.0.0.0/', /prefix length must be a number/],
    ['10.0.0.0/x', /prefix length must be a number/],
    ['10.0.0.0/-1', /prefix length must be a number/],
    ['10.0.0.0/08', /prefix length must be a number/],
    ['example.com/24', /not an IPv4 or IPv6 address/],
    ['fe80::%eth0/64', /zone ids/],
    ['::ffff:0:0/95', /IPv4-mapped/],
    ['', /not an IPv4 or IPv6 address/],
  ])('refuses %p', (text, message) => {
    expect(() => parseCidr(text)).toThrow(CidrError);
    expect(() => parseCidr(text)).toThrow(message);
  });
});

describe('matching', () => {
  const cases: Array<[string, string, boolean]> = [
    ['203.0.113.0/24', '203.0.113.0', true],
    ['203.0.113.0/24', '203.0.113.255', true],
    ['203.0.113.0/24', '203.0.114.0', false],
    ['203.0.113.0/24', '203.0.112.255', false],
    ['203.0.113.7', '203.0.113.7', true],
    ['203.0.113.7', '203.0.113.8', false],
    ['0.0.0.0/0', '198.51.100.1', true],
    ['0.0.0.0/0', '2001:db8::1', false], // an IPv4 block never matches IPv6
    ['::/0', '198.51.100.1', false], // and an IPv6 block never matches IPv4
    ['::/0', '2001:db8::1', true],
    ['10.0.0.0/8', '::ffff:10.20.30.40', true], // mapped client, IPv4 block
    ['::ffff:10.0.0.0/104', '10.20.30.40', true], // mapped block, IPv4 client
    ['2001:db8::/32', '2001:db8:ffff:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['2001:db8::/127', '2001:db8::1', true],
    ['2001:db8::/128', '2001:db8::1', false],
    ['fe80::/10', 'fe80::1%eth0', true],
    ['192.0.2.0/31', '192.0.2.1', true],
    ['192.0.2.0/31', '192.0.2.2', false],
  ];
  it.each(cases)('%p contains %p: %p', (block, address, expected) => {
    expect(cidrContains(parseCidr(block), parseIp(address)!)).toBe(expected);
  });

  it('matchesAny: any block; an unknown address matches nothing; an empty list matches nothing', () => {
    const blocks = parseCidrList(['10.0.0.0/8', '2001:db8::/32']);
    expect(matchesAny(blocks, parseIp('10.9.9.9'))).toBe(true);
    expect(matchesAny(blocks, parseIp('2001:db8::9'))).toBe(true);
    expect(matchesAny(blocks, parseIp('11.0.0.1'))).toBe(false);
    expect(matchesAny(blocks, undefined)).toBe(false);
    expect(matchesAny([], parseIp('10.0.0.1'))).toBe(false);
  });

  it('parseCidrList reads a comma or space separated string and names every bad entry at once', () => {
    expect(parseCidrList('10.0.0.0/8, 192.0.2.1  2001:db8::/32,').map(formatCidr)).toEqual(['10.0.0.0/8', '192.0.2.1/32', '2001:db8::/32']);
    expect(parseCidrList('')).toEqual([]);
    expect(() => parseCidrList(['10.0.0.1/8', 'nope', '192.0.2.0/24'])).toThrow(/10\.0\.0\.1\/8.*; "nope"/);
  });
});

describe('canonicalCidrs', () => {
  it('writes each block once in canonical form and refuses host bits', () => {
    expect(canonicalCidrs(['192.0.2.1', '192.0.2.1/32', '2001:DB8::/32'])).toEqual(['192.0.2.1/32', '2001:db8::/32']);
    expect(() => canonicalCidrs(['10.0.0.1/8'])).toThrow(CidrError);
  });
});
