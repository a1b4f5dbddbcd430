import { BlockList, isIP } from 'node:net';

/**
 * Who may call `/internal/…`: the TCP peer (`request.socket.remoteAddress`, never X-Forwarded-For
 * or `request.ip`, which a trusted proxy's headers change) is loopback or in INTERNAL_ADDRESSES
 * (IPs or CIDRs).
 */
export function internalPeerCheck(internalAddresses: readonly string[]): (address: string | undefined) => boolean {
  const list = new BlockList();
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addAddress('::1', 'ipv6');
  for (const entry of internalAddresses) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (isIP(address) === 0) throw new Error(`INTERNAL_ADDRESSES: "${entry}" is not an IP address or CIDR`);
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return (address) => {
    if (!address || isIP(address) === 0) return false;
    // An IPv4 peer on a dual-stack socket shows as ::ffff:a.b.c.d.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    if (mapped) return list.check(mapped, 'ipv4');
    return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  };
}
