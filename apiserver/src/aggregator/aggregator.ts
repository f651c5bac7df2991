// The aggregation layer in front of the server's own handlers: which paths belong to an
// APIService backed by a Service (kube-aggregator apiserver.go AddAPIService: /apis/G/V and all
// under it), the proxy to them, and the aggregated groups for the discovery documents
// (handler_apis.go apisHandler / apiGroupHandler, discovery merged into /apis).
import https from 'node:https';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Obj } from '../objects.js';
import type { DurableStore } from '../store/durable-store.js';
import type { UserInfo } from '../auth/user-info.js';
import { availableCondition } from '../builtins/index.js';
import type { FrontProxyCertificates } from './front-proxy-certificates.js';
import { APISERVICES_BUCKET, ResolveError, resolveEndpoint, serviceRefOf } from './service-resolver.js';
import { backendTls, proxyError, proxyRequest, proxyUpgrade, type ProxyTarget } from './proxy-handler.js';
import type { RemoteDiscovery } from './remote-discovery.js';

export interface AggregatedGroup {
  group: string;
  /** versions by priority, highest first */
  versions: string[];
}

interface Spec { group?: string; version?: string; groupPriorityMinimum?: number; versionPriority?: number }

export class Aggregator {
  /** one keep-alive agent per backend address and TLS identity */
  readonly #agents = new Map<string, https.Agent>();

  constructor(
    private readonly store: DurableStore,
    private readonly pki: FrontProxyCertificates,
    readonly discovery: RemoteDiscovery,
    private readonly log: (m: string) => void,
  ) {}

  /** the remote APIService owning this path, if any */
  apiServiceFor(pathname: string): Obj | undefined {
    const parts = pathname.split('/').filter(Boolean);
    if (parts[0] !== 'apis' || parts.length < 3) return undefined;
    const a = this.store.get(APISERVICES_BUCKET, `${parts[2]}.${parts[1]}`);
    return a && serviceRefOf(a) ? a : undefined;
  }

  /** proxyHandler.ServeHTTP; `upgrade` carries the hijacked connection of an Upgrade request */
  serve(req: IncomingMessage, res: ServerResponse, url: URL, apiService: Obj, user: UserInfo, timeoutMs: number | undefined, upgrade?: { socket: Duplex; head: Buffer }): void {
    const ref = serviceRefOf(apiService)!;
    if (availableCondition(apiService)?.['status'] !== 'True') {
      req.resume();
      return proxyError(res, 'service unavailable', 503);
    }
    let endpoint;
    try {
      endpoint = resolveEndpoint(this.store, ref);
    } catch (e) {
      if (!(e instanceof ResolveError)) throw e;
      this.log(`error resolving ${ref.namespace}/${ref.name}: ${e.message}`);
      req.resume();
      return proxyError(res, 'service unavailable', 503);
    }
    const parts = url.pathname.split('/').filter(Boolean);
    const tlsOptions = backendTls(apiService, ref, this.pki);
    const key = createHash('sha256').update(JSON.stringify([endpoint, tlsOptions.servername, tlsOptions.ca ?? '', tlsOptions.rejectUnauthorized])).digest('hex');
    let agent = this.#agents.get(key);
    if (!agent) {
      agent = new https.Agent({ keepAlive: true, maxFreeSockets: 16 });
      this.#agents.set(key, agent);
    }
    const target: ProxyTarget = { endpoint, tls: tlsOptions, agent, user, discovery: parts.length === 3, timeoutMs };
    if (upgrade) proxyUpgrade(req, res, upgrade.socket, upgrade.head, url, target);
    else proxyRequest(req, res, url, target);
  }

  /** drops the kept-alive backend connections */
  close(): void {
    for (const a of this.#agents.values()) a.destroy();
    this.#agents.clear();
  }

  /** groups of remote APIServices, by group priority then name (apisHandler's order) */
  groups(): AggregatedGroup[] {
    const byGroup = new Map<string, Array<{ version: string; gp: number; vp: number }>>();
    for (const a of this.store.list(APISERVICES_BUCKET)) {
      if (!serviceRefOf(a)) continue;
      const s = (a['spec'] ?? {}) as Spec;
      const list = byGroup.get(s.group ?? '') ?? [];
      list.push({ version: s.version ?? '', gp: s.groupPriorityMinimum ?? 0, vp: s.versionPriority ?? 0 });
      byGroup.set(s.group ?? '', list);
    }
    return [...byGroup.entries()]
      .map(([group, vs]) => ({ group, gp: Math.max(...vs.map((v) => v.gp)), versions: vs.sort((a, b) => b.vp - a.vp || (a.version < b.version ? -1 : 1)).map((v) => v.version) }))
      .sort((a, b) => b.gp - a.gp || (a.group < b.group ? -1 : 1))
      .map(({ group, versions }) => ({ group, versions }));
  }

  /** the aggregated discovery items (apidiscovery v2) of the remote groups */
  aggregatedItems(): Obj[] {
    return this.groups().map((g) => ({
      metadata: { name: g.group, creationTimestamp: null },
      versions: g.versions.map((v) => {
        const known = this.discovery.get(g.group, v);
        return { version: v, resources: known?.resources ?? [], freshness: known && !known.stale ? 'Current' : 'Stale' };
      }),
    }));
  }
}
