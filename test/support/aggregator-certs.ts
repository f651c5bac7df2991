// Certificates for tests that play kube-aggregator against the attach API (there is no
// kube-apiserver here): a front-proxy CA and its client certificate, a foreign CA, a serving CA for
// the attach API, and the relay CA whose client certificate the agents accept.
import path from 'node:path';
import { caFiles, ensureCertificateAuthority, ensureSignedCertificate } from '../../common/src/tls/certificate-authority.js';
import type { TlsMaterial } from '../../common/src/tls/self-signed-certificate.js';
import { tempDir } from './processes.js';

export interface AggregatorCerts {
  dir: string;
  frontProxyCa: TlsMaterial;
  frontProxyClient: TlsMaterial;
  /** signed by the front-proxy CA but for servers only (no ClientAuth) */
  frontProxyServerOnly: TlsMaterial;
  /** signed by the front-proxy CA with a CN outside the allowed names */
  otherName: TlsMaterial;
  /** the right CN from a CA nobody trusts */
  foreignClient: TlsMaterial;
  servingCa: TlsMaterial;
  serving: TlsMaterial;
  relayCa: TlsMaterial;
  relayCaFile: string;
  relayClient: TlsMaterial;
}

export function makeAggregatorCerts(): AggregatorCerts {
  const dir = tempDir('aggregator-certs');
  const frontProxyCa = ensureCertificateAuthority(dir, 'front-proxy-ca', 'front-proxy-ca');
  const fp = caFiles(dir, 'front-proxy-ca');
  const foreignCa = caFiles(dir, 'foreign-ca');
  ensureCertificateAuthority(dir, 'foreign-ca', 'front-proxy-ca');
  const servingCa = ensureCertificateAuthority(dir, 'serving-ca', 'lxc-attach-api-ca');
  const relayCa = ensureCertificateAuthority(dir, 'relay-ca', 'lxc-attach-relay-ca');
  return {
    dir,
    frontProxyCa,
    frontProxyClient: ensureSignedCertificate(dir, 'front-proxy-client', fp, { commonName: 'front-proxy-client', usage: 'clientAuth' }),
    frontProxyServerOnly: ensureSignedCertificate(dir, 'front-proxy-server', fp, { commonName: 'front-proxy-client', usage: 'serverAuth' }),
    otherName: ensureSignedCertificate(dir, 'front-proxy-other', fp, { commonName: 'mallory', usage: 'clientAuth' }),
    foreignClient: ensureSignedCertificate(dir, 'foreign-client', foreignCa, { commonName: 'front-proxy-client', usage: 'clientAuth' }),
    servingCa,
    serving: ensureSignedCertificate(dir, 'serving', caFiles(dir, 'serving-ca'), {
      commonName: 'lxc-attach-api', usage: 'serverAuth', altNames: ['IP:127.0.0.1', 'DNS:lxc-attach-api.lxc-attach.svc'],
    }),
    relayCa,
    relayCaFile: path.join(dir, 'relay-ca.crt'),
    relayClient: ensureSignedCertificate(dir, 'relay-client', caFiles(dir, 'relay-ca'), { commonName: 'lxc-attach-api', usage: 'clientAuth' }),
  };
}

/** The ConfigMap data kube-apiserver publishes for these certificates (A10 of the aggregation checklist). */
export function authConfigMapData(certs: AggregatorCerts): Record<string, string> {
  return {
    'client-ca-file': certs.frontProxyCa.cert,
    'requestheader-client-ca-file': certs.frontProxyCa.cert,
    'requestheader-allowed-names': '["front-proxy-client"]',
    'requestheader-username-headers': '["X-Remote-User"]',
    'requestheader-uid-headers': '["X-Remote-Uid"]',
    'requestheader-group-headers': '["X-Remote-Group"]',
    'requestheader-extra-headers-prefix': '["X-Remote-Extra-"]',
  };
}
