import * as net from 'node:net';
import { ipv6Groups } from '../util/ipv6';

/**
 * kube's CEL IP and CIDR predicates (apiserver/pkg/cel/library/ip.go and cidr.go, in the base
 * environment since v1.30): netip.ParseAddr / netip.ParsePrefix, refusing an address with a zone
 * (`fe80::1%eth0`) and an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`).
 */
export function isIP(s: string): boolean {
  if (s.includes('%') || !net.isIP(s)) return false;
  return net.isIPv4(s) || !isIPv4Mapped(s);
}

export function isCIDR(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const bits = s.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(bits)) return false;
  const addr = s.slice(0, slash);
  if (!isIP(addr)) return false;
  return Number(bits) <= (net.isIPv4(addr) ? 32 : 128);
}

/** ::ffff:a.b.c.d, or the same in hex (::ffff:0102:0304): the first 80 bits zero, then 0xffff. */
function isIPv4Mapped(s: string): boolean {
  const groups = ipv6Groups(s);
  return groups.length === 8 && groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
}
