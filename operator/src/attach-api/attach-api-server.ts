// lxc-attach-agent attach-api: the server of the aggregated group subresources.lxcattach.io. It
// serves discovery to anyone (kube-aggregator's availability check), and the attach subresource
// only to kube-apiserver's front proxy: the caller is authenticated from the requestheader
// certificate and headers, authorized with a SubjectAccessReview for `create`, and its WebSocket
// upgrade is replayed to the agent named by the object's status, then spliced byte for byte.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  containerAttachPath, parseSubresourceAttachPath, parseTerminalPagePath, sessionTokenHeader, sessionTokenProtocolPrefix, terminalResource,
} from '../../../common/src/containerattach/paths.js';
import { offeredProtocols, sessionTokenOf } from '../../../common/src/containerattach/session-token.js';
import type { ContainerAttach } from '../../../common/src/containerattach/types.js';
import { KubeApiError, type KubeClient } from '../../../common/src/kube/client.js';
import { supportedProtocols } from '../../../common/src/stream/channels.js';
import { dialAgent, type RelayCredential } from './agent-dial.js';
import type { RequestHeaderSource } from './auth-config-source.js';
import {
  aggregatedContentType, apiGroup, apiGroupDiscoveryList, apiResourceList, groupVersion, wantsAggregatedDiscovery,
} from './attach-api-discovery.js';
import { AuthenticationError, authenticate, type UserInfo } from './requestheader-auth.js';
import { refuseUpgrade, respondStatus } from './status-response.js';
import { serveTerminalFile } from './terminal-page.js';
import { forbiddenMessage, mayCreateAttach, subresourceGroup } from './subject-access-review.js';

interface AttachApiServerOptions {
  /** serving certificate (the APIService caBundle must verify it) */
  tls: { cert: string; key: string };
  /** the attach API's own credential: reads ContainerAttach objects and creates SubjectAccessReviews */
  client: KubeClient;
  requestHeaders: RequestHeaderSource;
  /** presented to the agents (their requireAttachApi setting accepts only this issuer) */
  relayCredential?: RelayCredential;
  log(message: string, fields?: Record<string, unknown>): void;
}

type Refusal = { code: number; message: string };

class Refused extends Error {
  readonly code = 'ATTACHAPI_ERR_REFUSED';
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function json(res: ServerResponse, body: object): void {
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

export class AttachApiServer {
  readonly #o: AttachApiServerOptions;
  readonly #server: Server;
  readonly #relays = new Set<Duplex>();

  constructor(o: AttachApiServerOptions) {
    this.#o = o;
    const config = o.requestHeaders.current();
    this.#server = createServer({
      cert: o.tls.cert,
      key: o.tls.key,
      // A client certificate is asked for, not required: discovery and health are open, and a
      // missing or foreign certificate gets a Status saying so instead of a failed handshake.
      requestCert: true,
      rejectUnauthorized: false,
      ...(config instanceof Error ? {} : { ca: config.caPem }),
    }, (req, res) => this.#http(req, res));
    this.#server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.#upgrade(req, socket, head));
  }

  /** The requestheader CA changed: new connections verify against the new one. */
  setClientCa(caPem: string): void {
    this.#server.setSecureContext({ cert: this.#o.tls.cert, key: this.#o.tls.key, ca: caPem });
  }

  async listen(host: string, port: number): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => resolve());
    });
    return this.#server.address() as AddressInfo;
  }

  get activeRelays(): number {
    return this.#relays.size;
  }

  async close(): Promise<void> {
    for (const s of this.#relays) s.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #user(req: IncomingMessage): UserInfo {
    const config = this.#o.requestHeaders.current();
    if (config instanceof Error) throw new Refused(401, `cannot authenticate the front proxy: ${config.message}`);
    try {
      return authenticate(req, config);
    } catch (err) {
      if (err instanceof AuthenticationError) throw new Refused(401, err.message);
      throw err;
    }
  }

  #http(req: IncomingMessage, res: ServerResponse): void {
    const pathname = new URL(req.url ?? '/', 'https://attach-api').pathname.replace(/\/$/, '');
    if (pathname === '/healthz' || pathname === '/livez') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    }
    if (pathname === '/readyz') {
      // Not ready while it cannot tell the front proxy from anyone else.
      const config = this.#o.requestHeaders.current();
      res.writeHead(config instanceof Error ? 503 : 200, { 'Content-Type': 'text/plain' }).end(config instanceof Error ? config.message : 'ok');
      return;
    }
    if (req.method !== 'GET') {
      respondStatus(res, 405, `the method ${req.method} is not allowed here`);
      return;
    }
    if (pathname === `/apis/${groupVersion}`) return json(res, apiResourceList());
    if (pathname === `/apis/${subresourceGroup}`) return json(res, apiGroup());
    if (pathname === '/apis') return this.#apis(req, res);
    const page = parseTerminalPagePath(req.url);
    const target = parseSubresourceAttachPath(req.url);
    if (!page && !target) {
      respondStatus(res, 404, 'the server could not find the requested resource');
      return;
    }
    let user: UserInfo;
    try {
      user = this.#user(req);
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      respondStatus(res, err.status, err.message);
      return;
    }
    if (page) {
      // kube-apiserver checked `get terminal` on this namespace (or `list` for the bare path).
      if (page.file === '') res.writeHead(302, { Location: `${terminalResource}/index.html` }).end();
      else if (!serveTerminalFile(res, page.file)) respondStatus(res, 404, `the terminal page has no file "${page.file}"`);
      return;
    }
    // A browser learns nothing of why its WebSocket was refused; the page asks again with a plain
    // GET, and gets the attach API's own review as the upgrade would have.
    void mayCreateAttach(this.#o.client, user, target!).then((decision) => {
      if (!decision.allowed) respondStatus(res, 403, forbiddenMessage(user, target!, decision.reason));
      else respondStatus(res, 400, 'the attach subresource needs a WebSocket upgrade (v5.channel.k8s.io or v4.channel.k8s.io)');
    }, (err: Error) => respondStatus(res, 500, `cannot check authorization: ${err.message}`));
  }

  /** /apis: the aggregated discovery when asked for (with its ETag), else the APIGroupList */
  #apis(req: IncomingMessage, res: ServerResponse): void {
    const version = wantsAggregatedDiscovery(req.headers.accept);
    if (!version) return json(res, { kind: 'APIGroupList', apiVersion: 'v1', groups: [apiGroup()] });
    const text = JSON.stringify(apiGroupDiscoveryList(version));
    const etag = `"${createHash('sha512').update(text).digest('hex').toUpperCase()}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { ETag: etag }).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': aggregatedContentType(version), ETag: etag, Vary: 'Accept' }).end(text);
  }

  async #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => undefined); // NB: a client that resets mid-handshake needs no answer.
    const target = parseSubresourceAttachPath(req.url);
    if (!target) return refuseUpgrade(socket, 404, 'the server could not find the requested resource');
    let refusal: Refusal | undefined;
    try {
      await this.#relay(req, socket, head, target);
    } catch (err) {
      refusal = err instanceof Refused ? { code: err.status, message: err.message } : { code: 500, message: (err as Error).message };
      if (!(err instanceof Refused)) this.#o.log('Attach relay failed', { ...target, err: (err as Error).message });
    }
    if (refusal) refuseUpgrade(socket, refusal.code, refusal.message);
  }

  async #relay(req: IncomingMessage, client: Duplex, clientHead: Buffer, target: { namespace: string; name: string }): Promise<void> {
    const user = this.#user(req);
    if (!offeredProtocols(req.headers).some((p) => (supportedProtocols as readonly string[]).includes(p))) {
      throw new Refused(400, `no supported subprotocol; the attach API speaks ${supportedProtocols.join(', ')}`);
    }
    if (!sessionTokenOf(req.headers)) {
      throw new Refused(401, `a session token is required (header ${sessionTokenHeader} or subprotocol ${sessionTokenProtocolPrefix}<base64url>)`);
    }
    const decision = await mayCreateAttach(this.#o.client, user, target).catch((err: Error) => {
      throw new Refused(500, `cannot check authorization: ${err.message}`);
    });
    if (!decision.allowed) throw new Refused(403, forbiddenMessage(user, target, decision.reason));

    let obj: ContainerAttach;
    try {
      obj = await this.#o.client.request<ContainerAttach>('GET', containerAttachPath(target.namespace, target.name));
    } catch (err) {
      if (err instanceof KubeApiError && err.statusCode === 404) {
        throw new Refused(404, `containerattaches.lxcattach.io "${target.name}" not found`);
      }
      throw new Refused(500, `cannot read containerattach ${target.namespace}/${target.name}: ${(err as Error).message}`);
    }
    const s = obj.status ?? {};
    if (!s.endpoint || !s.tlsFingerprint) {
      throw new Refused(400, `containerattach ${target.namespace}/${target.name} names no agent endpoint in its status ` +
        `(phase ${s.phase ?? 'Pending'}): no agent has taken it for a client`);
    }
    if (client.destroyed) return;
    let answer;
    try {
      answer = await dialAgent(s.endpoint, s.tlsFingerprint, this.#o.relayCredential, req);
    } catch (err) {
      throw new Refused(503, `${(err as Error).message} (node ${s.nodeName ?? 'unknown'})`);
    }
    if (answer.kind === 'refused') {
      // The agent's own refusal, as it sent it: the plugin shows the same message on both paths.
      const { res, body } = answer;
      const type = res.headers['content-type'] ?? 'text/plain';
      client.write(`HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\nConnection: close\r\nContent-Type: ${type}\r\n` +
        `X-Lxcattach-Refused-By: agent\r\nContent-Length: ${body.length}\r\n\r\n`);
      client.end(body);
      return;
    }
    this.#splice(client, clientHead, answer.res, answer.socket, answer.head, target, user);
  }

  #splice(client: Duplex, clientHead: Buffer, res: IncomingMessage, agent: Duplex, agentHead: Buffer, target: object, user: UserInfo): void {
    const lines = [`HTTP/1.1 101 ${res.statusMessage ?? 'Switching Protocols'}`];
    for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
    client.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (agentHead.length) client.write(agentHead);
    if (clientHead.length) agent.write(clientHead);
    (client as Socket).setNoDelay?.(true);
    (agent as Socket).setNoDelay?.(true);
    this.#relays.add(client);
    this.#relays.add(agent);
    // Either side ending ends both: a vanished agent closes the client's stream (which then has
    // no exit status: an error, never 0), a vanished client hangs the agent's session up.
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      this.#relays.delete(client);
      this.#relays.delete(agent);
      client.destroy();
      agent.destroy();
      this.#o.log('Attach relay ended', { ...target, user: user.username });
    };
    agent.on('error', finish);
    client.on('error', finish);
    agent.on('close', finish);
    client.on('close', finish);
    agent.pipe(client);
    client.pipe(agent);
    // NB: a client that left while the agent was being dialled has already emitted 'close'.
    if (client.destroyed || agent.destroyed) finish();
  }
}
