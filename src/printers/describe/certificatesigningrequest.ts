import type { CertificateSigningRequest } from '../../model/kinds';
import { registerDescriber, DescribeError, DescribeWriter, type DescribeContext } from '../describe';
import { csrStatus } from '../../api/kinds/certificatesigningrequest';
import { CertificateRequestError, parseCertificateRequest } from '../../api/certificate-request';
import { humanDuration } from '../../util/duration';
import { formatLabelMap, rfc1123z, writeEvents } from './format';

/**
 * kubectl's describeCertificateSigningRequest: the request's metadata on one line each (labels and
 * annotations as labels.FormatLabels prints them), its status, then what the PEM request says:
 * the subject and the subject alternative names. A request that does not parse is an error.
 */
export function describeCertificateSigningRequest(csr: CertificateSigningRequest, ctx: DescribeContext): string {
  let request;
  try {
    request = parseCertificateRequest(Buffer.from(String(csr.spec?.request ?? ''), 'base64').toString('latin1'));
  } catch (e) {
    if (e instanceof CertificateRequestError) throw new DescribeError(`Error parsing CSR: ${e.message}`);
    throw e;
  }
  const w = new DescribeWriter();
  // printListHelper: `\tTitle:\tfirst` and each further value on a `\t\tvalue` line
  const list = (title: string, values: string[]) => {
    if (values.length) w.write(0, `\t${title}:\t${values.join('\n\t\t')}\n`);
  };
  w.line(0, 'Name:', csr.metadata.name);
  w.line(0, 'Labels:', formatLabelMap(csr.metadata.labels));
  w.line(0, 'Annotations:', formatLabelMap(csr.metadata.annotations));
  w.line(0, 'CreationTimestamp:', rfc1123z(csr.metadata.creationTimestamp));
  w.line(0, 'Requesting User:', String(csr.spec?.username ?? ''));
  if (csr.spec?.signerName) w.line(0, 'Signer:', String(csr.spec.signerName));
  if (typeof csr.spec?.expirationSeconds === 'number') w.line(0, 'Requested Duration:', humanDuration(csr.spec.expirationSeconds * 1000));
  w.line(0, 'Status:', csrStatus(csr));
  const { subject } = request;
  w.write(0, 'Subject:\n');
  w.write(0, `\tCommon Name:\t${subject.commonName}\n`);
  w.write(0, `\tSerial Number:\t${subject.serialNumber}\n`);
  list('Organization', subject.organization);
  list('Organizational Unit', subject.organizationalUnit);
  list('Country', subject.country);
  list('Locality', subject.locality);
  list('Province', subject.province);
  list('StreetAddress', subject.streetAddress);
  list('PostalCode', subject.postalCode);
  if (request.dnsNames.length + request.emailAddresses.length + request.ipAddresses.length + request.uris.length) {
    w.write(0, 'Subject Alternative Names:\n');
    list('DNS Names', request.dnsNames);
    list('Email Addresses', request.emailAddresses);
    list('URIs', request.uris);
    list('IP Addresses', request.ipAddresses);
  }
  writeEvents(w, ctx.events(csr), ctx.now);
  return w.toString();
}

registerDescriber('CertificateSigningRequest', () => describeCertificateSigningRequest);
