// What the group serves for discovery: the APIResourceList kube-aggregator's availability check and
// discovery fallback read (/apis/G/V), and the APIGroup at /apis/G.
import { subresourceGroup } from './subject-access-review.js';

const subresourceVersion = 'v1alpha1';
export const groupVersion = `${subresourceGroup}/${subresourceVersion}`;

export function apiResourceList(): object {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: [
      { name: 'containerattaches/attach', singularName: '', namespaced: true, kind: 'ContainerAttach', verbs: ['get', 'create'] },
    ],
  };
}

export function apiGroup(): object {
  const version = { groupVersion, version: subresourceVersion };
  return { kind: 'APIGroup', apiVersion: 'v1', name: subresourceGroup, versions: [version], preferredVersion: version };
}

const aggregatedGroup = 'apidiscovery.k8s.io';

/** The aggregated discovery version an Accept header asks for (v2 before v2beta1, in its order). */
export function wantsAggregatedDiscovery(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const range of (accept ?? '').split(',')) {
    const [type, ...params] = range.split(';').map((p) => p.trim());
    const p = new Map(params.map((kv) => kv.split('=').map((x) => x.trim()) as [string, string]));
    if (p.get('q') === '0') continue;
    if (type === 'application/json' && p.get('g') === aggregatedGroup && p.get('as') === 'APIGroupDiscoveryList') {
      const v = p.get('v');
      if (v === 'v2' || v === 'v2beta1') return v;
    }
  }
  return undefined;
}

export function aggregatedContentType(version: 'v2' | 'v2beta1'): string {
  return `application/json;g=${aggregatedGroup};v=${version};as=APIGroupDiscoveryList`;
}

/** The aggregated /apis (what kube-aggregator's discovery manager asks for first): the one group
 *  version, the subresource under a parent without verbs, as kube's conversion of the
 *  APIResourceList above lists it (ConvertGroupVersionIntoToDiscovery). */
export function apiGroupDiscoveryList(version: 'v2' | 'v2beta1'): object {
  const [group, v] = groupVersion.split('/') as [string, string];
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `${aggregatedGroup}/${version}`,
    metadata: {},
    items: [{
      metadata: { name: group, creationTimestamp: null },
      versions: [{
        version: v,
        resources: [{
          resource: 'containerattaches', responseKind: {}, scope: 'Namespaced', singularResource: '', verbs: [],
          subresources: [{ subresource: 'attach', responseKind: { group, version: v, kind: 'ContainerAttach' }, verbs: ['get', 'create'] }],
        }],
        freshness: 'Current',
      }],
    }],
  };
}
