// The agent's certificate, trusted by the SHA-256 fingerprint its ContainerAttach status publishes:
// read once from the agent (and checked before anything, the session token above all, is sent),
// then kept in ~/.kube/cache/lxc-attach/ by fingerprint, as kubectl keeps discovery there, so later
// attaches to the same agent need one TLS handshake instead of two.
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';

class PinError extends Error {
  readonly code = 'PLUGIN_ERR_PIN';
}

function cacheFile(env: NodeJS.ProcessEnv, fingerprint: string): string {
  return path.join(env.HOME ?? homedir(), '.kube', 'cache', 'lxc-attach', `${fingerprint.replaceAll(':', '').toLowerCase()}.pem`);
}

function fromCache(file: string, fingerprint: string): string | undefined {
  try {
    const pem = readFileSync(file, 'utf8');
    // A cache entry is only a hint: it must still be the certificate with that fingerprint.
    return new X509Certificate(pem).fingerprint256 === fingerprint ? pem : undefined;
  } catch {
    return undefined; // NB: no cache yet, or an unreadable one: fetch the certificate instead.
  }
}

function toCache(file: string, pem: string): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, pem, { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    // NB: a cache that cannot be written (read-only HOME) only costs a handshake next time.
  }
}

async function fetchCertificate(endpoint: URL, fingerprint: string): Promise<string> {
  const cert = await new Promise<PeerCertificate>((resolve, reject) => {
    const socket = tlsConnect({
      host: endpoint.hostname.replace(/^\[|\]$/g, ''),
      port: Number(endpoint.port || 443),
      rejectUnauthorized: false,
      servername: /^[0-9.]+$|:/.test(endpoint.hostname) ? undefined : endpoint.hostname,
    }, () => {
      resolve(socket.getPeerCertificate());
      socket.end();
    });
    socket.on('error', (err) => reject(new PinError(`cannot reach the agent at ${endpoint.host}: ${err.message}`, { cause: err })));
  });
  if (cert.fingerprint256 !== fingerprint) {
    throw new PinError(`the agent at ${endpoint.host} presented a certificate whose fingerprint is not the one in status.tlsFingerprint`);
  }
  return new X509Certificate(cert.raw).toString();
}

/** PEM of the agent certificate with `fingerprint` (uppercase hex pairs joined by ':'). */
export async function pinnedCertificate(endpoint: URL, fingerprint: string, env: NodeJS.ProcessEnv): Promise<string> {
  const file = cacheFile(env, fingerprint);
  const cached = fromCache(file, fingerprint);
  if (cached) return cached;
  const pem = await fetchCertificate(endpoint, fingerprint);
  toCache(file, pem);
  return pem;
}
