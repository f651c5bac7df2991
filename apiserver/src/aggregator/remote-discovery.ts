// What aggregated servers serve for discovery, kept for the merged documents: kube's discovery
// manager (staging/src/k8s.io/kube-aggregator/pkg/apiserver/handler_discovery.go) asks each
// Service for its aggregated /apis (apidiscovery v2), falling back to the APIResourceList of
// /apis/G/V, and keeps what it got per Service with its ETag. A group version whose last fetch
// failed keeps its last resources with freshness "Stale", as kube does.
import type { Obj } from '../objects.js';

export interface RemoteGroupVersion {
  group: string;
  version: string;
  /** APIResourceDiscovery entries (the aggregated form) */
  resources: Obj[];
  stale: boolean;
}

/** One Service's last aggregated answer: its ETag and each group version it listed. */
export interface CachedServiceDiscovery {
  etag: string;
  versions: Map<string, Obj[]>;
}

export class RemoteDiscovery {
  readonly #byGroupVersion = new Map<string, RemoteGroupVersion>();
  readonly #byService = new Map<string, CachedServiceDiscovery>();

  set(group: string, version: string, resources: Obj[]): void {
    this.#byGroupVersion.set(`${group}/${version}`, { group, version, resources, stale: false });
  }

  markStale(group: string, version: string): void {
    const previous = this.#byGroupVersion.get(`${group}/${version}`);
    this.#byGroupVersion.set(`${group}/${version}`, { group, version, resources: previous?.resources ?? [], stale: true });
  }

  forget(group: string, version: string): void {
    this.#byGroupVersion.delete(`${group}/${version}`);
  }

  get(group: string, version: string): RemoteGroupVersion | undefined {
    return this.#byGroupVersion.get(`${group}/${version}`);
  }

  serviceCache(service: string): CachedServiceDiscovery | undefined {
    return this.#byService.get(service);
  }

  setServiceCache(service: string, cached: CachedServiceDiscovery): void {
    this.#byService.set(service, cached);
  }
}

/** ConvertGroupVersionIntoToDiscovery (staging/src/k8s.io/apiserver/pkg/endpoints/installer.go):
 *  top-level resources in list order, then each subresource under its parent; a subresource
 *  without a listed parent gets a parent with no verbs and an empty responseKind (kubernetes#118361) */
export function aggregatedResources(gv: { group: string; version: string; resources: Array<Record<string, unknown>> }): Obj[] {
  const out: Obj[] = [];
  const parents = new Map<string, Obj>();
  const kindOf = (r: Record<string, unknown>) => ({ group: String(r['group'] ?? gv.group), version: String(r['version'] ?? gv.version), kind: String(r['kind'] ?? '') });
  const scopeOf = (r: Record<string, unknown>) => (r['namespaced'] ? 'Namespaced' : 'Cluster');
  for (const r of gv.resources) {
    const name = String(r['name'] ?? '');
    if (name.includes('/')) continue;
    const d: Obj = { resource: name, responseKind: kindOf(r), scope: scopeOf(r), singularResource: String(r['singularName'] ?? ''), verbs: Array.isArray(r['verbs']) ? r['verbs'] : [] };
    if (Array.isArray(r['shortNames']) && r['shortNames'].length) d['shortNames'] = r['shortNames'];
    if (Array.isArray(r['categories']) && r['categories'].length) d['categories'] = r['categories'];
    parents.set(name, d);
    out.push(d);
  }
  for (const r of gv.resources) {
    const name = String(r['name'] ?? '');
    const slash = name.indexOf('/');
    if (slash < 0) continue;
    const parent = name.slice(0, slash);
    let p = parents.get(parent);
    if (!p) {
      p = { resource: parent, responseKind: {}, scope: scopeOf(r), singularResource: '', verbs: [] };
      parents.set(parent, p);
      out.push(p);
    }
    const subs = (p['subresources'] as Obj[] | undefined) ?? [];
    subs.push({ subresource: name.slice(slash + 1), responseKind: kindOf(r), verbs: Array.isArray(r['verbs']) ? r['verbs'] : [] });
    p['subresources'] = subs;
  }
  return out;
}
