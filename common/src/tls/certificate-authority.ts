// A small certificate authority kept in a data directory and certificates signed by it, made with
// the system's openssl as self-signed-certificate.ts does. Used where a peer must prove it holds a
// key from one issuer: the attach API's client certificate towards the agents, its serving
// certificate behind the APIService caBundle, and the test doubles of kube-aggregator.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, renameSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { CertificateError, certificateFingerprint, type TlsMaterial } from './self-signed-certificate.js';

interface CertificateRequest {
  commonName: string;
  /** subjectAltName entries, e.g. ["DNS:lxc-attach-api.lxc-attach.svc", "IP:127.0.0.1"] */
  altNames?: string[];
  usage: 'serverAuth' | 'clientAuth';
}

function openssl(args: string[], what: string, cleanup: string[]): void {
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    for (const f of cleanup) rmSync(f, { force: true });
    throw new CertificateError(`cannot make ${what} with openssl`, { cause: err });
  }
}

function commit(tmpKey: string, keyFile: string, tmpCert: string, certFile: string): void {
  chmodSync(tmpKey, 0o600);
  // The key first: a certificate without its key would be reused on the next start.
  renameSync(tmpKey, keyFile);
  renameSync(tmpCert, certFile);
}

function load(certFile: string, keyFile: string): TlsMaterial {
  const cert = readFileSync(certFile, 'utf8');
  return { cert, key: readFileSync(keyFile, 'utf8'), fingerprint: certificateFingerprint(cert) };
}

/** DIR/<name>.crt and .key: a CA certificate, made first if needed. */
export function ensureCertificateAuthority(dir: string, name: string, commonName: string): TlsMaterial {
  const certFile = path.join(dir, `${name}.crt`);
  const keyFile = path.join(dir, `${name}.key`);
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmpCert = `${certFile}.tmp`;
    const tmpKey = `${keyFile}.tmp`;
    openssl([
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '3650',
      '-subj', `/CN=${commonName}`, '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-keyout', tmpKey, '-out', tmpCert,
    ], `the CA ${name} in ${dir}`, [tmpCert, tmpKey]);
    commit(tmpKey, keyFile, tmpCert, certFile);
  }
  return load(certFile, keyFile);
}

/** DIR/<name>.crt and .key signed by `ca` (files of ensureCertificateAuthority), made first if needed. */
export function ensureSignedCertificate(dir: string, name: string, ca: { certFile: string; keyFile: string }, req: CertificateRequest): TlsMaterial {
  const certFile = path.join(dir, `${name}.crt`);
  const keyFile = path.join(dir, `${name}.key`);
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmpCert = `${certFile}.tmp`;
    const tmpKey = `${keyFile}.tmp`;
    const tmpCsr = `${certFile}.csr.tmp`;
    const tmpExt = `${certFile}.ext.tmp`;
    const ext = [`extendedKeyUsage=${req.usage}`, 'keyUsage=critical,digitalSignature,keyEncipherment', 'basicConstraints=critical,CA:FALSE'];
    if (req.altNames?.length) ext.push(`subjectAltName=${req.altNames.join(',')}`);
    writeFileSync(tmpExt, `${ext.join('\n')}\n`);
    const all = [tmpCert, tmpKey, tmpCsr, tmpExt];
    openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${req.commonName}`,
      '-keyout', tmpKey, '-out', tmpCsr], `a key for ${name}`, all);
    openssl(['x509', '-req', '-in', tmpCsr, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial', '-days', '3650',
      '-extfile', tmpExt, '-out', tmpCert], `the certificate ${name}`, all);
    rmSync(tmpCsr, { force: true });
    rmSync(tmpExt, { force: true });
    commit(tmpKey, keyFile, tmpCert, certFile);
  }
  return load(certFile, keyFile);
}

/** The file names ensureCertificateAuthority(dir, name) keeps. */
export function caFiles(dir: string, name: string): { certFile: string; keyFile: string } {
  return { certFile: path.join(dir, `${name}.crt`), keyFile: path.join(dir, `${name}.key`) };
}
