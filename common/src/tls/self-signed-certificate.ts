// A self-signed certificate kept in a data directory: made on first start with the system's
// openssl (Node can make keys but not X.509 certificates), reused afterwards so that the
// fingerprint clients pin stays the same across restarts.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

/** Making or reading the certificate failed (openssl missing, directory not writable). */
export class CertificateError extends Error {
  readonly code = 'TLS_ERR_CERTIFICATE';
}

export interface TlsMaterial {
  key: string;
  cert: string;
  /** SHA-256 of the DER certificate, upper-case hex pairs joined by ':' (as openssl prints it) */
  fingerprint: string;
}

export function certificateFingerprint(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

/** Loads DIR/<name>.crt and .key, making them first if needed. `altNames` go into the
 *  subjectAltName (e.g. ["IP:127.0.0.1", "DNS:localhost"]). */
export function ensureSelfSignedCertificate(dir: string, name: string, commonName: string, altNames: string[]): TlsMaterial {
  const certFile = path.join(dir, `${name}.crt`);
  const keyFile = path.join(dir, `${name}.key`);
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmpCert = `${certFile}.tmp`;
    const tmpKey = `${keyFile}.tmp`;
    try {
      execFileSync('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-days', '3650', '-subj', `/CN=${commonName}`,
        '-addext', `subjectAltName=${altNames.join(',')}`,
        '-keyout', tmpKey, '-out', tmpCert,
      ], { stdio: ['ignore', 'ignore', 'pipe'] });
      chmodSync(tmpKey, 0o600);
      // The key first: a certificate without its key would be reused on the next start.
      renameSync(tmpKey, keyFile);
      renameSync(tmpCert, certFile);
    } catch (err) {
      rmSync(tmpCert, { force: true });
      rmSync(tmpKey, { force: true });
      throw new CertificateError(`cannot make a certificate in ${dir} with openssl`, { cause: err });
    }
  }
  const cert = readFileSync(certFile, 'utf8');
  const key = readFileSync(keyFile, 'utf8');
  return { cert, key, fingerprint: certificateFingerprint(cert) };
}
