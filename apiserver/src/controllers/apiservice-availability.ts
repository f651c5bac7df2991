// kube-aggregator's remote AvailableConditionController
// (staging/src/k8s.io/kube-aggregator/pkg/controllers/status/remote/remote_available_controller.go):
// an APIService backed by a Service is Available when the Service exists, has the port, has a
// ready endpoint, and GET /apis/G/V answers 2xx to the aggregator's identity (system:kube-aggregator
// in system:masters, the front-proxy certificate, TLS not verified, 5 tries in parallel, 6 s each).
// Local APIServices (no service) are always available. Endpoints are read from EndpointSlices.
import https from 'node:https';
import type { ObjectOps } from '../object-ops.js';
import type { Registry } from '../resource-registry.js';
import type { Change } from '../store/durable-store.js';
import type { Obj } from '../objects.js';
import { deepEqual, peekMeta } from '../objects.js';
import { WorkQueue } from '../../../common/src/queue/work-queue.js';
import { retryEverySecond } from './controller-queue.js';
import { APISERVICES_BUCKET, ResolveError, authority, readyEndpoints, resolveEndpoint, serviceRefOf, type ServiceRef } from '../aggregator/service-resolver.js';
import { fetchDiscovery } from '../aggregator/discovery-fetch.js';
import type { FrontProxyCertificates } from '../aggregator/front-proxy-certificates.js';
import { backendTls, goDialError } from '../aggregator/proxy-handler.js';
import type { RemoteDiscovery } from '../aggregator/remote-discovery.js';
import { REQUEST_HEADERS } from '../aggregator/authentication-configmap.js';

const ATTEMPTS = 5;
const ATTEMPT_TIMEOUT_MS = 6000;
/** every APIService is checked again this often (a backend may stop without any object changing) */
const RECHECK_MS = 30_000;

interface Condition { type: string; status: string; lastTransitionTime?: string; reason: string; message: string }

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/** one GET of the discovery document; resolves to the body, rejects with kube's wording */
function probe(url: string, pki: FrontProxyCertificates, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, {
      rejectUnauthorized: false, cert: pki.clientCert, key: pki.clientKey, agent: false,
      headers: { [REQUEST_HEADERS.username]: 'system:kube-aggregator', [REQUEST_HEADERS.group]: 'system:masters' },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const code = res.statusCode ?? 0;
        if (code < 200 || code >= 300) reject(new Error(`failing or missing response from ${url}: bad status from ${url}: ${code}`));
        else resolve(Buffer.concat(chunks).toString('utf8'));
      });
      res.on('error', (e) => reject(new Error(`failing or missing response from ${url}: ${e.message}`)));
    });
    const timer = setTimeout(() => { req.destroy(); reject(new Error(`timed out waiting for ${url}`)); }, ATTEMPT_TIMEOUT_MS);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (e: NodeJS.ErrnoException) => reject(new Error(`failing or missing response from ${url}: Get ${JSON.stringify(url)}: ${goDialError(e, target)}`)));
  });
}

export class ApiServiceAvailability {
  readonly queue: WorkQueue;
  #timer?: NodeJS.Timeout;

  constructor(
    private readonly ops: ObjectOps,
    private readonly registry: Registry,
    private readonly pki: FrontProxyCertificates,
    private readonly discovery: RemoteDiscovery,
    private readonly log: (m: string) => void,
  ) {
    this.queue = new WorkQueue((k) => this.#sync(k), retryEverySecond(log));
  }

  start(): void {
    this.checkAll();
    this.#timer = setInterval(() => this.checkAll(), RECHECK_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.queue.shutdown();
  }

  /** queues every APIService for a check now */
  checkAll(): void {
    for (const a of this.ops.store.list(APISERVICES_BUCKET)) this.queue.add(peekMeta(a).name!);
  }

  onCommit(changes: Change[]): void {
    for (const c of changes) {
      if (c.bucket === APISERVICES_BUCKET) {
        // a status write of ours changes nothing a check looks at
        if (c.obj && c.prev && deepEqual(c.obj['spec'], c.prev['spec'])) continue;
        this.queue.add(c.key);
      } else if (c.bucket === 'core/services' || c.bucket === 'discovery.k8s.io/endpointslices') {
        const ns = peekMeta(c.obj ?? c.prev ?? {}).namespace;
        for (const a of this.ops.store.list(APISERVICES_BUCKET)) if (serviceRefOf(a)?.namespace === ns) this.queue.add(peekMeta(a).name!);
      }
    }
  }

  async #check(apiService: Obj): Promise<Omit<Condition, 'type' | 'lastTransitionTime'>> {
    const ref = serviceRefOf(apiService);
    if (!ref) return { status: 'True', reason: 'Local', message: 'Local APIServices are always available' };
    const spec = apiService['spec'] as { group?: string; version?: string };
    let endpoints;
    try {
      endpoints = readyEndpoints(this.ops.store, ref);
    } catch (e) {
      if (e instanceof ResolveError) return { status: 'False', reason: e.reason, message: e.message };
      throw e;
    }
    const attempts = Array.from({ length: ATTEMPTS }, () => {
      const e = endpoints[Math.floor(Math.random() * endpoints.length)]!;
      const target = authority(e);
      return probe(`https://${target}/apis/${spec.group ?? ''}/${spec.version ?? ''}`, this.pki, target);
    });
    try {
      await Promise.any(attempts);
    } catch (e) {
      const errors = (e as AggregateError).errors as Error[];
      this.discovery.markStale(spec.group ?? '', spec.version ?? '');
      return { status: 'False', reason: 'FailedDiscoveryCheck', message: errors[errors.length - 1]!.message };
    }
    await this.#refreshDiscovery(apiService, ref, spec.group ?? '', spec.version ?? '');
    return { status: 'True', reason: 'Passed', message: 'all checks passed' };
  }

  /** the discovery manager's sync of one APIService (handler_discovery.go syncAPIService) */
  async #refreshDiscovery(apiService: Obj, ref: ServiceRef, group: string, version: string): Promise<void> {
    const service = `${ref.namespace}/${ref.name}:${ref.port}`;
    try {
      const fetched = await fetchDiscovery(resolveEndpoint(this.ops.store, ref), backendTls(apiService, ref, this.pki), group, version, this.discovery.serviceCache(service));
      if (fetched.cache) this.discovery.setServiceCache(service, fetched.cache);
      this.discovery.set(group, version, fetched.resources);
    } catch (e) {
      this.log(`DiscoveryManager: failed to download discovery for ${service}: ${(e as Error).message}`);
      this.discovery.markStale(group, version);
    }
  }

  async #sync(name: string): Promise<void> {
    const a = this.ops.store.get(APISERVICES_BUCKET, name);
    if (!a) return;
    const verdict = await this.#check(a);
    const fresh = this.ops.store.get(APISERVICES_BUCKET, name);
    if (!fresh || !deepEqual(fresh['spec'], a['spec'])) { this.queue.add(name); return; }
    const status = (fresh['status'] ?? {}) as { conditions?: Condition[] };
    const conditions = [...(status.conditions ?? [])];
    const i = conditions.findIndex((c) => c.type === 'Available');
    const old = i >= 0 ? conditions[i] : undefined;
    const next: Condition = {
      type: 'Available', status: verdict.status,
      lastTransitionTime: old && old.status === verdict.status && old.lastTransitionTime ? old.lastTransitionTime : now(),
      reason: verdict.reason, message: verdict.message,
    };
    if (old && deepEqual(old, next)) return;
    if (i >= 0) conditions[i] = next; else conditions.push(next);
    const t = this.registry.lookup('apiregistration.k8s.io', 'v1', 'apiservices')!;
    await this.ops.systemUpdate(t, { ...structuredClone(fresh), status: { ...status, conditions } }, 'status');
  }
}
