// The agent's one HTTPS port: the attach stream (WebSocket upgrade at /attach/NAMESPACE/NAME),
// /metrics, /healthz and /readyz. A refused upgrade gets a real HTTP status before any attach.
// connection-guard.ts limits what one client can take of the port.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { TLSSocket } from 'node:tls';
import { parseAgentAttachPath } from '../../../common/src/containerattach/paths.js';
import { offeredProtocols, sessionTokenOf } from '../../../common/src/containerattach/session-token.js';
import { supportedProtocols } from '../../../common/src/stream/channels.js';
import type { AttachSession } from '../attach/session.js';
import type { SessionRegistry } from '../attach/session-registry.js';
import type { TlsMaterial } from '../../../common/src/tls/self-signed-certificate.js';
import { bridge, type BridgeOptions } from './ws-bridge.js';
import { ConnectionGuard, type RefusalReason } from './connection-guard.js';
import type { StreamLimits } from './stream-limits.js';

/** Browsers cannot set headers on a WebSocket, so Kubernetes also takes the bearer token as a
 *  subprotocol: base64url.bearer.authorization.k8s.io.<base64url token>. */
const bearerProtocolPrefix = 'base64url.bearer.authorization.k8s.io.';

/** Who may stream: anyone with the session token, or only the attach API (its relay client
 *  certificate, signed by `clientCaPem`, proves it; the session token is still required). */
interface RelayTrust {
  clientCaPem?: string;
  requireAttachApi: boolean;
}

const clientAuthOid = '1.3.6.1.5.5.7.3.2';

interface AgentServerDeps {
  tls: TlsMaterial;
  relay: RelayTrust;
  sessions: SessionRegistry;
  metrics(): Promise<{ contentType: string; body: string }>;
  ready(): boolean;
  /** Makes the start durable (status Running) before the helper runs; rejects to refuse. */
  beforeStart(session: AttachSession): Promise<void>;
  bridgeOptions: BridgeOptions;
  limits: StreamLimits;
  /** counts a refused connection or stream request */
  refused(reason: RefusalReason): void;
  log(message: string, fields?: Record<string, unknown>): void;
}

function bearerToken(req: IncomingMessage): string | undefined {
  const carried = sessionTokenOf(req.headers);
  if (carried) return carried;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  const encoded = offeredProtocols(req.headers).find((p) => p.startsWith(bearerProtocolPrefix));
  if (!encoded) return undefined;
  return Buffer.from(encoded.slice(bearerProtocolPrefix.length), 'base64url').toString('utf8');
}

/** Like ws's abortHandshake: a complete HTTP response on the raw socket, then close it. */
function refuseUpgrade(socket: Duplex, code: number, reason: string, message: string): void {
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
  socket.end(
    `HTTP/1.1 ${code} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

export class AgentServer {
  readonly #server: Server;
  readonly #wss: WebSocketServer;
  readonly #deps: AgentServerDeps;
  readonly #guard: ConnectionGuard;

  constructor(deps: AgentServerDeps) {
    this.#deps = deps;
    this.#guard = new ConnectionGuard(deps.limits, { counted: deps.refused, log: deps.log });
    this.#wss = new WebSocketServer({
      noServer: true,
      handleProtocols: (offered) => supportedProtocols.find((p) => offered.has(p)) ?? false,
      // A client may send stdin in large messages (the plugin forwards what it reads, up to MiBs);
      // backpressure keeps at most this much of it in memory at once.
      maxPayload: 8 << 20,
    });
    const timeoutMs = deps.limits.preUpgradeTimeoutSeconds * 1000;
    this.#server = createServer({
      key: deps.tls.key,
      cert: deps.tls.cert,
      handshakeTimeout: timeoutMs,
      // NB: for the requests after the first on a kept-alive connection; checked every second.
      headersTimeout: timeoutMs,
      connectionsCheckingInterval: 1000,
      // Asked for, never required: the plugin's direct stream and the metrics scraper have none.
      ...(deps.relay.clientCaPem ? { ca: deps.relay.clientCaPem, requestCert: true, rejectUnauthorized: false } : {}),
    }, (req, res) => void this.#http(req, res));
    this.#server.on('connection', (socket: Socket) => this.#guard.accept(socket));
    this.#server.on('upgrade', (req, socket, head) => void this.#upgrade(req, socket, head));
  }

  async listen(host: string, port: number): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => resolve());
    });
    return this.#server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    this.#guard.close();
    for (const client of this.#wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #fromAttachApi(req: IncomingMessage): boolean {
    const socket = req.socket as TLSSocket;
    if (!this.#deps.relay.clientCaPem || !socket.authorized) return false;
    return (socket.getPeerCertificate().ext_key_usage ?? []).includes(clientAuthOid);
  }

  async #http(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.#guard.headersReceived(req.socket);
    const pathname = new URL(req.url ?? '/', 'https://agent').pathname;
    if (req.method !== 'GET') {
      res.writeHead(405, { Allow: 'GET' }).end();
      return;
    }
    if (pathname === '/healthz' || pathname === '/livez') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    } else if (pathname === '/readyz') {
      const ready = this.#deps.ready();
      res.writeHead(ready ? 200 : 503, { 'Content-Type': 'text/plain' }).end(ready ? 'ok' : 'informers not synced');
    } else if (pathname === '/metrics') {
      const { contentType, body } = await this.#deps.metrics();
      res.writeHead(200, { 'Content-Type': contentType }).end(body);
    } else if (parseAgentAttachPath(req.url)) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('the attach endpoint needs a WebSocket upgrade');
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  }

  /** Refuses a stream request; one that named no waiting attach or a wrong token counts towards
   *  the source's failed attempts. */
  #refuse(req: IncomingMessage, socket: Duplex, code: number, reason: RefusalReason, message: string): void {
    const source = req.socket.remoteAddress ?? '?';
    this.#guard.refused(reason, source);
    if (reason !== 'BadRequest') this.#guard.failedAttempt(source);
    refuseUpgrade(socket, code, reason, message);
  }

  async #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => undefined); // NB: a client that resets mid-handshake needs no answer.
    this.#guard.headersReceived(req.socket);
    const source = req.socket.remoteAddress ?? '?';
    if (this.#guard.rateLimited(source)) {
      this.#guard.refused('RateLimited', source);
      return refuseUpgrade(socket, 429, 'TooManyRequests', 'too many failed attempts from this address; try again in a minute');
    }
    const target = parseAgentAttachPath(req.url);
    if (!target) return this.#refuse(req, socket, 404, 'NotFound', 'no such endpoint');
    if (this.#deps.relay.requireAttachApi && !this.#fromAttachApi(req)) {
      this.#deps.log('Refused a direct stream: this agent takes streams only through the attach API', target);
      return this.#refuse(req, socket, 403, 'Forbidden',
        'this agent accepts streams only through the attach API (kubectl lxc-attach --via=apiserver): requireAttachApi is set');
    }
    const token = bearerToken(req);
    if (!token) return this.#refuse(req, socket, 401, 'Unauthorized', 'a session token is required');
    // Whether an attach exists or waits is told only to whoever holds its token: every other caller
    // gets the same 401.
    const session = this.#deps.sessions.find(target.namespace, target.name);
    if (!session?.tokenMatches(token)) {
      return this.#refuse(req, socket, 401, 'Unauthorized', 'the session token does not match a waiting ContainerAttach');
    }
    if (session.state === 'finished') {
      return this.#refuse(req, socket, 404, 'NotFound', `no attach of ${target.namespace}/${target.name} is waiting on this node`);
    }
    if (!offeredProtocols(req.headers).some((p) => (supportedProtocols as readonly string[]).includes(p))) {
      return this.#refuse(req, socket, 400, 'BadRequest', `no supported subprotocol; this agent speaks ${supportedProtocols.join(', ')}`);
    }
    if (!session.takeClientSlot()) {
      return this.#refuse(req, socket, 409, 'Conflict', 'the session token was already used');
    }
    try {
      await this.#deps.beforeStart(session);
    } catch (err) {
      this.#deps.log('Failed to record the start of an attach', { ...target, err: (err as Error).message });
      session.end('StatusWriteFailed', `could not record the start: ${(err as Error).message}`);
      return refuseUpgrade(socket, 503, 'ServiceUnavailable', 'the agent could not record the start of the attach; try again');
    }
    if (socket.destroyed) {
      session.end('ClientDisconnected', 'the client went away before the session started');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      bridge(session, ws, ws.protocol, this.#deps.bridgeOptions);
    });
  }
}
