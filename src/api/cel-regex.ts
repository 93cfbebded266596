import { CelScalar, celList, celMethod, listType, type CelFunc } from '@bufbuild/cel';
import { RE2JS } from '@bufbuild/re2';

/**
 * Kubernetes' regex CEL library (apiserver/pkg/cel/library/regex.go, in the v1.32 base
 * environment): `'abc 123'.find('[0-9]+')` (the first match, or ''), `.findAll(regex)` and
 * `.findAll(regex, limit)` (Go's FindAllString: successive non-overlapping matches, an empty
 * match right after the previous one skipped; a negative limit is no limit).
 *
 * The pattern is checked as RE2 first (an invalid one fails as regexp.Compile does); matches
 * are then found with a JS RegExp, which picks the same leftmost-first match as Go's regexp
 * for the RE2 syntax both share. The Go-only spellings are translated: leading `(?flags)`,
 * `(?P<name>`, `\A`, `\z`. @bufbuild/re2 has no API that reports where a match is.
 */

const { STRING, INT } = CelScalar;

const compiled = new Map<string, RegExp>();

function toRegExp(pattern: string): RegExp {
  const hit = compiled.get(pattern);
  if (hit) return hit;
  // the RE2 syntax check, failing with the text `matches` fails with
  RE2JS.compile(pattern);
  let source = pattern;
  let flags = 'gu';
  const leading = /^\(\?([imsU]+)\)/.exec(source);
  if (leading) {
    source = source.slice(leading[0].length);
    for (const f of leading[1]) if (f !== 'U' && !flags.includes(f)) flags += f;
  }
  source = source
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$(?![\\s\\S])');
  const re = new RegExp(source, flags);
  compiled.set(pattern, re);
  return re;
}

function findAll(s: string, pattern: string, limit: bigint): string[] {
  if (limit === 0n) return [];
  const out: string[] = [];
  let previousEnd = -1;
  for (const m of s.matchAll(toRegExp(pattern))) {
    const start = m.index ?? 0;
    // FindAllString: "empty matches abutting a preceding match are ignored"
    if (m[0] === '' && start === previousEnd) continue;
    out.push(m[0]);
    previousEnd = start + m[0].length;
    if (limit > 0n && BigInt(out.length) >= limit) break;
  }
  return out;
}

export const REGEX_FUNCTIONS: CelFunc[] = [
  celMethod('find', STRING, [STRING], STRING, function (pattern) {
    return findAll(this, pattern, 1n)[0] ?? '';
  }),
  celMethod('findAll', STRING, [STRING], listType(STRING), function (pattern) {
    return celList(findAll(this, pattern, -1n));
  }),
  celMethod('findAll', STRING, [STRING, INT], listType(STRING), function (pattern, limit) {
    return celList(findAll(this, pattern, limit));
  }),
];
