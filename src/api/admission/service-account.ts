import { createHash } from 'node:crypto';
import { registerAdmissionPlugin } from '../admission';
import { forbidden } from './forbidden';
import { DEFAULT_SERVICE_ACCOUNT } from '../kinds/serviceaccount';
import { isKind, type Pod } from '../../model/kinds';
import type { Container } from '../../model/k8s';
import { boundedMemo } from '../../util/memo';

/** plugin/pkg/admission/serviceaccount: where the token volume is mounted, and its name's prefix */
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
export const SERVICE_ACCOUNT_VOLUME_PREFIX = 'kube-api-access-';
/** serviceaccount.WarnOnlyBoundTokenExpirationSeconds: the API server extends it to a year, warning after this */
const TOKEN_EXPIRATION_SECONDS = 3607;
/** names.SimpleNameGenerator's alphabet */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The volume's 5-character suffix. The plugin draws it at random per pod; here it comes from the
 * pod's controller (or, for a pod of its own, the pod's uid, set before admission): the same on
 * every run, no draw from the cluster's PRNG (which would shift every name made after it), and
 * the replicas of one controller keep equal specs, which the state file stores once.
 */
function volumeSuffix(pod: Pod): string {
  const owner = pod.metadata.ownerReferences?.find((r) => r.controller)?.uid;
  return suffixOf(owner ?? pod.metadata.uid ?? pod.metadata.name);
}

/** (a digest per controller, not per pod: a 150,000-pod apply hashed 150,000 times for 1,500 ReplicaSets) */
const suffixOf = boundedMemo((seed: string): string => {
  const digest = createHash('sha256').update(`kube-api-access ${seed}`).digest();
  let out = '';
  for (let i = 0; i < 5; i++) out += ALPHABET[digest[i] % ALPHABET.length];
  return out;
});

/**
 * TokenVolumeSource: the token, the cluster's CA and the namespace, as a v1.32 API server writes
 * them. One object per name, shared by the pods that mount it (stored objects are never edited
 * in place; the replicas of a controller then store one spec without comparing copies).
 */
const tokenVolume = boundedMemo((name: string) => ({
  name,
  projected: {
    defaultMode: 0o644,
    sources: [
      { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  },
}));

/** The read-only mount of the volume at the service account path (one per name, shared as the volume is). */
const tokenMount = boundedMemo((name: string) => ({ name, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH }));

/**
 * mountServiceAccountToken: every init and app container that has nothing mounted at the
 * service account path gets the kube-api-access volume there, read-only; the volume is added
 * once (or an existing kube-api-access-* one is reused) when some container took the mount.
 */
function mountServiceAccountToken(pod: Pod): void {
  const spec = pod.spec;
  const existing = (spec.volumes ?? []).find((v) => v.name.startsWith(SERVICE_ACCOUNT_VOLUME_PREFIX));
  const name = existing?.name ?? SERVICE_ACCOUNT_VOLUME_PREFIX + volumeSuffix(pod);
  let needsVolume = false;
  const mount = (c: Container) => {
    if ((c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH)) return;
    c.volumeMounts = [...(c.volumeMounts ?? []), tokenMount(name)];
    needsVolume = true;
  };
  // init containers first, as the plugin walks them (no list of both made per pod)
  for (const c of spec.initContainers ?? []) mount(c);
  for (const c of spec.containers ?? []) mount(c);
  if (!existing && needsVolume) spec.volumes = [...(spec.volumes ?? []), tokenVolume(name)];
}

/**
 * ServiceAccount (plugin/pkg/admission/serviceaccount): a pod runs as its namespace's `default`
 * account unless it names one, and a named account must exist. The default one is let through
 * before the service account controller has made it, as the plugin waits for it to appear.
 * Unless the pod (first) or its account turns automountServiceAccountToken off, the pod gets the
 * projected kube-api-access volume mounted in every container (mirror pods are left alone).
 */
registerAdmissionPlugin({
  name: 'ServiceAccount',
  admit(ctx, info, obj, old) {
    if (!isKind(obj, 'Pod') || old) return;
    const spec = obj.spec;
    // the deprecated spec.serviceAccount is read when the name is missing, and mirrors it after
    const name = spec.serviceAccountName || spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
    spec.serviceAccountName = name;
    spec.serviceAccount = name;
    const ns = obj.metadata.namespace ?? 'default';
    const account = ctx.store.get('ServiceAccount', ns, name);
    if (name !== DEFAULT_SERVICE_ACCOUNT && !account) {
      throw forbidden(info, obj, `error looking up service account ${ns}/${name}: serviceaccount "${name}" not found`, 'mutating');
    }
    if (obj.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) return;
    // shouldAutomount: the pod's preference wins, then the account's, else true
    const automount =
      spec.automountServiceAccountToken ??
      (account && isKind(account, 'ServiceAccount') ? account.automountServiceAccountToken : undefined) ??
      true;
    if (automount) mountServiceAccountToken(obj);
  },
  // the account's name and mount, from the spec, the account and the controller's uid (the volume's suffix)
  templatePods: { reads: ['ServiceAccount'], same: () => true },
});
