import type { NodeSelectorTerm as NodeSelectorTermSpec, PodSpec } from '../model/k8s';

/**
 * component-helpers/scheduling/corev1/nodeaffinity: a pod's nodeSelector plus its
 * required node affinity terms (ORed), and its preferred terms with weights. Terms that do
 * not parse never match (the scheduler ignores parse errors for backwards compatibility).
 */

interface LabelRequirement {
  key: string;
  operator: string;
  values: string[];
}

interface FieldRequirement {
  /** metadata.name must (In) or must not (NotIn) equal value */
  equal: boolean;
  value: string;
}

export interface NodeSelectorTerm {
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  /** false when the term does not parse: it matches no node */
  valid: boolean;
}

export interface NodeLike {
  name: string;
  labels: Record<string, string>;
}

const INT_RE = /^[+-]?\d+$/;

function parseTerm(term: NodeSelectorTermSpec | undefined): NodeSelectorTerm | undefined {
  const exprs = term?.matchExpressions ?? [];
  const fieldExprs = term?.matchFields ?? [];
  // an empty term selects nothing and is dropped (nodeaffinity.newNodeSelectorTerms)
  if (exprs.length === 0 && fieldExprs.length === 0) return undefined;
  let valid = true;
  const labels: LabelRequirement[] = [];
  for (const e of exprs) {
    const values = e.values ?? [];
    const operator = e.operator;
    switch (operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) valid = false;
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length !== 0) valid = false;
        break;
      case 'Gt':
      case 'Lt':
        if (values.length !== 1 || !INT_RE.test(values[0])) valid = false;
        break;
      default:
        valid = false;
    }
    labels.push({ key: e.key, operator, values });
  }
  const fields: FieldRequirement[] = [];
  for (const f of fieldExprs) {
    const values = f.values ?? [];
    if (f.key !== 'metadata.name' || values.length !== 1 || (f.operator !== 'In' && f.operator !== 'NotIn')) {
      valid = false;
      continue;
    }
    fields.push({ equal: f.operator === 'In', value: values[0] });
  }
  return { labels, fields, valid };
}

function labelRequirementMatches(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.operator) {
    case 'In':
      return has && r.values.includes(labels[r.key]);
    case 'NotIn':
      return !has || !r.values.includes(labels[r.key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || !INT_RE.test(labels[r.key])) return false;
      const nodeValue = Number(labels[r.key]);
      const bound = Number(r.values[0]);
      return r.operator === 'Gt' ? nodeValue > bound : nodeValue < bound;
    }
    default:
      return false;
  }
}

export function termMatches(term: NodeSelectorTerm, node: NodeLike): boolean {
  if (!term.valid) return false;
  for (const r of term.labels) if (!labelRequirementMatches(r, node.labels)) return false;
  for (const f of term.fields) if ((node.name === f.value) !== f.equal) return false;
  return true;
}

/** nodeaffinity.RequiredNodeAffinity: spec.nodeSelector AND any of the required terms. */
export class RequiredNodeAffinity {
  constructor(
    private readonly nodeSelector: [string, string][],
    /** undefined: no required node affinity at all; []: terms that select nothing */
    private readonly terms: NodeSelectorTerm[] | undefined,
  ) {}

  /** true when neither nodeSelector nor required affinity constrain the node */
  get isEmpty(): boolean {
    return this.nodeSelector.length === 0 && this.terms === undefined;
  }

  match(node: NodeLike): boolean {
    for (const [k, v] of this.nodeSelector) if (node.labels[k] !== v) return false;
    if (this.terms === undefined) return true;
    for (const t of this.terms) if (termMatches(t, node)) return true;
    return false;
  }
}

export const NO_NODE_AFFINITY = new RequiredNodeAffinity([], undefined);

export function requiredNodeAffinity(spec: PodSpec | undefined): RequiredNodeAffinity {
  // the last answer, by the spec's parts it was read from: the pods of a template share one spec
  // and are scheduled one after the other (three plugins ask, pod after pod)
  if (
    lastRequired !== undefined &&
    spec !== undefined &&
    lastRequired.spec === spec &&
    lastRequired.nodeSelector === spec.nodeSelector &&
    lastRequired.affinity === spec.affinity
  )
    return lastRequired.required;
  const required = readRequiredNodeAffinity(spec);
  if (spec !== undefined) lastRequired = { spec, nodeSelector: spec.nodeSelector, affinity: spec.affinity, required };
  return required;
}
let lastRequired: { spec: PodSpec; nodeSelector: unknown; affinity: unknown; required: RequiredNodeAffinity } | undefined;

function readRequiredNodeAffinity(spec: PodSpec | undefined): RequiredNodeAffinity {
  const selector = Object.entries(spec?.nodeSelector ?? {});
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  let terms: NodeSelectorTerm[] | undefined;
  if (required) {
    terms = [];
    for (const t of required.nodeSelectorTerms ?? []) {
      const parsed = parseTerm(t);
      if (parsed) terms.push(parsed);
    }
  }
  if (selector.length === 0 && terms === undefined) return NO_NODE_AFFINITY;
  return new RequiredNodeAffinity(selector, terms);
}

/** The required terms' metadata.name In values (NodeAffinity PreFilterResult), if every term names nodes. */
export function requiredTermsNodeNames(spec: PodSpec | undefined): Set<string> | 'conflict' | undefined {
  const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms?.length) return undefined;
  let nodeNames: Set<string> | undefined;
  for (const t of terms) {
    let termNames: Set<string> | undefined;
    for (const r of t.matchFields ?? []) {
      if (r.key === 'metadata.name' && r.operator === 'In') {
        const s = new Set(r.values ?? []);
        termNames = termNames ? new Set([...termNames].filter((n) => s.has(n))) : s;
      }
    }
    // a term without a metadata.name field makes every node eligible (terms are ORed)
    if (!termNames) return undefined;
    nodeNames = nodeNames ? new Set([...nodeNames, ...termNames]) : termNames;
  }
  if (nodeNames && nodeNames.size === 0) return 'conflict';
  return nodeNames;
}

export interface PreferredTerm {
  weight: number;
  term: NodeSelectorTerm;
}

/** nodeaffinity.NewPreferredSchedulingTerms: weight-0 and empty terms are dropped. */
export function preferredNodeAffinity(spec: PodSpec | undefined): PreferredTerm[] {
  const list = spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  const out: PreferredTerm[] = [];
  for (const p of list) {
    const weight = p.weight;
    if (!weight) continue;
    const term = parseTerm(p.preference);
    if (term) out.push({ weight, term });
  }
  return out;
}
