// The front-proxy PKI of kube-apiserver's aggregation layer (--requestheader-client-ca-file and
// --proxy-client-cert-file/--proxy-client-key-file): a CA kept in the data directory and a client
// certificate it signs, CN front-proxy-client with the ClientAuth extended key usage, which the
// proxy presents to aggregated API servers. Made once with the system's openssl, reused after.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const FRONT_PROXY_CLIENT_CN = 'front-proxy-client';

export class FrontProxyCertificateError extends Error {
  readonly code = 'APISERVER_ERR_FRONT_PROXY_PKI';
}

export interface FrontProxyCertificates {
  /** PEM of the requestheader CA (what aggregated servers trust) */
  caCert: string;
  /** the proxy's client certificate and key */
  clientCert: string;
  clientKey: string;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Loads DIR/front-proxy-{ca,client}.{crt,key}, making them first when missing. */
export function ensureFrontProxyCertificates(dir: string): FrontProxyCertificates {
  const f = (name: string) => path.join(dir, name);
  const files = ['front-proxy-ca.crt', 'front-proxy-ca.key', 'front-proxy-client.crt', 'front-proxy-client.key'];
  if (!files.every((n) => existsSync(f(n)))) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = f('front-proxy.tmp');
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { mode: 0o700 });
    const t = (name: string) => path.join(tmp, name);
    try {
      openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '3650',
        '-subj', '/CN=front-proxy-ca', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
        '-keyout', t('front-proxy-ca.key'), '-out', t('front-proxy-ca.crt')]);
      openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${FRONT_PROXY_CLIENT_CN}`,
        '-keyout', t('front-proxy-client.key'), '-out', t('client.csr')]);
      writeFileSync(t('client.ext'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
      openssl(['x509', '-req', '-in', t('client.csr'), '-CA', t('front-proxy-ca.crt'), '-CAkey', t('front-proxy-ca.key'), '-CAcreateserial',
        '-days', '3650', '-extfile', t('client.ext'), '-out', t('front-proxy-client.crt')]);
      // keys first: a certificate without its key would be reused on the next start
      for (const n of ['front-proxy-ca.key', 'front-proxy-client.key', 'front-proxy-ca.crt', 'front-proxy-client.crt']) renameSync(t(n), f(n));
    } catch (err) {
      throw new FrontProxyCertificateError(`cannot make the front-proxy certificates in ${dir} with openssl`, { cause: err });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return {
    caCert: readFileSync(f('front-proxy-ca.crt'), 'utf8'),
    clientCert: readFileSync(f('front-proxy-client.crt'), 'utf8'),
    clientKey: readFileSync(f('front-proxy-client.key'), 'utf8'),
  };
}
