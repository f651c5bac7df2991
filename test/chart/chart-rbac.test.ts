import assert from 'node:assert/strict';
import { agentApiPermissions } from '../../operator/src/api-calls/api-permissions.js';
import { only, release, render, type KubeObject } from './helm.js';

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** "group resource verb" for every permission a set of rules grants. */
function grants(rules: PolicyRule[]): string[] {
  const out: string[] = [];
  for (const r of rules) {
    for (const g of r.apiGroups ?? []) for (const res of r.resources ?? []) for (const v of r.verbs) out.push(`${g} ${res} ${v}`);
  }
  return out.sort();
}

describe('Helm chart RBAC for the agent', () => {
  let objects: KubeObject[];
  let rules: PolicyRule[];
  before(() => {
    objects = render();
    rules = (only(objects, 'ClusterRole', '-agent') as unknown as { rules: PolicyRule[] }).rules;
  });

  it('grants exactly agentApiPermissions (operator/src/agent/api-permissions.ts)', () => {
    const want = grants(agentApiPermissions.map((p) => ({ apiGroups: [p.apiGroup], resources: [p.resource], verbs: [...p.verbs] })));
    assert.deepEqual(grants(rules), want);
  });

  it('grants no wildcard, no resource names, no non-resource URLs and nothing twice', () => {
    for (const r of rules) {
      for (const field of [r.apiGroups, r.resources, r.verbs]) assert.ok(!field?.includes('*'), JSON.stringify(r));
      assert.equal(r.resourceNames, undefined);
      assert.equal(r.nonResourceURLs, undefined);
    }
    const all = grants(rules);
    assert.equal(new Set(all).size, all.length);
  });

  it('grants no secrets, leases or nodes (the contract says the agent needs none)', () => {
    for (const g of grants(rules)) assert.doesNotMatch(g, / (secrets|leases|nodes)\b/);
  });

  it('binds the ClusterRole to the agent\'s ServiceAccount', () => {
    const binding = only(objects, 'ClusterRoleBinding', '-agent') as unknown as {
      roleRef: { kind: string; name: string }; subjects: { kind: string; name: string; namespace: string }[];
    };
    assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: only(objects, 'ClusterRole', '-agent').metadata.name });
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: only(objects, 'ServiceAccount', 'lxc-attach-operator').metadata.name, namespace: release.namespace }]);
  });

  it('lists each permission of the contract once, with verbs Kubernetes knows', () => {
    const verbs = new Set(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']);
    const keys = agentApiPermissions.map((p) => `${p.apiGroup}/${p.resource}`);
    assert.equal(new Set(keys).size, keys.length);
    for (const p of agentApiPermissions) for (const v of p.verbs) assert.ok(verbs.has(v), v);
  });
});
