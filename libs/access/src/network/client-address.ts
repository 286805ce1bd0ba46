import { Cidr, matchesAny } from './cidr';
import { formatIp, IpAddress, parseHostAddress } from './ip-address';

/**
 * The address a request came from. The socket's peer is the client unless it is a trusted proxy;
 * then X-Forwarded-For is read from the right (each proxy appends the address it received from),
 * skipping trusted proxies, and the first untrusted address is the client. Addresses left of it were
 * written by the client itself and are ignored, so a client cannot choose its own address.
 *
 * Undefined when the header holds something that is not an address where the client's should be:
 * such a request matches no allow-list.
 */
export function resolveClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | readonly string[] | undefined,
  trustedProxies: readonly Cidr[],
): IpAddress | undefined {
  const peer = socketAddress === undefined ? undefined : parseHostAddress(socketAddress);
  if (!peer || !matchesAny(trustedProxies, peer)) return peer;
  const hops = ([] as string[])
    .concat(forwardedFor ?? [])
    .flatMap((h) => h.split(','))
    .map((h) => h.trim())
    .filter((h) => h !== '');
  let client: IpAddress = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseHostAddress(hops[i]);
    if (!hop) return undefined;
    client = hop;
    if (!matchesAny(trustedProxies, hop)) return hop;
  }
  // Every hop was a trusted proxy: the left-most one is as close to the client as we can know.
  return client;
}

export function describeAddress(ip: IpAddress | undefined): string {
  return ip ? formatIp(ip) : 'unknown';
}
