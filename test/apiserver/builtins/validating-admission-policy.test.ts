// ValidatingAdmissionPolicy: what the kinds' validation refuses, how matchConstraints select a
// request, and the evaluation of the node-bound agent policy (issue 12, M5) with kube's denial
// wording, on the server's own CEL. No server: the dispatcher reads policies from a list here.
import assert from 'node:assert/strict';
import { findBuiltinKind } from '../../../apiserver/src/builtins/index.js';
import { ValidatingPolicyAdmission, BINDINGS_BUCKET, POLICIES_BUCKET } from '../../../apiserver/src/admission/validating-policy-admission.js';
import type { AdmissionAttributes } from '../../../apiserver/src/admission/admission-attributes.js';
import { ruleMatches } from '../../../apiserver/src/admission/policy-match.js';
import { ApiError } from '../../../apiserver/src/status.js';
import { fieldErrorString } from '../../../apiserver/src/schema/index.js';
import { NODE_NAME_EXTRA, nodeBoundWritesPolicy } from '../../../common/src/containerattach/node-bound-policy.js';

const policyKind = findBuiltinKind('admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicies')!;
const bindingKind = findBuiltinKind('admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicybindings')!;
const AGENT = 'system:serviceaccount:lxc-attach-system:lxc-attach-agent';

function errorsOf(kind: typeof policyKind, obj: Record<string, unknown>): string[] {
  const o = structuredClone(obj);
  kind.prepareForCreate(o);
  return kind.validate(o).map(fieldErrorString);
}

const basePolicy = (spec: Record<string, unknown>) => ({
  apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'p' },
  spec: { matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] }, ...spec },
});

function admission(...objs: Record<string, unknown>[]): ValidatingPolicyAdmission {
  const stored: Record<string, unknown>[] = objs.map((o, i) => ({ ...o, metadata: { ...(o['metadata'] as object), uid: `u${i}`, resourceVersion: '1' } }));
  return new ValidatingPolicyAdmission({
    list: (bucket) => stored.filter((o) => (bucket === POLICIES_BUCKET ? o['kind'] === 'ValidatingAdmissionPolicy' : bucket === BINDINGS_BUCKET && o['kind'] === 'ValidatingAdmissionPolicyBinding')),
  });
}

function attach(node: string | undefined, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'lxcattach.io/v1alpha1', kind: 'ContainerAttach',
    metadata: { name: 'web', namespace: 'team', ...(node ? { labels: { 'lxcattach.io/node': node } } : {}) },
    spec: { container: 'web1', ...extra },
    status: { phase: 'WaitingForClient', endpoint: `${node ?? 'x'}.example:8443`, tlsFingerprint: 'AA' },
  };
}

function write(over: Partial<AdmissionAttributes>): AdmissionAttributes {
  return {
    operation: 'UPDATE', group: 'lxcattach.io', version: 'v1alpha1', kind: 'ContainerAttach', resource: 'containerattaches',
    subresource: 'status', namespace: 'team', name: 'web', namespaced: true, dryRun: false,
    user: { username: AGENT, groups: ['system:serviceaccounts', 'system:authenticated'], extra: { [NODE_NAME_EXTRA]: ['node-a'] } },
    ...over,
  };
}

function refusal(fn: () => void): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  return assert.fail('the write was admitted');
}

describe('ValidatingAdmissionPolicy kinds: validation', () => {
  it('accepts the node-bound policy and binding, defaulted as kube defaults them', () => {
    const [p, b] = nodeBoundWritesPolicy('lxc-attach-node-bound-writes', AGENT);
    assert.deepEqual(errorsOf(policyKind, p), []);
    assert.deepEqual(errorsOf(bindingKind, b), []);
    const o = structuredClone(p);
    policyKind.prepareForCreate(o);
    const mc = (o['spec'] as { matchConstraints: Record<string, unknown> }).matchConstraints;
    assert.equal(mc['matchPolicy'], 'Equivalent');
    assert.deepEqual(mc['namespaceSelector'], {});
    assert.equal((mc['resourceRules'] as Array<{ scope: string }>)[0]!.scope, '*');
  });

  it('refuses a policy without validations, a bad CEL expression, a non-bool validation and unsupported fields by name', () => {
    assert.deepEqual(errorsOf(policyKind, basePolicy({})), ['spec.validations: Required value: validations or auditAnnotations must contain at least one item']);
    const [compile] = errorsOf(policyKind, basePolicy({ validations: [{ expression: 'object.x ==' }] }));
    assert.match(compile!, /^spec\.validations\[0\]\.expression: Invalid value: "object\.x ==": compilation failed: ERROR: <input>:1:/);
    assert.deepEqual(errorsOf(policyKind, basePolicy({ validations: [{ expression: '1 + 1' }] })),
      ['spec.validations[0].expression: Invalid value: "1 + 1": must evaluate to bool']);
    assert.match(errorsOf(policyKind, basePolicy({ validations: [{ expression: 'request.nope == 1' }] }))[0]!, /undefined field 'nope'/);
    assert.match(errorsOf(policyKind, basePolicy({ validations: [{ expression: 'authorizer != null' }] }))[0]!, /undeclared reference to 'authorizer'/);
    assert.deepEqual(errorsOf(policyKind, basePolicy({ paramKind: { apiVersion: 'v1', kind: 'ConfigMap' }, validations: [{ expression: 'true' }] })),
      ['spec.paramKind: Forbidden: parameter resources are not supported by this API server (a standalone lxc-attach-operator server)']);
    assert.deepEqual(errorsOf(policyKind, basePolicy({ failurePolicy: 'Maybe', validations: [{ expression: 'true', reason: 'Teapot' }] })), [
      'spec.failurePolicy: Unsupported value: "Maybe": supported values: "Fail", "Ignore"',
      'spec.validations[0].reason: Unsupported value: "Teapot": supported values: "Unauthorized", "Forbidden", "Invalid", "RequestEntityTooLarge"',
    ]);
  });

  it('refuses a binding without policyName or actions, and the actions it does not implement', () => {
    const binding = (spec: Record<string, unknown>) => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'b' }, spec });
    assert.deepEqual(errorsOf(bindingKind, binding({})), [
      'spec.policyName: Required value', 'spec.validationActions: Required value: at least one validation action is required',
    ]);
    assert.deepEqual(errorsOf(bindingKind, binding({ policyName: 'p', validationActions: ['Audit'] })), ['spec.validationActions[0]: Unsupported value: "Audit": supported values: "Deny"']);
  });
});

describe('ValidatingAdmissionPolicy: matching', () => {
  it('resources "x/status", "*" (no subresource), "*/*" and the operation, group and scope', () => {
    const a = write({});
    assert.equal(ruleMatches({ operations: ['UPDATE'], apiGroups: ['lxcattach.io'], apiVersions: ['*'], resources: ['containerattaches/status'] }, a), true);
    assert.equal(ruleMatches({ operations: ['UPDATE'], apiGroups: ['lxcattach.io'], apiVersions: ['*'], resources: ['containerattaches'] }, a), false);
    assert.equal(ruleMatches({ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*'] }, a), false);
    assert.equal(ruleMatches({ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*/*'] }, a), true);
    assert.equal(ruleMatches({ operations: ['DELETE'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*/*'] }, a), false);
    assert.equal(ruleMatches({ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*/*'], scope: 'Cluster' }, a), false);
  });
});

describe('ValidatingAdmissionPolicy: the node-bound agent policy', () => {
  const [policy, binding] = nodeBoundWritesPolicy('lxc-attach-node-bound-writes', AGENT);
  const vap = admission(policy, binding);

  it('refuses the agent of node-a rewriting the endpoint of an object of node-b, in kube\'s wording and code', () => {
    const old = attach('node-b');
    const object = { ...old, status: { ...old.status, endpoint: 'evil.example:8443', tlsFingerprint: 'EVIL' } };
    const e = refusal(() => vap.validate(write({ object, oldObject: old })));
    const message = 'ValidatingAdmissionPolicy \'lxc-attach-node-bound-writes\' with binding \'lxc-attach-node-bound-writes\' denied request: ' +
      'the agent of node node-a may not write a ContainerAttach of node node-b';
    assert.equal(e.status.code, 403);
    assert.equal(e.status.reason, 'Forbidden');
    assert.equal(e.status.message, `containerattaches.lxcattach.io "web" is forbidden: ${message}`);
    assert.deepEqual(e.status.details, { name: 'web', group: 'lxcattach.io', kind: 'containerattaches', causes: [{ message }] });
  });

  it('admits the same write to an object of its own node, and other users\' writes', () => {
    const old = attach('node-a');
    vap.validate(write({ object: { ...old, status: { ...old.status, phase: 'Running' } }, oldObject: old }));
    vap.validate(write({ object: attach('node-a'), oldObject: attach('node-b'), user: { username: 'alice', groups: ['system:authenticated'] } }));
  });

  it('refuses moving an object to another node, deleting another node\'s object, and claims against spec.nodeName', () => {
    assert.match(refusal(() => vap.validate(write({ subresource: '', object: attach('node-a'), oldObject: attach('node-b') }))).message,
      /may not write a ContainerAttach of node node-b/);
    assert.match(refusal(() => vap.validate(write({ subresource: '', object: attach('node-b'), oldObject: attach('node-a') }))).message,
      /must keep the label lxcattach.io\/node=node-a \(the write sets it to "node-b"\)/);
    assert.match(refusal(() => vap.validate(write({ operation: 'DELETE', subresource: '', oldObject: attach('node-b') }))).message,
      /may not write a ContainerAttach of node node-b/);
    assert.match(refusal(() => vap.validate(write({ subresource: '', object: attach('node-a', { nodeName: 'node-b' }), oldObject: attach(undefined, { nodeName: 'node-b' }) }))).message,
      /may not claim a ContainerAttach whose spec.nodeName is node-b/);
    assert.match(refusal(() => vap.validate(write({ object: attach('node-a'), oldObject: attach(undefined) }))).message,
      /may only claim an unclaimed ContainerAttach, not write its status/);
  });

  it('admits a claim of an unclaimed object and the deletion of its own', () => {
    vap.validate(write({ subresource: '', object: attach('node-a'), oldObject: attach(undefined) }));
    vap.validate(write({ subresource: '', object: attach('node-a', { nodeName: 'node-a' }), oldObject: attach(undefined, { nodeName: 'node-a' }) }));
    vap.validate(write({ operation: 'DELETE', subresource: '', oldObject: attach('node-a') }));
  });

  it('refuses every write of the agent\'s ServiceAccount whose credentials name no node', () => {
    const e = refusal(() => vap.validate(write({ object: attach('node-a'), oldObject: attach('node-a'), user: { username: AGENT, groups: [] } })));
    assert.match(e.status.message!, /denied request: the node agent's credentials name no node/);
    refusal(() => vap.validate(write({ object: attach('node-a'), oldObject: attach('node-a'), user: { username: AGENT, extra: { [NODE_NAME_EXTRA]: [] } } })));
  });

  it('a binding without Deny, or no binding, enforces nothing; failurePolicy decides on errors', () => {
    admission(policy).validate(write({ object: attach('node-a'), oldObject: attach('node-b') }));
    const erring = basePolicy({ validations: [{ expression: 'object.missing == 1' }] });
    const b = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'b' }, spec: { policyName: 'p', validationActions: ['Deny'] } };
    const cm = write({ operation: 'CREATE', group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', subresource: '', name: 'c', object: { metadata: { name: 'c' } }, oldObject: undefined });
    const e = refusal(() => admission(erring, b).validate(cm));
    assert.equal(e.status.code, 422);
    assert.equal(e.status.message, 'configmaps "c" is forbidden: ValidatingAdmissionPolicy \'p\' with binding \'b\' denied request: expression \'object.missing == 1\' resulted in error: no such key: missing');
    admission({ ...erring, spec: { ...erring.spec, failurePolicy: 'Ignore' } }, b).validate(cm);
    const plain = basePolicy({ validations: [{ expression: 'false' }] });
    assert.match(refusal(() => admission(plain, b).validate(cm)).message, /denied request: failed expression: false$/);
  });

  it('matchConditions: a false one skips the policy even when another errs; errors alone follow failurePolicy', () => {
    const b = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'b' }, spec: { policyName: 'p', validationActions: ['Deny'] } };
    const cm = write({ operation: 'CREATE', group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', subresource: '', name: 'c', object: { metadata: { name: 'c' } }, oldObject: undefined });
    const withConditions = (...expressions: string[]) => basePolicy({
      matchConditions: expressions.map((expression, i) => ({ name: `m${i}`, expression })), validations: [{ expression: 'false', message: 'denied' }],
    });
    admission(withConditions('object.nope == 1', 'false'), b).validate(cm);
    assert.match(refusal(() => admission(withConditions('true'), b).validate(cm)).message, /denied request: denied$/);
    assert.match(refusal(() => admission(withConditions('object.nope == 1', 'object.nada == 1'), b).validate(cm)).message,
      /denied request: \[expression 'object.nope == 1' resulted in error: no such key: nope, expression 'object.nada == 1' resulted in error: no such key: nada\]$/);
  });
});
