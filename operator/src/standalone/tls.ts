// The server's self-signed certificate, made once with the system's openssl and kept in the data
// directory (Node can sign but not build X.509 certificates).
import { execFile } from 'node:child_process';
import { readFile, rename, rm, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class TlsError extends Error {
  readonly code = 'STANDALONE_ERR_TLS';
}

export interface TlsMaterial { key: string; cert: string }

async function readPair(dir: string): Promise<TlsMaterial | undefined> {
  try {
    return { key: await readFile(path.join(dir, 'tls.key'), 'utf8'), cert: await readFile(path.join(dir, 'tls.crt'), 'utf8') };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** tls.key / tls.crt in dir: an EC P-256 certificate for 127.0.0.1 and localhost, valid 10 years. */
export async function ensureCertificate(dir: string): Promise<TlsMaterial> {
  const existing = await readPair(dir);
  if (existing) return existing;
  const tmp = await mkdtemp(path.join(dir, '.tls-'));
  try {
    await run('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', path.join(tmp, 'tls.key'), '-out', path.join(tmp, 'tls.crt'), '-days', '3650',
      '-subj', '/CN=lxc-attach-standalone',
      '-addext', 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost',
      '-addext', 'keyUsage=critical,digitalSignature,keyCertSign',
      '-addext', 'extendedKeyUsage=serverAuth',
    ], { timeout: 30_000 });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new TlsError(missing ? 'openssl not found: install it (Debian: apt-get install openssl) to create the server certificate'
      : `openssl could not create the server certificate: ${(e as Error).message}`, { cause: e });
  }
  // The certificate goes in last: its presence means the pair is complete.
  await rename(path.join(tmp, 'tls.key'), path.join(dir, 'tls.key'));
  await rename(path.join(tmp, 'tls.crt'), path.join(dir, 'tls.crt'));
  await rm(tmp, { recursive: true, force: true });
  return (await readPair(dir))!;
}
