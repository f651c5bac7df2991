// A small Kubernetes REST client: JSON in and out, the content type chosen per call (merge patch
// for custom resources: they refuse strategic merge), watches as lines of events, and failures as
// KubeApiError carrying the server's Status. Requests are signed by a RequestSigner: callers pass a
// ResolvedKubeconfig (common/src/kube/kubeconfig.ts), from a kubeconfig file or in-cluster.
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { createInterface } from 'node:readline';

interface ApiStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
}

/** The API server answered with an error Status (or could not be reached: statusCode 0). */
export class KubeApiError extends Error {
  readonly code = 'KUBE_ERR_API';
  readonly statusCode: number;
  readonly status: ApiStatus | undefined;
  readonly method: string;

  constructor(method: string, path: string, statusCode: number, status: ApiStatus | undefined, options?: { cause?: unknown }) {
    super(`${method} ${path}: ${statusCode || 'unreachable'} ${status?.reason ?? ''} ${status?.message ?? ''}`.trim(), options);
    this.name = 'KubeApiError';
    this.method = method;
    this.statusCode = statusCode;
    this.status = status;
  }
}

interface RequestOpts {
  body?: unknown;
  contentType?: string;
  query?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** What signs requests: the shape of ResolvedKubeconfig (common/src/kube/kubeconfig.ts). */
export interface RequestSigner {
  getCurrentCluster(): { server: string } | null;
  applyToHTTPSOptions(opts: RequestOptions): Promise<void>;
}

interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return { message: text.slice(0, 200) };
  }
}

async function readBody(res: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return parseBody(Buffer.concat(chunks).toString('utf8'));
}

interface SendOpts {
  query?: Record<string, string | undefined>;
  body?: Buffer;
  contentType?: string;
  /** 0: none */
  timeoutMs: number;
  signal?: AbortSignal;
  /** on a connection of its own (see watchAgents) */
  watch?: boolean;
}

/** Watches get connections of their own: Node's global agents destroy a socket after 5 s
 *  without traffic (their keep-alive timeout), which would cut every quiet watch. */
const watchAgents = { 'https:': new HttpsAgent({ keepAlive: false }), 'http:': new HttpAgent({ keepAlive: false }) };

export class KubeClient {
  readonly signer: RequestSigner;
  readonly #userAgent: string;

  /** `userAgent` names the caller in the API server's audit log, as kubectl's does. */
  constructor(signer: RequestSigner, userAgent = 'lxc-attach-operator') {
    this.signer = signer;
    this.#userAgent = userAgent;
  }

  async request<T>(method: string, path: string, opts: RequestOpts = {}): Promise<T> {
    const body = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    const res = await this.#send(method, path, { query: opts.query, body, contentType: opts.contentType, timeoutMs: opts.timeoutMs ?? 30_000 });
    const parsed = await readBody(res);
    if ((res.statusCode ?? 0) >= 400) throw new KubeApiError(method, path, res.statusCode ?? 0, parsed as ApiStatus);
    return parsed as T;
  }

  /** Streams a watch; resolves when the server ends it (or `signal` aborts it). Rejects with a
   *  KubeApiError when the watch is refused. A long-lived watch gets a connection of its own; a
   *  short one (waiting for one change) may reuse a kept-alive connection, and be cut when quiet.
   *  `onOpen` is called once the server has accepted the watch. */
  async watch<T>(path: string, query: Record<string, string | undefined>, onEvent: (e: WatchEvent<T>) => void, signal?: AbortSignal, longLived = true,
    onOpen?: () => void): Promise<void> {
    const res = await this.#send('GET', path, { query: { ...query, watch: '1' }, timeoutMs: 0, signal, watch: longLived });
    if ((res.statusCode ?? 0) >= 400) {
      throw new KubeApiError('WATCH', path, res.statusCode ?? 0, (await readBody(res)) as ApiStatus);
    }
    onOpen?.();
    const lines = createInterface({ input: res });
    try {
      for await (const line of lines) {
        if (!line.trim()) continue;
        onEvent(JSON.parse(line) as WatchEvent<T>);
      }
    } catch (err) {
      if (!signal?.aborted) throw err;
    } finally {
      res.destroy();
    }
  }

  async #send(method: string, path: string, { query, body, contentType, timeoutMs, signal, watch = false }: SendOpts): Promise<IncomingMessage> {
    const cluster = this.signer.getCurrentCluster();
    if (!cluster) throw new KubeApiError(method, path, 0, { message: 'the kubeconfig has no current cluster' });
    const url = new URL(cluster.server.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const options: RequestOptions & { headers: Record<string, string> } = {
      method,
      headers: { Accept: 'application/json', 'User-Agent': this.#userAgent },
      signal,
    };
    if (timeoutMs > 0) options.timeout = timeoutMs;
    if (watch) options.agent = watchAgents[url.protocol as 'https:' | 'http:'];
    if (body) {
      options.headers['Content-Type'] = contentType ?? 'application/json';
      options.headers['Content-Length'] = String(body.length);
    }
    await this.signer.applyToHTTPSOptions(options);
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = send(url, options, resolve);
      req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
      req.on('error', (err) => reject(new KubeApiError(method, path, 0, { message: err.message }, { cause: err })));
      req.end(body);
    });
  }
}

export function isConflict(err: unknown): boolean {
  return err instanceof KubeApiError && err.statusCode === 409;
}

export function isNotFound(err: unknown): boolean {
  return err instanceof KubeApiError && err.statusCode === 404;
}
