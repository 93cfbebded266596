import { orEmpty } from '../../model/objects';
import { CLUSTER_ADMIN } from '../../model/cluster-admin';
import type { FieldError } from '../../util/errors';
import type { KObject } from '../../model/objects';
import type { CertificateSigningRequestCondition, CertificateSigningRequestStatus } from '../../model/k8s';
import { humanDuration } from '../../util/duration';
import { registerKind } from './register';
import { ageColumn, nameColumn, validateMeta, zeroValue } from './common';

/** Who kubesim's command line acts as (a kubeadm/kind v1.29+ cluster's kubectl user): a CSR's requestor. */
export const CLI_USER = CLUSTER_ADMIN;

/** The signers kube-controller-manager's csrsigning controller issues for (pkg/controller/certificates/signer). */
export const BUILT_IN_SIGNERS = [
  'kubernetes.io/kube-apiserver-client',
  'kubernetes.io/kube-apiserver-client-kubelet',
  'kubernetes.io/kubelet-serving',
  'kubernetes.io/legacy-unknown',
];

export function csrCondition(
  csr: KObject<unknown, CertificateSigningRequestStatus>,
  type: string,
): CertificateSigningRequestCondition | undefined {
  return (csr.status?.conditions ?? []).find((c) => c.type === type);
}

/** extractCSRStatus: Denied or Approved or Pending, then ,Failed and ,Issued. */
export function csrStatus(csr: KObject<unknown, CertificateSigningRequestStatus>): string {
  let status = csrCondition(csr, 'Denied') ? 'Denied' : csrCondition(csr, 'Approved') ? 'Approved' : 'Pending';
  if (csrCondition(csr, 'Failed')) status += ',Failed';
  if (csr.status?.certificate) status += ',Issued';
  return status;
}

const SIGNER_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)\/[^/]+$/;
const CSR_PEM = /-----BEGIN CERTIFICATE REQUEST-----[\s\S]+-----END CERTIFICATE REQUEST-----/;

/**
 * CertificateSigningRequest (certificates.k8s.io/v1). The requestor is the user who created it
 * (the strategy's PrepareForCreate); `kubesim certificate approve|deny` add the conditions, and
 * the signing controller (src/controllers/csr-signing.ts) issues a simulated certificate.
 */
registerKind('CertificateSigningRequest', {
  columns: [
    nameColumn,
    ageColumn,
    { header: 'SIGNERNAME', value: (o) => o.spec?.signerName || '<none>' },
    { header: 'REQUESTOR', value: (o) => o.spec?.username ?? '' },
    {
      header: 'REQUESTEDDURATION',
      value: (o) => (typeof o.spec?.expirationSeconds === 'number' ? humanDuration(o.spec.expirationSeconds * 1000) : '<none>'),
    },
    { header: 'CONDITION', value: csrStatus },
  ],
  defaults(obj) {
    obj.spec ??= zeroValue();
    // csrStrategy.PrepareForCreate: the requestor's identity, never the client's say
    if (!obj.metadata.resourceVersion && !obj.status?.conditions) {
      obj.spec.username = CLI_USER.name;
      obj.spec.groups = [...CLI_USER.groups];
      delete obj.spec.uid;
      delete obj.spec.extra;
    }
    obj.status ??= {};
  },
  validate(obj) {
    const errs: FieldError[] = validateMeta(obj);
    const spec = orEmpty(obj.spec);
    if (!spec.request) errs.push({ path: 'spec.request', type: 'Required value' });
    else if (!CSR_PEM.test(Buffer.from(String(spec.request), 'base64').toString('latin1')))
      errs.push({
        path: 'spec.request',
        type: 'Invalid value',
        goValue: '[]byte{...}',
        detail: 'PEM block type must be CERTIFICATE REQUEST',
      });
    if (!spec.signerName) errs.push({ path: 'spec.signerName', type: 'Required value' });
    else if (!SIGNER_NAME.test(spec.signerName))
      errs.push({
        path: 'spec.signerName',
        type: 'Invalid value',
        value: spec.signerName,
        detail: "must be a fully qualified domain and path of the form 'example.com/signer-name'",
      });
    if (!(spec.usages ?? []).length) errs.push({ path: 'spec.usages', type: 'Required value' });
    if (typeof spec.expirationSeconds === 'number' && spec.expirationSeconds < 600)
      errs.push({
        path: 'spec.expirationSeconds',
        type: 'Invalid value',
        value: spec.expirationSeconds,
        detail: 'may not specify a duration less than 600 seconds (10 minutes)',
      });
    // validateConditions: the second of Approved and Denied is the one refused
    const seen = new Set<string>();
    (obj.status?.conditions ?? []).forEach((c, i) => {
      const other = c.type === 'Approved' ? 'Denied' : c.type === 'Denied' ? 'Approved' : undefined;
      if (other && seen.has(other))
        errs.push({
          path: `status.conditions[${i}].type`,
          type: 'Invalid value',
          value: c.type,
          detail: 'Approved and Denied conditions are mutually exclusive',
        });
      seen.add(c.type);
    });
    return errs;
  },
  specFields: ['spec'],
});
