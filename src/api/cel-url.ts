import { CelScalar, celFunc, celList, celMap, celMethod, mapType, listType, objectType, type CelFunc } from '@bufbuild/cel';
import { create, createFileRegistry, type DescMessage } from '@bufbuild/protobuf';
import { FieldDescriptorProto_Label, FieldDescriptorProto_Type, FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import type { ReflectMessage } from '@bufbuild/protobuf/reflect';

/**
 * Kubernetes' `url` CEL library (apiserver/pkg/cel/library/urls.go, v1.32 base environment): the
 * `net.URL` type with url(), getScheme(), getHost(), getHostname(), getPort(), getEscapedPath()
 * and getQuery(). url() checks its argument with Go's url.ParseRequestURI (an absolute URI or an
 * absolute path) and keeps what url.Parse makes of it; both are followed here as Go's net/url
 * splits a URL (scheme, `//authority`, path, `?query`, `#fragment`), not as the WHATWG URL
 * parser would (which lowercases hosts, drops default ports and resolves dot segments).
 */

const FILE = create(FileDescriptorProtoSchema, {
  name: 'kubesim/kubernetes_url_cel.proto',
  package: 'net',
  syntax: 'proto3',
  messageType: [
    {
      name: 'URL',
      field: [
        { name: 'text', jsonName: 'text', number: 1, type: FieldDescriptorProto_Type.STRING, label: FieldDescriptorProto_Label.OPTIONAL },
      ],
    },
  ],
});
export const URL_MESSAGE: DescMessage = createFileRegistry(FILE, () => undefined).getMessage('net.URL')!;
const URL_TYPE = objectType(URL_MESSAGE);
const { STRING } = CelScalar;

interface GoUrl {
  scheme: string;
  opaque: string;
  host: string;
  path: string;
  rawQuery: string;
}

/** Go's url.Error text: `parse "x": reason`. */
const parseError = (raw: string, reason: string) => new Error(`parse ${JSON.stringify(raw)}: ${reason}`);

/** net/url's parse (viaRequest: ParseRequestURI, which allows no relative reference and keeps `#` in place). */
function parseGo(raw: string, viaRequest: boolean): GoUrl {
  if (/[\x00-\x1f\x7f]/.test(raw)) throw parseError(raw, 'net/url: invalid control character in URL');
  if (raw === '' && viaRequest) throw parseError(raw, 'empty url');
  let rest = raw;
  if (!viaRequest) {
    const hash = rest.indexOf('#');
    if (hash >= 0) rest = rest.slice(0, hash);
  }
  let scheme = '';
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (m) {
    scheme = m[1].toLowerCase();
    rest = rest.slice(m[0].length);
  } else if (/^[^/?#]*:/.test(rest) && !/^[a-zA-Z]/.test(rest)) throw parseError(raw, 'missing protocol scheme');
  let rawQuery = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (!rest.startsWith('/')) {
    if (scheme) return { scheme, opaque: rest, host: '', path: '', rawQuery };
    if (viaRequest) throw parseError(raw, 'invalid URI for request');
  }
  let host = '';
  if ((scheme || !viaRequest) && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? '' : rest.slice(slash);
    const at = authority.lastIndexOf('@');
    host = at < 0 ? authority : authority.slice(at + 1);
  }
  let path: string;
  try {
    path = decodeURIComponent(rest);
  } catch {
    throw parseError(raw, `invalid URL escape ${JSON.stringify(/%.{0,2}/.exec(rest)?.[0] ?? '%')}`);
  }
  return { scheme, opaque: '', host, path, rawQuery };
}

/** url.Hostname(): the host without its port, an IPv6 literal without brackets. */
function hostname(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end < 0 ? host.slice(1) : host.slice(1, end);
  }
  const colon = host.indexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

/** url.Port(): the digits after the host's last colon, if they are all digits. */
function port(host: string): string {
  const colon = host.lastIndexOf(':');
  if (colon < 0 || (host.startsWith('[') && colon < host.indexOf(']'))) return '';
  const p = host.slice(colon + 1);
  return /^[0-9]*$/.test(p) ? p : '';
}

/** url.EscapedPath(): the path with what must be escaped in a path escaped. */
function escapedPath(path: string): string {
  return path.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/g, (c) =>
    [...new TextEncoder().encode(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** url.ParseQuery: `&`-separated `key=value` pairs, unescaped (`+` is a space); unparsable pairs are skipped. */
function query(rawQuery: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of rawQuery.split('&')) {
    if (!part || part.includes(';')) continue;
    const eq = part.indexOf('=');
    const [k, v] = eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
    try {
      const key = decodeURIComponent(k.replace(/\+/g, ' '));
      const value = decodeURIComponent(v.replace(/\+/g, ' '));
      out.set(key, [...(out.get(key) ?? []), value]);
    } catch {
      // a bad escape: ParseQuery drops the pair (and reports the first error, which urls.go ignores)
    }
  }
  return out;
}

/** Go's url.ParseRequestURI error text for a string it refuses (`parse "x": invalid URI for request`), undefined when it parses. */
export function parseRequestURIError(raw: string): string | undefined {
  try {
    parseGo(raw, true);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

const textOf = (m: unknown) => ((m as ReflectMessage).message as unknown as { text: string }).text;
const parsed = (m: unknown) => parseGo(textOf(m), false);

export const URL_FUNCTIONS: CelFunc[] = [
  celFunc('url', [STRING], URL_TYPE, (s) => {
    try {
      parseGo(s, true);
    } catch (e) {
      throw new Error(`URL parse error during conversion from string: ${(e as Error).message}`, { cause: e });
    }
    return create(URL_MESSAGE, { text: s } as never) as never;
  }),
  celMethod('getScheme', URL_TYPE, [], STRING, function () {
    return parsed(this).scheme;
  }),
  celMethod('getHost', URL_TYPE, [], STRING, function () {
    return parsed(this).host;
  }),
  celMethod('getHostname', URL_TYPE, [], STRING, function () {
    return hostname(parsed(this).host);
  }),
  celMethod('getPort', URL_TYPE, [], STRING, function () {
    return port(parsed(this).host);
  }),
  celMethod('getEscapedPath', URL_TYPE, [], STRING, function () {
    return escapedPath(parsed(this).path);
  }),
  celMethod('getQuery', URL_TYPE, [], mapType(STRING, listType(STRING)), function () {
    const entries = new Map<string, unknown>();
    for (const [k, values] of query(parsed(this).rawQuery)) entries.set(k, celList(values));
    return celMap(entries as never) as never;
  }),
];
