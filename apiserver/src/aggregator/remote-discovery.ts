// What aggregated servers serve at /apis/G/V, kept for the merged discovery documents: kube's
// discovery aggregation controller (staging/src/k8s.io/kube-aggregator/pkg/apiserver/
// handler_discovery.go) falls back to this APIResourceList when a server has no aggregated
// /apis; here it is the only source, refreshed by every availability check. A group whose last
// check failed is served with freshness "Stale", as kube does.
import type { Obj } from '../objects.js';

export interface RemoteGroupVersion {
  group: string;
  version: string;
  /** the APIResourceList's resources */
  resources: Array<Record<string, unknown>>;
  stale: boolean;
}

export class RemoteDiscovery {
  readonly #byGroupVersion = new Map<string, RemoteGroupVersion>();

  update(group: string, version: string, body: string | undefined): void {
    const key = `${group}/${version}`;
    const previous = this.#byGroupVersion.get(key);
    if (body === undefined) {
      this.#byGroupVersion.set(key, { group, version, resources: previous?.resources ?? [], stale: true });
      return;
    }
    let resources: Array<Record<string, unknown>> = [];
    try {
      const doc = JSON.parse(body) as { resources?: unknown };
      if (Array.isArray(doc.resources)) resources = doc.resources as Array<Record<string, unknown>>;
    } catch {
      // a body that is no APIResourceList lists no resources
    }
    this.#byGroupVersion.set(key, { group, version, resources, stale: false });
  }

  forget(group: string, version: string): void {
    this.#byGroupVersion.delete(`${group}/${version}`);
  }

  get(group: string, version: string): RemoteGroupVersion | undefined {
    return this.#byGroupVersion.get(`${group}/${version}`);
  }
}

/** ConvertGroupVersionIntoToDiscovery (staging/src/k8s.io/apiserver/pkg/endpoints/installer.go):
 *  top-level resources in list order, then each subresource under its parent; a subresource
 *  without a listed parent gets a parent with no verbs and an empty responseKind (kubernetes#118361) */
export function aggregatedResources(gv: RemoteGroupVersion): Obj[] {
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
