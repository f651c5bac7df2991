// The chart's node-bound policy (issue 12, M5): the rendered ValidatingAdmissionPolicy and binding
// are the ones common/src/containerattach/node-bound-policy.ts makes for the release's agent
// ServiceAccount, they pass the API server's validation (every CEL expression compiles with the
// project's CEL), and they refuse the cross-node write they exist for.
import assert from 'node:assert/strict';
import { findBuiltinKind } from '../../apiserver/src/builtins/index.js';
import { fieldErrorString } from '../../apiserver/src/schema/index.js';
import { ValidatingPolicyAdmission, POLICIES_BUCKET } from '../../apiserver/src/admission/validating-policy-admission.js';
import { NODE_NAME_EXTRA, nodeBoundWritesPolicy } from '../../common/src/containerattach/node-bound-policy.js';
import { release, render, type KubeObject } from './helm.js';

const agent = `system:serviceaccount:${release.namespace}:${release.name}-lxc-attach-operator`;
const name = `${release.name}-lxc-attach-operator-node-bound-writes`;

function without(o: KubeObject, ...labelsToo: string[]): unknown {
  const c = structuredClone(o) as unknown as { metadata: Record<string, unknown> };
  delete c.metadata['labels'];
  for (const k of labelsToo) delete c.metadata[k];
  return c;
}

describe('Helm chart: the node-bound writes policy', () => {
  let objects: KubeObject[];
  before(() => {
    objects = render();
  });
  const find = (kind: string) => objects.filter((o) => o.kind === kind);

  it('renders the policy and binding of node-bound-policy.ts for the release\'s agent ServiceAccount', () => {
    const [policy, binding] = nodeBoundWritesPolicy(name, agent);
    assert.equal(find('ValidatingAdmissionPolicy').length, 1);
    assert.equal(find('ValidatingAdmissionPolicyBinding').length, 1);
    assert.deepEqual(without(find('ValidatingAdmissionPolicy')[0]!), policy);
    assert.deepEqual(without(find('ValidatingAdmissionPolicyBinding')[0]!), binding);
    assert.equal(find('ValidatingAdmissionPolicy')[0]!.metadata.labels?.['app.kubernetes.io/instance'], release.name);
  });

  it('passes the API server\'s validation: every expression compiles with the project\'s CEL', () => {
    for (const [kind, plural] of [['ValidatingAdmissionPolicy', 'validatingadmissionpolicies'], ['ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings']] as const) {
      const k = findBuiltinKind('admissionregistration.k8s.io', 'v1', plural)!;
      const o = structuredClone(find(kind)[0]!) as unknown as Record<string, unknown>;
      k.prepareForCreate(o);
      assert.deepEqual(k.validate(o).map(fieldErrorString), [], kind);
    }
  });

  it('as rendered, refuses the release\'s agent on node-a writing the status of an object of node-b', () => {
    const stored = [...find('ValidatingAdmissionPolicy'), ...find('ValidatingAdmissionPolicyBinding')]
      .map((o) => ({ ...o, metadata: { ...o.metadata, uid: o.kind, resourceVersion: '1' } }) as unknown as Record<string, unknown>);
    const vap = new ValidatingPolicyAdmission({ list: (b) => stored.filter((o) => (o['kind'] === 'ValidatingAdmissionPolicy') === (b === POLICIES_BUCKET)) });
    const obj = (node: string) => ({ metadata: { name: 'web', namespace: 'team', labels: { 'lxcattach.io/node': node } }, spec: { container: 'web1' } });
    assert.throws(() => vap.validate({
      operation: 'UPDATE', group: 'lxcattach.io', version: 'v1alpha1', kind: 'ContainerAttach', resource: 'containerattaches', subresource: 'status',
      namespace: 'team', name: 'web', namespaced: true, dryRun: false, object: obj('node-b'), oldObject: obj('node-b'),
      user: { username: agent, extra: { [NODE_NAME_EXTRA]: ['node-a'] } },
    }), /ValidatingAdmissionPolicy 'lxcat-lxc-attach-operator-node-bound-writes' with binding '.*' denied request: the agent of node node-a may not write a ContainerAttach of node node-b/);
  });

  it('is left out with nodeBoundWritesPolicy.create=false', () => {
    const off = render([], ['nodeBoundWritesPolicy.create=false']);
    assert.equal(off.filter((o) => o.kind.startsWith('ValidatingAdmissionPolicy')).length, 0);
  });
});
