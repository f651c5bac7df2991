// A small Kubernetes REST client on top of client-node's KubeConfig: JSON in and out, the content
// type chosen per call (merge patch for custom resources: they refuse strategic merge), and
// failures as KubeApiError carrying the server's Status.
import { request as httpsRequest } from 'node:https';
import { request as httpRequest, type RequestOptions } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';

export interface ApiStatus {
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

  constructor(method: string, path: string, statusCode: number, status: ApiStatus | undefined, options?: { cause?: unknown }) {
    super(`${method} ${path}: ${statusCode || 'unreachable'} ${status?.reason ?? ''} ${status?.message ?? ''}`.trim(), options);
    this.name = 'KubeApiError';
    this.statusCode = statusCode;
    this.status = status;
  }
}

export interface RequestOpts {
  body?: unknown;
  contentType?: string;
  query?: Record<string, string | undefined>;
  timeoutMs?: number;
}

export class KubeClient {
  readonly kc: KubeConfig;

  constructor(kc: KubeConfig) {
    this.kc = kc;
  }

  async request<T>(method: string, path: string, opts: RequestOpts = {}): Promise<T> {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new KubeApiError(method, path, 0, { message: 'the kubeconfig has no current cluster' });
    const url = new URL(cluster.server.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const body = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    const options: RequestOptions & { headers: Record<string, string> } = {
      method,
      headers: { Accept: 'application/json' },
      timeout: opts.timeoutMs ?? 30_000,
    };
    if (body) {
      options.headers['Content-Type'] = opts.contentType ?? 'application/json';
      options.headers['Content-Length'] = String(body.length);
    }
    await this.kc.applyToHTTPSOptions(options);
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const { statusCode, text } = await new Promise<{ statusCode: number; text: string }>((resolve, reject) => {
      const req = send(url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`timed out after ${options.timeout} ms`)));
      req.on('error', (err) => reject(new KubeApiError(method, path, 0, { message: err.message }, { cause: err })));
      req.end(body);
    });
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = { message: text.slice(0, 200) };
    }
    if (statusCode >= 400) throw new KubeApiError(method, path, statusCode, parsed as ApiStatus);
    return parsed as T;
  }
}

export function isConflict(err: unknown): boolean {
  return err instanceof KubeApiError && err.statusCode === 409;
}

export function isNotFound(err: unknown): boolean {
  return err instanceof KubeApiError && err.statusCode === 404;
}
