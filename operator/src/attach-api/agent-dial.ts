// The attach API's leg to the node agent: a TLS connection to status.endpoint whose certificate
// must have status.tlsFingerprint (checked before a byte of the request, the session token above
// all, is sent), presenting the relay client certificate, then the client's WebSocket upgrade
// request replayed. The agent's answer is handed back as it came: a 101 with its socket (the
// stream is then spliced byte for byte, KubeVirt's dial-then-splice), or a refusal.
import { request, type IncomingMessage } from 'node:http';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';

export interface RelayCredential {
  cert: string;
  key: string;
}

type AgentAnswer =
  | { kind: 'upgraded'; res: IncomingMessage; socket: Duplex; head: Buffer }
  | { kind: 'refused'; res: IncomingMessage; body: Buffer };

class AgentDialError extends Error {
  readonly code = 'ATTACHAPI_ERR_AGENT_DIAL';
}

/** Headers of the client's upgrade that the agent needs; nothing of the caller's identity. */
const forwarded = ['upgrade', 'connection', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-protocol', 'sec-websocket-extensions', 'x-lxcattach-session-token'];

async function pinnedConnection(url: URL, fingerprint: string, credential: RelayCredential | undefined, timeoutMs: number): Promise<TLSSocket> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const socket = tlsConnect({
    host,
    port: Number(url.port || 443),
    // Trust is the pinned fingerprint, not a CA (the agent's certificate is self-signed).
    rejectUnauthorized: false,
    servername: /^[0-9.]+$|:/.test(host) ? undefined : host,
    ...(credential ? { cert: credential.cert, key: credential.key } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => socket.destroy(new Error(`no TLS handshake within ${timeoutMs / 1000}s`)), timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(new AgentDialError(`cannot reach the agent at ${url.host}: ${err.message}`, { cause: err }));
    });
  });
  if (socket.getPeerCertificate().fingerprint256 !== fingerprint) {
    socket.destroy();
    throw new AgentDialError(`the agent at ${url.host} presented a certificate whose fingerprint is not the one in status.tlsFingerprint`);
  }
  return socket;
}

export async function dialAgent(
  endpoint: string, fingerprint: string, credential: RelayCredential | undefined, client: IncomingMessage, timeoutMs = 10_000,
): Promise<AgentAnswer> {
  const url = new URL(endpoint);
  const socket = await pinnedConnection(url, fingerprint, credential, timeoutMs);
  const headers: Record<string, string> = {};
  for (const name of forwarded) {
    const value = client.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return new Promise<AgentAnswer>((resolve, reject) => {
    const req = request({ method: 'GET', host: url.hostname, port: url.port, path: url.pathname + url.search, headers, createConnection: () => socket });
    // An agent that takes the connection but never answers the upgrade must not hold the client.
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs / 1000}s`)), timeoutMs);
    req.once('upgrade', (res, upgraded, head) => {
      clearTimeout(timer);
      resolve({ kind: 'upgraded', res, socket: upgraded, head });
    });
    req.once('response', (res) => {
      clearTimeout(timer);
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        socket.destroy();
        resolve({ kind: 'refused', res, body: Buffer.concat(chunks) });
      });
      res.on('error', (err) => reject(new AgentDialError(`the agent's answer broke off: ${err.message}`, { cause: err })));
    });
    req.once('error', (err) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new AgentDialError(`the agent at ${url.host} did not answer the upgrade: ${err.message}`, { cause: err }));
    });
    req.end();
  });
}
