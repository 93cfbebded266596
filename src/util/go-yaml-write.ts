import { goYamlNeedsQuotes } from './go-yaml-quote';

/** kubectl prints unstructured objects: keys sorted at every level. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function toYaml(value: unknown): string {
  // loaded on demand: most commands never print YAML (start-up time)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml') as typeof import('yaml');
  // quoted as go-yaml quotes (sigs.k8s.io/yaml, kustomize): a string that would read back as another
  // type ("1234", "yes", "0755", "null", "") in double quotes; any other string that cannot stay
  // plain ('*', '@hourly', 'a: b') in single quotes. The core schema only lays the text out: which
  // strings are ambiguous is go-yaml's call (goYamlNeedsQuotes), not the library's YAML 1.1 tags.
  const options = { indentSeq: false, lineWidth: 0, minContentWidth: 0, nullStr: 'null', singleQuote: true } as const;
  // sortKeys copies every object, so none is met twice: no anchors to look for
  const doc = new YAML.Document(sortKeys(value), { schema: 'core', aliasDuplicateObjects: false });
  // every scalar, keys too; walked here rather than with YAML.visit, which copies and freezes the
  // path at each node (a fifth of `get pods -A -o yaml`'s time)
  const quote = (node: unknown): void => {
    if (YAML.isScalar(node)) {
      const s = node.value;
      if (typeof s !== 'string') return;
      if (goYamlNeedsQuotes(s) || CONTROL.test(s)) node.type = 'QUOTE_DOUBLE';
      // the library double-quotes a string with an apostrophe; go-yaml single-quotes it ('it''s: x')
      else if (s.includes("'") && !s.includes('\n') && YAML.stringify(s, options).startsWith('"')) node.type = 'QUOTE_SINGLE';
    } else if (YAML.isCollection(node)) {
      for (const item of node.items as unknown[]) quote(item);
    } else if (YAML.isPair(node)) {
      quote(node.key);
      quote(node.value);
    }
  };
  quote(doc.contents);
  // no %YAML/%TAG directives (a new document has none to write; looking walks every node)
  return doc.toString({ ...options, directives: false });
}

/** control characters: go-yaml writes them escaped, in double quotes */

const CONTROL = /[\x00-\x09\x0b-\x1f\x7f]/;
