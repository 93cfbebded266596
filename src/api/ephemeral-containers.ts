import type { Pod } from '../model/kinds';
import type { EphemeralContainer } from '../model/k8s';
import type { FieldError } from '../util/errors';
import { deepEqual } from './merge';

/**
 * A pod's ephemeral containers as the API server checks them (apis/core/validation:
 * validateEphemeralContainers and ValidatePodEphemeralContainersUpdate): they are added through
 * the pods/ephemeralcontainers subresource only (never on create), each with a name unique
 * among all the pod's containers, an image, a target that is one of its containers, and none of
 * the fields an ephemeral container may not have; once added, never changed or removed.
 */

/** validateFieldAllowList: what an ephemeral container may not set ("cannot be set for an Ephemeral Container"). */
const FORBIDDEN_FIELDS = [
  'ports',
  'resources',
  'resizePolicy',
  'restartPolicy',
  'lifecycle',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
] as const;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function validateEphemeralContainers(pod: Pod, old: Pod | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const list = pod.spec?.ephemeralContainers;
  const path = 'spec.ephemeralContainers';
  if (!Array.isArray(list) || !list.length) {
    for (const o of old?.spec?.ephemeralContainers ?? [])
      errs.push({ path, type: 'Forbidden', detail: `existing ephemeral containers "${o.name}" may not be removed\n` });
    return errs;
  }
  if (!old) return [{ path, type: 'Forbidden', detail: 'cannot be set on create' }];
  const others = new Set([...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name));
  const all = new Set(others);
  list.forEach((ec: EphemeralContainer, i) => {
    const at = `${path}[${i}]`;
    if (!ec || typeof ec !== 'object') return;
    if (!ec.name) errs.push({ path: `${at}.name`, type: 'Required value' });
    else if (!DNS_LABEL.test(ec.name) || ec.name.length > 63)
      errs.push({
        path: `${at}.name`,
        type: 'Invalid value',
        value: ec.name,
        detail:
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      });
    else if (all.has(ec.name)) errs.push({ path: `${at}.name`, type: 'Duplicate value', value: ec.name });
    else all.add(ec.name);
    if (!ec.image) errs.push({ path: `${at}.image`, type: 'Required value' });
    if (ec.targetContainerName && !others.has(ec.targetContainerName))
      errs.push({ path: `${at}.targetContainerName`, type: 'Not found', value: ec.targetContainerName });
    for (const f of FORBIDDEN_FIELDS) {
      const v = (ec as unknown as Record<string, unknown>)[f];
      const empty = v === undefined || v === null || v === '' || (typeof v === 'object' && !Object.keys(v).length);
      if (!empty) errs.push({ path: `${at}.${f}`, type: 'Forbidden', detail: 'cannot be set for an Ephemeral Container' });
    }
    (ec.volumeMounts ?? []).forEach((m, j) => {
      if (m?.subPath)
        errs.push({ path: `${at}.volumeMounts[${j}].subPath`, type: 'Forbidden', detail: 'cannot be set for an Ephemeral Container' });
    });
  });
  const byName = new Map(list.map((c) => [c?.name, c]));
  for (const o of old.spec?.ephemeralContainers ?? []) {
    const now = byName.get(o.name);
    if (!now) errs.push({ path, type: 'Forbidden', detail: `existing ephemeral containers "${o.name}" may not be removed\n` });
    else if (!deepEqual(now, o))
      errs.push({ path, type: 'Forbidden', detail: `existing ephemeral containers "${o.name}" may not be changed\n` });
  }
  return errs;
}
