// The APIServices kube-apiserver registers for its own group versions at start (the
// "autoregister" controller, labelled automanaged "onstart"), with the priorities of
// pkg/controlplane/apiserver/aggregator.go: they have no service, so they are always available
// ("Local") and requests to them are served here.
import type { Obj } from '../objects.js';

const PRIORITIES: Record<string, [number, number]> = {
  '': [18000, 1],
  'apiregistration.k8s.io': [18000, 15],
  'events.k8s.io': [17750, 15],
  'authentication.k8s.io': [17700, 15],
  'authorization.k8s.io': [17600, 15],
  'rbac.authorization.k8s.io': [17000, 15],
  'admissionregistration.k8s.io': [16700, 15],
  'apiextensions.k8s.io': [16700, 15],
  'coordination.k8s.io': [16500, 15],
  'discovery.k8s.io': [16200, 15],
};

export function localApiServices(groups: Array<{ group: string; versions: string[] }>): Obj[] {
  const out: Obj[] = [];
  for (const g of groups) {
    const [groupPriorityMinimum, versionPriority] = PRIORITIES[g.group] ?? [1000, 15];
    for (const version of g.versions) {
      out.push({
        apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService',
        metadata: { name: `${version}.${g.group}`, labels: { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' } },
        spec: { group: g.group, version, groupPriorityMinimum, versionPriority },
      });
    }
  }
  return out;
}
