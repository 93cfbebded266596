import { update } from '../reconcile/actions';
import type { Controller } from '../reconcile/controller';
import { BUILT_IN_SIGNERS, csrCondition } from '../api/kinds/certificatesigningrequest';
import { stableHex } from '../util/hash';

/**
 * The csrsigning controller: an approved request for one of the built-in signers gets its
 * certificate. kubesim has no cluster CA, so the certificate is simulated: a PEM block of
 * CERTIFICATE type whose body is derived from the request, not a parseable X.509 certificate.
 */
export const csrSigningController: Controller<'CertificateSigningRequest'> = {
  name: 'csrsigning',
  kind: 'CertificateSigningRequest',
  reconcile(csr) {
    if (csr.status?.certificate || !csrCondition(csr, 'Approved') || csrCondition(csr, 'Denied') || csrCondition(csr, 'Failed')) return [];
    if (!BUILT_IN_SIGNERS.includes(csr.spec.signerName)) return [];
    const body = Buffer.from(stableHex(`${csr.metadata.uid}/${csr.spec.request}`, 96), 'hex').toString('base64');
    const pem = `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
    return [update({ ...csr, status: { ...csr.status, certificate: Buffer.from(pem).toString('base64') } })];
  },
};
