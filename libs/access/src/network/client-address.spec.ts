import { parseCidrList } from './cidr';
import { describeAddress, resolveClientAddress } from './client-address';

describe('resolveClientAddress (X-Forwarded-For behind trusted proxies)', () => {
  const proxies = parseCidrList(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);
  const cases: Array<[string, string | undefined, string | string[] | undefined, string]> = [
    // [name, socket peer, X-Forwarded-For, resolved client]
    ['no proxy: the peer, XFF ignored', '198.51.100.9', '203.0.113.1', '198.51.100.9'],
    ['untrusted peer cannot claim an address', '198.51.100.9', '127.0.0.1', '198.51.100.9'],
    ['trusted peer, one hop', '127.0.0.1', '203.0.113.1', '203.0.113.1'],
    ['right-most untrusted wins over a spoofed left part', '127.0.0.1', '1.1.1.1, 203.0.113.1', '203.0.113.1'],
    ['trusted hops are skipped', '127.0.0.1', '203.0.113.1, 10.0.0.5, 10.0.0.6', '203.0.113.1'],
    ['several headers are one list', '127.0.0.1', ['1.1.1.1', '203.0.113.1, 10.1.1.1'], '203.0.113.1'],
    ['all hops trusted: the left-most', '127.0.0.1', '10.0.0.9, 10.0.0.5', '10.0.0.9'],
    ['trusted peer without XFF: the peer', '127.0.0.1', undefined, '127.0.0.1'],
    ['empty XFF: the peer', '127.0.0.1', ' , ', '127.0.0.1'],
    ['IPv4-mapped socket peer counts as trusted IPv4', '::ffff:127.0.0.1', '203.0.113.1', '203.0.113.1'],
    ['IPv4-mapped client in XFF becomes IPv4', '127.0.0.1', '::ffff:203.0.113.1', '203.0.113.1'],
    ['IPv6 hops', 'fd00::1', '2001:db8::7, fd00::2', '2001:db8::7'],
    ['ports in XFF are removed', '127.0.0.1', '203.0.113.1:5555', '203.0.113.1'],
    ['bracketed IPv6 with port', '127.0.0.1', '[2001:db8::7]:443', '2001:db8::7'],
    ['garbage left of the client is never read', '127.0.0.1', 'garbage, 203.0.113.1', '203.0.113.1'],
    ['garbage where the client should be: unknown', '127.0.0.1', '203.0.113.1, garbage', 'unknown'],
    ['no socket address: unknown', undefined, '203.0.113.1', 'unknown'],
  ];
  it.each(cases)('%s', (_name, peer, xff, expected) => {
    expect(describeAddress(resolveClientAddress(peer, xff, proxies))).toBe(expected);
  });

  it('without trusted proxies the socket peer is always the client', () => {
    expect(describeAddress(resolveClientAddress('127.0.0.1', '203.0.113.1', []))).toBe('127.0.0.1');
  });
});
