import type { FieldError } from '../../util/errors';
import { registerKind } from './register';
import { orEmpty, type KObject } from '../../model/objects';
import type { IngressClass } from '../../model/kinds';
import type { IngressBackend, IngressRule, IngressSpec, LoadBalancerStatus } from '../../model/k8s';
import { ageColumn, isOneOf, nameColumn, validateMeta } from './common';
import { isDns1123Label, isDns1123Subdomain } from '../labels';
import type { ReadonlyObjectStore } from '../../store/object-store';
import { nodeAddress } from './node';
import { isPodReady } from './pod';

export const DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/** The IngressClass controller names kubesim's built-in ingress controller serves (it routes as ingress-nginx). */
export const SERVED_INGRESS_CONTROLLERS = ['k8s.io/ingress-nginx'];

/** The labels of the pods of the ingress-nginx controller Deployment (its deploy manifests and Helm chart). */
const INGRESS_NGINX_POD_LABELS = { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' };

/** The class an Ingress belongs to, if that IngressClass exists (the controller only serves its own). */
function ingressClassOf(ing: KObject<Pick<IngressSpec, 'ingressClassName'>>, store: ReadonlyObjectStore): IngressClass | undefined {
  const name = ing.spec?.ingressClassName ?? ing.metadata.annotations?.['kubernetes.io/ingress.class'];
  return name ? store.get('IngressClass', undefined, name) : undefined;
}

/** A pod of the ingress-nginx controller Deployment (by its labels). */
export function isIngressControllerPod(pod: KObject): boolean {
  const labels = pod.metadata.labels ?? {};
  return Object.entries(INGRESS_NGINX_POD_LABELS).every(([k, v]) => labels[k] === v);
}

/**
 * Whether a controller serves the Ingress: its IngressClass names a controller kubesim's built-in one
 * serves. An Ingress without a class is ignored, as ingress-nginx does without --watch-ingress-without-class
 * (DefaultIngressClass admission gives new Ingresses the default class). Once ingress-nginx controller pods
 * are deployed, they are the controller: an address only while one of them is Ready.
 */
export function ingressServed(ing: KObject<Pick<IngressSpec, 'ingressClassName'>>, store: ReadonlyObjectStore): boolean {
  const controller = ingressClassOf(ing, store)?.spec?.controller;
  if (!isOneOf(SERVED_INGRESS_CONTROLLERS, controller)) return false;
  let deployed = false;
  for (const pod of store.values('Pod')) {
    if (!isIngressControllerPod(pod)) continue;
    if (isPodReady(pod) && !pod.metadata.deletionTimestamp) return true;
    deployed = true;
  }
  return !deployed;
}

/** Where the simulated ingress controller listens: the first node's InternalIP (hostPort, as on kind). */
export function ingressControllerAddress(store: ReadonlyObjectStore): string | undefined {
  const node = store.list('Node')[0];
  return node ? nodeAddress(node, 'InternalIP') : undefined;
}

/** kubectl's formatHosts: up to 3 hosts, `*` when no rule names one. */
function formatHosts(rules: IngressRule[]): string {
  const list: string[] = [];
  const max = 3;
  let more = false;
  for (const rule of rules) {
    if (list.length === max) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (!list.length) return '*';
  return more ? `${list.join(',')} + ${rules.length - max} more...` : list.join(',');
}

export function loadBalancerAddresses(status: { loadBalancer?: LoadBalancerStatus } | undefined): string {
  return (status?.loadBalancer?.ingress ?? [])
    .map((i) => i.ip || i.hostname)
    .filter(Boolean)
    .join(',');
}

function validateBackend(backend: IngressBackend | undefined, path: string, errs: FieldError[]): void {
  if (!backend || typeof backend !== 'object') {
    errs.push({ path, type: 'Required value' });
    return;
  }
  const svc = backend.service;
  if (svc && backend.resource)
    errs.push({ path, type: 'Invalid value', value: '', detail: 'cannot set both service and resource backends' });
  if (!svc && !backend.resource) {
    errs.push({ path, type: 'Invalid value', value: '', detail: 'one backend must be specified' });
    return;
  }
  if (svc) {
    if (!svc.name) errs.push({ path: `${path}.service.name`, type: 'Required value' });
    else if (!isDns1123Label(svc.name))
      errs.push({
        path: `${path}.service.name`,
        type: 'Invalid value',
        value: svc.name,
        detail:
          "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      });
    const port = orEmpty(svc.port);
    if (port.name && port.number)
      errs.push({ path: `${path}.service.port`, type: 'Invalid value', value: port, detail: 'cannot set both port name & port number' });
    else if (!port.name && !port.number)
      errs.push({ path: `${path}.service.port.name`, type: 'Required value', detail: 'port name or number is required' });
    else if (port.number !== undefined && (port.number < 1 || port.number > 65535))
      errs.push({
        path: `${path}.service.port.number`,
        type: 'Invalid value',
        value: port.number,
        detail: 'must be between 1 and 65535, inclusive',
      });
  }
}

registerKind('Ingress', {
  columns: [
    nameColumn,
    { header: 'CLASS', value: (o) => o.spec?.ingressClassName ?? '<none>' },
    { header: 'HOSTS', value: (o) => formatHosts(o.spec?.rules ?? []) },
    { header: 'ADDRESS', value: (o) => loadBalancerAddresses(o.status) },
    { header: 'PORTS', value: (o) => ((o.spec?.tls ?? []).length ? '80, 443' : '80') },
    ageColumn,
  ],
  defaults(obj, ctx) {
    obj.spec ??= {};
    // DefaultIngressClass admission: a new Ingress without a class gets the default one
    if (
      !obj.spec.ingressClassName &&
      !obj.metadata.annotations?.['kubernetes.io/ingress.class'] &&
      !ctx.store.get('Ingress', obj.metadata.namespace, obj.metadata.name)
    ) {
      const defaults = ctx.store.list('IngressClass').filter((c) => c.metadata.annotations?.[DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true');
      if (defaults.length) obj.spec.ingressClassName = defaults[defaults.length - 1].metadata.name;
    }
    obj.status ??= { loadBalancer: {} };
  },
  validate(obj) {
    const errs: FieldError[] = validateMeta(obj);
    const spec = orEmpty(obj.spec);
    if (spec.defaultBackend) validateBackend(spec.defaultBackend, 'spec.defaultBackend', errs);
    if (!spec.defaultBackend && !(spec.rules ?? []).length)
      errs.push({ path: 'spec.rules', type: 'Required value', detail: 'either `defaultBackend` or `rules` must be specified' });
    (spec.rules ?? []).forEach((rule, i) => {
      const path = `spec.rules[${i}]`;
      if (rule.host) {
        const host = String(rule.host);
        const bare = host.startsWith('*.') ? host.slice(2) : host;
        if (!isDns1123Subdomain(bare))
          errs.push({
            path: `${path}.host`,
            type: 'Invalid value',
            value: host,
            detail:
              "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
          });
      }
      (rule.http?.paths ?? []).forEach((p, j) => {
        const pp = `${path}.http.paths[${j}]`;
        if (!p.pathType) errs.push({ path: `${pp}.pathType`, type: 'Required value', detail: 'pathType must be specified' });
        else if (!isOneOf(['Exact', 'Prefix', 'ImplementationSpecific'], p.pathType))
          errs.push({
            path: `${pp}.pathType`,
            type: 'Unsupported value',
            value: p.pathType,
            detail: 'supported values: "Exact", "ImplementationSpecific", "Prefix"',
          });
        if (p.pathType !== 'ImplementationSpecific' && (!p.path || !String(p.path).startsWith('/')))
          errs.push({ path: `${pp}.path`, type: 'Invalid value', value: p.path ?? '', detail: 'must be an absolute path' });
        validateBackend(p.backend, `${pp}.backend`, errs);
      });
      if (rule.http && !(rule.http.paths ?? []).length) errs.push({ path: `${path}.http.paths`, type: 'Required value' });
    });
    (spec.tls ?? []).forEach((t, i) => {
      if (t.secretName !== undefined && !isDns1123Subdomain(String(t.secretName)))
        errs.push({
          path: `spec.tls[${i}].secretName`,
          type: 'Invalid value',
          value: t.secretName,
          detail: 'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters',
        });
    });
    return errs;
  },
});

registerKind('IngressClass', {
  columns: [
    nameColumn,
    { header: 'CONTROLLER', value: (o) => o.spec?.controller ?? '' },
    {
      header: 'PARAMETERS',
      value: (o) => {
        const p = o.spec?.parameters;
        if (!p) return '<none>';
        return `${p.kind}.${p.apiGroup ?? ''}/${p.name}`.replace('./', '/');
      },
    },
    ageColumn,
  ],
  validate(obj) {
    const errs = validateMeta(obj);
    if (!obj.spec?.controller) errs.push({ path: 'spec.controller', type: 'Required value' });
    return errs;
  },
});
