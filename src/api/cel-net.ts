import * as net from 'node:net';
import { CelScalar, celFunc, celMethod, objectType, type CelFunc } from '@bufbuild/cel';
import { create, createFileRegistry, type DescMessage } from '@bufbuild/protobuf';
import { FieldDescriptorProto_Label, FieldDescriptorProto_Type, FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import type { ReflectMessage } from '@bufbuild/protobuf/reflect';
import { isCIDR, isIP } from './cel-ip';
import { formatIPv6, ipv6Groups } from '../util/ipv6';

/**
 * Kubernetes' `ip` and `cidr` CEL libraries (apiserver/pkg/cel/library/ip.go and cidr.go, in the
 * v1.32 base environment): the `net.IP` and `net.CIDR` types with ip(), cidr(), ip.isCanonical(),
 * family(), isUnspecified(), isLoopback(), isLinkLocalMulticast(), isLinkLocalUnicast(),
 * isGlobalUnicast(), containsIP(), containsCIDR(), ip(), masked(), prefixLength() and string().
 *
 * As with quantity (cel-quantity.ts), @bufbuild/cel has no value types of its own besides protobuf
 * messages: an IP is a message holding its canonical text (netip.Addr.String()), so two equal
 * addresses are equal values; a CIDR holds its text as netip.Prefix prints it (address as given).
 */

const FILE = create(FileDescriptorProtoSchema, {
  name: 'kubesim/kubernetes_net_cel.proto',
  package: 'net',
  syntax: 'proto3',
  messageType: ['IP', 'CIDR'].map((name) => ({
    name,
    field: [
      { name: 'text', jsonName: 'text', number: 1, type: FieldDescriptorProto_Type.STRING, label: FieldDescriptorProto_Label.OPTIONAL },
    ],
  })),
});
const files = createFileRegistry(FILE, () => undefined);
/** The message types the CEL registry must know (cel-quantity.ts's CEL_REGISTRY adds them). */
export const NET_MESSAGES: DescMessage[] = [files.getMessage('net.IP')!, files.getMessage('net.CIDR')!];
const [IP_DESC, CIDR_DESC] = NET_MESSAGES;
const IP = objectType(IP_DESC);
const CIDR = objectType(CIDR_DESC);
const { STRING, BOOL, INT } = CelScalar;

interface Addr {
  family: 4 | 6;
  value: bigint;
}

function parseAddr(s: string): Addr {
  if (s.includes('%')) throw new Error(`IP address "${s}" with zone value is not allowed`);
  if (!net.isIP(s)) throw new Error(`IP Address "${s}" parse error during conversion from string: ParseAddr("${s}"): unable to parse IP`);
  if (!isIP(s)) throw new Error(`IPv4-mapped IPv6 address "${s}" is not allowed`);
  if (net.isIPv4(s)) return { family: 4, value: s.split('.').reduce((v, o) => (v << 8n) | BigInt(Number(o)), 0n) };
  return { family: 6, value: ipv6Groups(s).reduce((v, g) => (v << 16n) | BigInt(g), 0n) };
}

/** netip.Addr.String(): dotted quad, or RFC 5952 (the longest run of two or more zero groups as ::). */
function formatAddr(a: Addr): string {
  if (a.family === 4) return [24n, 16n, 8n, 0n].map((shift) => String((a.value >> shift) & 255n)).join('.');
  return formatIPv6(Array.from({ length: 8 }, (_, i) => Number((a.value >> BigInt(112 - 16 * i)) & 0xffffn)));
}

const bitsOf = (a: Addr) => (a.family === 4 ? 32 : 128);

interface Prefix {
  addr: Addr;
  bits: number;
  text: string;
}

function parsePrefix(s: string): Prefix {
  if (!isCIDR(s)) throw new Error(`network address parse error during conversion from string: netip.ParsePrefix("${s}"): invalid prefix`);
  const slash = s.indexOf('/');
  const addr = parseAddr(s.slice(0, slash));
  const bits = Number(s.slice(slash + 1));
  return { addr, bits, text: `${formatAddr(addr)}/${bits}` };
}

function masked(p: Prefix): Addr {
  const total = bitsOf(p.addr);
  const hostBits = BigInt(total - p.bits);
  return { family: p.addr.family, value: (p.addr.value >> hostBits) << hostBits };
}

function contains(p: Prefix, a: Addr): boolean {
  return p.addr.family === a.family && masked(p).value === masked({ addr: a, bits: p.bits, text: '' }).value;
}

const textOf = (m: unknown) => ((m as ReflectMessage).message as unknown as { text: string }).text;
const ipValue = (a: Addr) => create(IP_DESC, { text: formatAddr(a) } as never) as never;
const cidrValue = (p: Prefix) => create(CIDR_DESC, { text: p.text } as never) as never;
const addrOf = (m: unknown) => parseAddr(textOf(m));
const prefixOf = (m: unknown) => parsePrefix(textOf(m));

/** ip.go's predicates, as Go's netip.Addr answers them. */
function inRange(a: Addr, family: 4 | 6, prefix: bigint, bits: number): boolean {
  if (a.family !== family) return false;
  const shift = BigInt(bitsOf(a) - bits);
  return a.value >> shift === prefix >> shift;
}
const isLoopback = (a: Addr) => (a.family === 4 ? inRange(a, 4, 0x7f000000n, 8) : a.value === 1n);
const isMulticast = (a: Addr) => inRange(a, 4, 0xe0000000n, 4) || inRange(a, 6, 0xffn << 120n, 8);
const isLinkLocalMulticast = (a: Addr) => inRange(a, 4, 0xe0000000n, 24) || inRange(a, 6, 0xff02n << 112n, 16);
const isLinkLocalUnicast = (a: Addr) => inRange(a, 4, 0xa9fe0000n, 16) || inRange(a, 6, 0xfe80n << 112n, 10);
const isUnspecified = (a: Addr) => a.value === 0n;
const isGlobalUnicast = (a: Addr) =>
  !isUnspecified(a) && !isLoopback(a) && !isMulticast(a) && !isLinkLocalUnicast(a) && !(a.family === 4 && a.value === 0xffffffffn);

export const NET_FUNCTIONS: CelFunc[] = [
  celFunc('ip', [STRING], IP, (s) => ipValue(parseAddr(s))),
  celFunc('ip.isCanonical', [STRING], BOOL, (s) => formatAddr(parseAddr(s)) === s),
  celFunc('string', [IP], STRING, (ip) => textOf(ip)),
  celMethod('family', IP, [], INT, function () {
    return BigInt(addrOf(this).family);
  }),
  celMethod('isUnspecified', IP, [], BOOL, function () {
    return isUnspecified(addrOf(this));
  }),
  celMethod('isLoopback', IP, [], BOOL, function () {
    return isLoopback(addrOf(this));
  }),
  celMethod('isLinkLocalMulticast', IP, [], BOOL, function () {
    return isLinkLocalMulticast(addrOf(this));
  }),
  celMethod('isLinkLocalUnicast', IP, [], BOOL, function () {
    return isLinkLocalUnicast(addrOf(this));
  }),
  celMethod('isGlobalUnicast', IP, [], BOOL, function () {
    return isGlobalUnicast(addrOf(this));
  }),
  celFunc('cidr', [STRING], CIDR, (s) => cidrValue(parsePrefix(s))),
  celFunc('string', [CIDR], STRING, (c) => textOf(c)),
  celMethod('containsIP', CIDR, [IP], BOOL, function (ip) {
    return contains(prefixOf(this), addrOf(ip));
  }),
  celMethod('containsIP', CIDR, [STRING], BOOL, function (s) {
    return contains(prefixOf(this), parseAddr(s));
  }),
  celMethod('containsCIDR', CIDR, [CIDR], BOOL, function (other) {
    const p = prefixOf(this);
    const o = prefixOf(other);
    return o.bits >= p.bits && contains(p, o.addr);
  }),
  celMethod('containsCIDR', CIDR, [STRING], BOOL, function (s) {
    const p = prefixOf(this);
    const o = parsePrefix(s);
    return o.bits >= p.bits && contains(p, o.addr);
  }),
  celMethod('ip', CIDR, [], IP, function () {
    return ipValue(prefixOf(this).addr);
  }),
  celMethod('masked', CIDR, [], CIDR, function () {
    const p = prefixOf(this);
    const m = masked(p);
    return cidrValue({ addr: m, bits: p.bits, text: `${formatAddr(m)}/${p.bits}` });
  }),
  celMethod('prefixLength', CIDR, [], INT, function () {
    return BigInt(prefixOf(this).bits);
  }),
];
