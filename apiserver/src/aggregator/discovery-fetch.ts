// fetchFreshDiscoveryForService (staging/src/k8s.io/kube-aggregator/pkg/apiserver/handler_discovery.go):
// GET /apis of the Service asking for aggregated discovery (v2, then v2beta1) with the cached ETag;
// 304 keeps the cache, 200 with an aggregated content type replaces it, any other answer falls back
// to the APIResourceList of /apis/G/V (not cached: it covers one group version only). Sent as the
// proxy sends it (the caBundle, the front-proxy certificate, the aggregator's identity headers),
// within 5 seconds.
import https from 'node:https';
import type tls from 'node:tls';
import type { Obj } from '../objects.js';
import { REQUEST_HEADERS } from './authentication-configmap.js';
import { aggregatedResources, type CachedServiceDiscovery } from './remote-discovery.js';

const FETCH_TIMEOUT_MS = 5000;
const ACCEPT_AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,'
  + 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

export class DiscoveryFetchError extends Error {
  readonly code = 'AGGREGATOR_ERR_DISCOVERY';
}

interface Answer { status: number; contentType: string; etag: string; body: string }

function get(endpoint: { host: string; port: number }, path: string, tlsOptions: tls.ConnectionOptions, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.get({
      host: endpoint.host, port: endpoint.port, path, agent: false, ...tlsOptions,
      headers: { ...headers, [REQUEST_HEADERS.username]: 'system:kube-aggregator', [REQUEST_HEADERS.group]: 'system:masters' },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({
        status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), etag: String(res.headers.etag ?? ''),
        body: Buffer.concat(chunks).toString('utf8'),
      }));
      res.on('error', reject);
    });
    req.setTimeout(FETCH_TIMEOUT_MS, () => req.destroy(new DiscoveryFetchError('request timed out')));
    req.on('error', reject);
  });
}

/** discovery.ContentTypeIsGVK for apidiscovery.k8s.io v2 or v2beta1 APIGroupDiscoveryList */
function isAggregatedContentType(contentType: string): boolean {
  const [type, ...params] = contentType.split(';').map((p) => p.trim());
  if (type !== 'application/json') return false;
  const p = new Map(params.map((kv) => kv.split('=').map((x) => x.trim()) as [string, string]));
  return p.get('g') === 'apidiscovery.k8s.io' && p.get('as') === 'APIGroupDiscoveryList' && (p.get('v') === 'v2' || p.get('v') === 'v2beta1');
}

/** a nil responseKind becomes {} (kubernetes#118361), as the discovery manager does */
function withResponseKinds(resources: Obj[]): Obj[] {
  return resources.map((r) => ({
    ...r, responseKind: r['responseKind'] ?? {},
    ...(Array.isArray(r['subresources']) ? { subresources: (r['subresources'] as Obj[]).map((s) => ({ ...s, responseKind: s['responseKind'] ?? {} })) } : {}),
  }));
}

export interface FetchedDiscovery {
  /** the resources of the asked group version */
  resources: Obj[];
  /** what to cache for the Service, when the answer was aggregated */
  cache?: CachedServiceDiscovery;
}

export async function fetchDiscovery(
  endpoint: { host: string; port: number }, tlsOptions: tls.ConnectionOptions, group: string, version: string, cached: CachedServiceDiscovery | undefined,
): Promise<FetchedDiscovery> {
  const answer = await get(endpoint, '/apis', tlsOptions, { Accept: ACCEPT_AGGREGATED, ...(cached?.etag ? { 'If-None-Match': cached.etag } : {}) });
  if (answer.status === 304 && cached) return { resources: cached.versions.get(`${group}/${version}`) ?? [], cache: cached };
  if (answer.status === 200 && isAggregatedContentType(answer.contentType)) {
    let list: { items?: Array<{ metadata?: { name?: string }; versions?: Array<{ version?: string; resources?: Obj[] }> }> };
    try {
      list = JSON.parse(answer.body) as typeof list;
    } catch (e) {
      throw new DiscoveryFetchError(`the aggregated discovery of /apis is not JSON: ${(e as Error).message}`);
    }
    const versions = new Map<string, Obj[]>();
    for (const g of list.items ?? []) {
      for (const v of g.versions ?? []) versions.set(`${g.metadata?.name ?? ''}/${v.version ?? ''}`, withResponseKinds(v.resources ?? []));
    }
    const cache = { etag: answer.etag, versions };
    return { resources: versions.get(`${group}/${version}`) ?? [], cache };
  }
  const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  const legacy = await get(endpoint, path, tlsOptions, { Accept: 'application/json' });
  if (legacy.status !== 200) throw new DiscoveryFetchError(`failed to download legacy discovery for ${path}: ${legacy.status} ${legacy.body.trim()}`);
  let list: { resources?: unknown };
  try {
    list = JSON.parse(legacy.body) as typeof list;
  } catch (e) {
    throw new DiscoveryFetchError(`the APIResourceList of ${path} is not JSON: ${(e as Error).message}`);
  }
  const resources = Array.isArray(list.resources) ? list.resources as Array<Record<string, unknown>> : [];
  return { resources: aggregatedResources({ group, version, resources }) };
}
