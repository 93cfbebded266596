/**
 * A PKCS#10 certificate request as Go's x509.ParseCertificateRequest reads it, as far as kubectl
 * shows it (describe certificatesigningrequest): the subject's names and the subject alternative
 * names of the extensionRequest attribute. A small DER walk: only these fields are read, no
 * signature or key is checked (ParseCertificateRequest checks neither).
 */

import { formatIPv6 } from '../util/ipv6';
export interface CertificateRequestInfo {
  subject: {
    commonName: string;
    serialNumber: string;
    country: string[];
    organization: string[];
    organizationalUnit: string[];
    locality: string[];
    province: string[];
    streetAddress: string[];
    postalCode: string[];
  };
  dnsNames: string[];
  emailAddresses: string[];
  ipAddresses: string[];
  uris: string[];
}

export class CertificateRequestError extends Error {}

interface Node {
  tag: number;
  content: Buffer;
}

/** One TLV at the start of `buf`, and what follows it. */
function readNode(buf: Buffer): { node: Node; rest: Buffer } {
  if (buf.length < 2) throw new CertificateRequestError('asn1: syntax error: data truncated');
  const tag = buf[0];
  if ((tag & 0x1f) === 0x1f) throw new CertificateRequestError('asn1: syntax error: data truncated');
  let length = buf[1];
  let offset = 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4 || buf.length < 2 + bytes) throw new CertificateRequestError('asn1: syntax error: data truncated');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + buf[2 + i];
    offset += bytes;
  }
  if (buf.length < offset + length) throw new CertificateRequestError('asn1: syntax error: data truncated');
  return { node: { tag, content: buf.subarray(offset, offset + length) }, rest: buf.subarray(offset + length) };
}

function children(content: Buffer): Node[] {
  const out: Node[] = [];
  let rest = content;
  while (rest.length) {
    const r = readNode(rest);
    out.push(r.node);
    rest = r.rest;
  }
  return out;
}

const SEQUENCE = 0x30;
const SET = 0x31;

function expect(node: Node | undefined, tag: number): Node {
  if (!node || node.tag !== tag)
    throw new CertificateRequestError(`asn1: structure error: tags don't match (${tag & 0x1f} vs tag ${node ? node.tag & 0x1f : 'none'})`);
  return node;
}

function oid(content: Buffer): string {
  if (!content.length) return '';
  const parts = [Math.floor(content[0] / 40), content[0] % 40];
  let value = 0;
  for (const byte of content.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** The ASN.1 string types Go decodes into a string (other values are not names). */
function stringValue(node: Node): string | undefined {
  switch (node.tag) {
    case 0x0c: // UTF8String
      return node.content.toString('utf8');
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x12: // NumericString
    case 0x14: // T61String
      return node.content.toString('latin1');
    case 0x1e: {
      // BMPString: UTF-16BE
      const swapped = Buffer.from(node.content);
      swapped.swap16();
      return swapped.toString('utf16le');
    }
    default:
      return undefined;
  }
}

/** net.IP.String: dotted IPv4 (also for an IPv4-mapped IPv6 address), else RFC 5952 IPv6. */
function ipString(bytes: Buffer): string {
  const v4 =
    bytes.length === 4
      ? bytes
      : bytes.subarray(0, 12).equals(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]))
        ? bytes.subarray(12)
        : undefined;
  if (v4) return [...v4].join('.');
  return formatIPv6(Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2)));
}

const NAME_FIELDS: Record<string, keyof CertificateRequestInfo['subject']> = {
  '2.5.4.3': 'commonName',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'country',
  '2.5.4.7': 'locality',
  '2.5.4.8': 'province',
  '2.5.4.9': 'streetAddress',
  '2.5.4.10': 'organization',
  '2.5.4.11': 'organizationalUnit',
  '2.5.4.17': 'postalCode',
};
const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const SUBJECT_ALT_NAME = '2.5.29.17';

/** certificate.ParseCSR: the PEM block, then x509.ParseCertificateRequest. */
export function parseCertificateRequest(pem: string): CertificateRequestInfo {
  const block = /-----BEGIN ([^-]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(pem);
  if (!block || block[1] !== 'CERTIFICATE REQUEST') throw new CertificateRequestError('PEM block type must be CERTIFICATE REQUEST');
  const body = block[2].replace(/^[\w-]+:.*$/gm, '').replace(/\s+/g, '');
  const der = Buffer.from(body, 'base64');
  const request = expect(readNode(der).node, SEQUENCE);
  const [info] = children(request.content);
  const fields = children(expect(info, SEQUENCE).content);
  const subjectNode = expect(fields[1], SEQUENCE);
  const out: CertificateRequestInfo = {
    subject: {
      commonName: '',
      serialNumber: '',
      country: [],
      organization: [],
      organizationalUnit: [],
      locality: [],
      province: [],
      streetAddress: [],
      postalCode: [],
    },
    dnsNames: [],
    emailAddresses: [],
    ipAddresses: [],
    uris: [],
  };
  // pkix.Name.FillFromRDNSequence: a later CN or serial number wins, the lists collect
  for (const rdn of children(subjectNode.content))
    for (const atv of children(expect(rdn, SET).content)) {
      const [type, value] = children(expect(atv, SEQUENCE).content);
      const field = NAME_FIELDS[oid(expect(type, 0x06).content)];
      const text = value && stringValue(value);
      if (!field || text === undefined) continue;
      const current = out.subject[field];
      if (Array.isArray(current)) current.push(text);
      else (out.subject[field] as string) = text;
    }
  // attributes [0]: the extensionRequest's SubjectAltName extension
  const attributes = fields.find((f) => f.tag === 0xa0);
  for (const attribute of attributes ? children(attributes.content) : []) {
    const [type, values] = children(expect(attribute, SEQUENCE).content);
    if (oid(expect(type, 0x06).content) !== EXTENSION_REQUEST) continue;
    const [extensions] = children(expect(values, SET).content);
    for (const extension of children(expect(extensions, SEQUENCE).content)) {
      const parts = children(expect(extension, SEQUENCE).content);
      if (oid(expect(parts[0], 0x06).content) !== SUBJECT_ALT_NAME) continue;
      const value = expect(parts[parts.length - 1], 0x04);
      for (const name of children(expect(readNode(value.content).node, SEQUENCE).content)) {
        switch (name.tag) {
          case 0x81:
            out.emailAddresses.push(name.content.toString('latin1'));
            break;
          case 0x82:
            out.dnsNames.push(name.content.toString('latin1'));
            break;
          case 0x86:
            out.uris.push(name.content.toString('latin1'));
            break;
          case 0x87:
            if (name.content.length !== 4 && name.content.length !== 16)
              throw new CertificateRequestError(`x509: cannot parse IP address of length ${name.content.length}`);
            out.ipAddresses.push(ipString(name.content));
            break;
        }
      }
    }
  }
  return out;
}
