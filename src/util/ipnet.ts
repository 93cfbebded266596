/** IPv4 addresses and CIDR blocks as numbers (kubesim's cluster networks are IPv4 only). */

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The address as an unsigned 32-bit number, or undefined when it is not dotted-quad IPv4. */
export function parseIPv4(text: string): number | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return parts.reduce((n, part) => n * 256 + part, 0);
}

export interface Cidr {
  /** the network address (host bits cleared, as Go's net.ParseCIDR returns it) */
  network: number;
  prefix: number;
}

/** `10.0.0.0/8` → its network and prefix length; undefined when malformed (ParseCIDRSloppy's failures). */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIPv4(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (ip === undefined || !/^\d{1,2}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > 32) return undefined;
  return { network: ip - (ip % 2 ** (32 - prefix)), prefix };
}

export function cidrContains(cidr: Cidr, ip: number): boolean {
  return ip - (ip % 2 ** (32 - cidr.prefix)) === cidr.network;
}
