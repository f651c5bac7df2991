// `kubectl lxc-attach --web`'s local proxy: what `kubectl proxy` does for the terminal page, and
// no more. It listens on 127.0.0.1 only, forwards with the kubeconfig's TLS and credentials, and
// passes on only the paths the page uses in one namespace (its files, the namespace's
// ContainerAttach objects, their attach subresource), so a local program gets no wider door into
// the cluster than the page itself. A request whose Host or Origin is not this proxy (DNS
// rebinding, a WebSocket opened by another site) is refused: browsers let any page open one.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { containerAttachPath, subresourceGroupVersion, terminalResource } from '../../common/src/containerattach/paths.js';
import { plural } from '../../common/src/containerattach/types.js';
import type { RequestSigner } from '../../common/src/kube/client.js';

const hopByHop = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host',
  'authorization', 'cookie', 'origin', 'referer']);

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The paths the page of `namespace` uses, and nothing else. */
function allowedPaths(namespace: string): RegExp {
  const ns = escape(encodeURIComponent(namespace));
  const objects = escape(containerAttachPath(namespace));
  const sub = escape(`/apis/${subresourceGroupVersion}/namespaces/`) + ns;
  return new RegExp(`^(?:${objects}(?:/[a-z0-9.-]+)?|${sub}/${terminalResource}(?:/[A-Za-z0-9._-]*)?|${sub}/${plural}/[a-z0-9.-]+/attach)$`);
}

export class WebProxy {
  readonly #signer: RequestSigner;
  readonly #allowed: RegExp;
  readonly #server: Server;
  readonly #sockets = new Set<Duplex>();
  #origin = '';

  constructor(signer: RequestSigner, namespace: string) {
    this.#signer = signer;
    this.#allowed = allowedPaths(namespace);
    this.#server = createServer((req, res) => void this.#forward(req, res));
    this.#server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.#forward(req, undefined, socket, head));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve());
    });
    this.#origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.#origin;
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #refusal(req: IncomingMessage): [number, string] | undefined {
    if (req.headers.host !== this.#origin.slice('http://'.length)) return [403, `this proxy answers only as ${this.#origin}`];
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== this.#origin) return [403, `requests from ${origin} are refused: only the terminal page at ${this.#origin} may use this proxy`];
    const pathname = new URL(req.url ?? '/', this.#origin).pathname;
    if (!this.#allowed.test(pathname)) return [403, `this proxy serves the terminal page and its ContainerAttach calls only, not ${pathname}`];
    return undefined;
  }

  async #forward(req: IncomingMessage, res: ServerResponse | undefined, socket?: Duplex, head?: Buffer): Promise<void> {
    const refused = this.#refusal(req);
    if (refused) {
      const [code, message] = refused;
      if (res) res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${message}\n`);
      else socket!.end(`HTTP/1.1 ${code} Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
      return;
    }
    const server = new URL(this.#signer.getCurrentCluster()!.server);
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !hopByHop.has(name)) headers[name] = value;
    }
    if (socket) Object.assign(headers, { connection: 'Upgrade', upgrade: req.headers.upgrade ?? 'websocket' });
    const options: RequestOptions & { headers: Record<string, string | string[]> } = {
      method: req.method, host: server.hostname, port: server.port || undefined,
      path: server.pathname.replace(/\/$/, '') + (req.url ?? '/'), headers,
    };
    try {
      await this.#signer.applyToHTTPSOptions(options);
    } catch (err) {
      const message = `cannot use the kubeconfig's credentials: ${(err as Error).message}`;
      if (res) res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`${message}\n`);
      else socket!.destroy();
      return;
    }
    const upstream = (server.protocol === 'http:' ? httpRequest : httpsRequest)(options);
    upstream.on('error', (err) => {
      if (res && !res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`the API server did not answer: ${err.message}\n`);
      else (res ?? socket)!.destroy();
    });
    if (res) {
      upstream.on('response', (answer) => {
        const out: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && name !== 'connection' && name !== 'transfer-encoding') out[name] = value;
        res.writeHead(answer.statusCode ?? 502, out);
        answer.pipe(res);
      });
      req.pipe(upstream);
      return;
    }
    upstream.on('upgrade', (answer, upSocket, upHead) => this.#splice(socket!, head!, answer, upSocket, upHead));
    upstream.on('response', (answer) => {
      // A refused upgrade reaches the page as it came (a browser's WebSocket reports only the failure).
      const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`, 'Connection: close'];
      for (let i = 0; i < answer.rawHeaders.length; i += 2) {
        if (!['connection', 'transfer-encoding'].includes(answer.rawHeaders[i]!.toLowerCase())) lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
      }
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        socket!.end(Buffer.concat([Buffer.from(`${lines.filter((l) => !/^content-length:/i.test(l)).join('\r\n')}\r\nContent-Length: ${body.length}\r\n\r\n`), body]));
      });
    });
    upstream.end();
  }

  #splice(client: Duplex, clientHead: Buffer, answer: IncomingMessage, upstream: Duplex, upstreamHead: Buffer): void {
    const lines = [`HTTP/1.1 101 ${answer.statusMessage ?? 'Switching Protocols'}`];
    for (let i = 0; i < answer.rawHeaders.length; i += 2) lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
    client.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (upstreamHead.length) client.write(upstreamHead);
    if (clientHead.length) upstream.write(clientHead);
    this.#sockets.add(client);
    this.#sockets.add(upstream);
    const end = (): void => {
      this.#sockets.delete(client);
      this.#sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    for (const s of [client, upstream]) {
      s.on('error', end);
      s.on('close', end);
    }
    upstream.pipe(client);
    client.pipe(upstream);
  }
}
