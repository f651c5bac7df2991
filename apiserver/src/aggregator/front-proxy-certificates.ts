// The front-proxy PKI of kube-apiserver's aggregation layer (--requestheader-client-ca-file and
// --proxy-client-cert-file/--proxy-client-key-file): a CA kept in the data directory and a client
// certificate it signs, CN front-proxy-client with the ClientAuth extended key usage, which the
// proxy presents to aggregated API servers. Made once (common/src/tls), reused after.
import { caFiles, ensureCertificateAuthority, ensureSignedCertificate } from '../../../common/src/tls/certificate-authority.js';

export const FRONT_PROXY_CLIENT_CN = 'front-proxy-client';

export interface FrontProxyCertificates {
  /** PEM of the requestheader CA (what aggregated servers trust) */
  caCert: string;
  /** the proxy's client certificate and key */
  clientCert: string;
  clientKey: string;
}

/** Loads DIR/front-proxy-{ca,client}.{crt,key}, making them first when missing. */
export function ensureFrontProxyCertificates(dir: string): FrontProxyCertificates {
  const ca = ensureCertificateAuthority(dir, 'front-proxy-ca', 'front-proxy-ca');
  const client = ensureSignedCertificate(dir, 'front-proxy-client', caFiles(dir, 'front-proxy-ca'), {
    commonName: FRONT_PROXY_CLIENT_CN,
    usage: 'clientAuth',
  });
  return { caCert: ca.cert, clientCert: client.cert, clientKey: client.key };
}
