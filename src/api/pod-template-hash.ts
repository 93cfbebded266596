import type { PodTemplateSpec } from '../model/k8s';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a, 32-bit (hash/fnv New32a), over UTF-8 bytes. */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h >>> 0;
}

/** rand.SafeEncodeString: each character c of the input maps to alphabet[c % 27]. */
export function safeEncode(text: string): string {
  let out = '';
  for (const ch of text) out += SAFE_ALPHABET[ch.charCodeAt(0) % SAFE_ALPHABET.length];
  return out;
}

/**
 * controller.ComputeHash: FNV-32a of the pod template (here its canonical JSON, without the
 * pod-template-hash label), plus the collision count when set, written as a decimal string
 * and safe-encoded — so hashes use only 4-9bcdf like real ones.
 */
export function computeTemplateHash(template: PodTemplateSpec, collisionCount?: number): string {
  const copy = JSON.parse(JSON.stringify(template ?? {})) as PodTemplateSpec;
  if (copy.metadata?.labels) delete copy.metadata.labels['pod-template-hash'];
  let text = canonicalJson(copy);
  if (collisionCount !== undefined && collisionCount !== null) text += String(collisionCount);
  return safeEncode(String(fnv32a(text)));
}

export function canonicalJson(value: unknown): string {
  // (text appended as it goes: the filter, map and join arrays at each level were most of a
  // Deployment sync's template comparison; an undefined item is '' as join makes it)
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) text += (i ? ',' : '') + (canonicalJson(value[i]) ?? '');
    return text + ']';
  }
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).sort();
    let text = '{';
    let first = true;
    for (const k of keys) {
      const v = obj[k];
      if (v === undefined) continue;
      text += (first ? '' : ',') + JSON.stringify(k) + ':' + canonicalJson(v);
      first = false;
    }
    return text + '}';
  }
  return JSON.stringify(value);
}

/** Canonical text of a template without the hash label, cached per (immutable) template object. */
const strippedTemplates = new WeakMap<PodTemplateSpec, string>();
function strippedTemplate(t: PodTemplateSpec | undefined): string {
  if (!t) return '{}';
  let text = strippedTemplates.get(t);
  if (text === undefined) {
    const c = JSON.parse(JSON.stringify(t)) as PodTemplateSpec;
    if (c.metadata?.labels) {
      delete c.metadata.labels['pod-template-hash'];
      if (!Object.keys(c.metadata.labels).length) delete c.metadata.labels;
    }
    text = canonicalJson(c);
    strippedTemplates.set(t, text);
  }
  return text;
}

/** Templates equal ignoring the pod-template-hash label (EqualIgnoreHash). */
export function templatesEqualIgnoringHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return strippedTemplate(a) === strippedTemplate(b);
}
