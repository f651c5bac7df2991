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

