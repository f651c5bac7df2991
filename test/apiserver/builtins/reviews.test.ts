// The create-only review kinds: what their REST handlers answer (pkg/registry/authorization,
// pkg/registry/authentication/tokenreview). The verdict is the authorizer the server passes in.
import assert from 'node:assert/strict';
import { BuiltinRequestError, findBuiltinKind } from '../../../apiserver/src/builtins/index.js';

const ssar = findBuiltinKind('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews')!;
const sar = findBuiltinKind('authorization.k8s.io', 'v1', 'subjectaccessreviews')!;
/** an authorizer allowing only bob's deletes of secrets, as the context the server passes */
const context = {
  user: { username: 'alice', groups: ['system:authenticated'] },
  authorize: (a: { user: { username: string }; verb: string; resource: string }) => (a.user.username === 'bob' && a.verb === 'delete' && a.resource === 'secrets'
    ? { allowed: true, reason: 'RBAC: allowed by test' } : { allowed: false, reason: '' }),
};
const tokenReview = findBuiltinKind('authentication.k8s.io', 'v1', 'tokenreviews')!;

function refusal(fn: () => unknown): BuiltinRequestError {
  try {
    fn();
  } catch (err) {
    if (err instanceof BuiltinRequestError) return err;
    throw err;
  }
  assert.fail('expected a refusal');
}

describe('builtins: SelfSubjectAccessReview and SubjectAccessReview', () => {
  it('echoes the request with status allowed, as kubectl auth can-i sends it', () => {
    const body = { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec: { resourceAttributes: { namespace: 'default', verb: 'list', group: 'lxcattach.io', resource: 'containerattaches' } } };
    const out = ssar.review!(body, { ...context, authorize: (a) => ({ allowed: a.user.username === 'alice' && a.verb === 'list' && a.apiGroup === 'lxcattach.io', reason: '' }) });
    assert.deepEqual(out, { ...body, status: { allowed: true } });
    assert.deepEqual(ssar.normalize(out), {
      kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null },
      spec: body.spec, status: { allowed: true },
    });
  });

  const invalid: Array<[string, () => unknown, Array<[string, string]>]> = [
    ['neither attribute set', () => ssar.review!({ spec: {} }), [['spec.resourceAttributes', 'exactly one of nonResourceAttributes or resourceAttributes must be specified']]],
    ['both attributes set', () => ssar.review!({ spec: { resourceAttributes: {}, nonResourceAttributes: { path: '/x' } } }), [['spec.nonResourceAttributes', 'cannot be specified in combination with resourceAttributes']]],
    ['a name in metadata', () => ssar.review!({ metadata: { name: 'x' }, spec: { nonResourceAttributes: { path: '/x', verb: 'get' } } }), [['metadata', 'must be empty']]],
    ['no user or group', () => sar.review!({ spec: { nonResourceAttributes: { path: '/x' } } }), [['spec.user', 'at least one of user or group must be specified']]],
    ['a selector with both forms', () => ssar.review!({ spec: { resourceAttributes: { fieldSelector: { rawSelector: 'a=b', requirements: [{ key: 'a', operator: 'In', values: ['b'] }] } } } }), [
      ['spec.resourceAttributes.fieldSelector.rawSelector', 'may not specified at the same time as requirements'],
    ]],
    ['an empty label selector', () => ssar.review!({ spec: { resourceAttributes: { labelSelector: {} } } }), [
      ['spec.resourceAttributes.labelSelector.requirements', 'when spec.resourceAttributes.labelSelector is specified, requirements or rawSelector is required'],
    ]],
  ];
  for (const [name, fn, errors] of invalid) {
    it(`refuses ${name} with the handler's 422`, () => {
      const err = refusal(fn);
      assert.equal(err.httpStatus, 422);
      assert.equal(err.reason, 'Invalid');
      assert.deepEqual(err.invalid?.kind, '');
      assert.deepEqual(err.invalid?.name, '');
      assert.equal(err.invalid?.group, 'authorization.k8s.io');
      assert.deepEqual(err.invalid?.errors.map((e) => [e.field, e.detail]), errors);
    });
  }

  it('evaluates a SubjectAccessReview for the user in its spec', () => {
    const out = sar.review!({ spec: { user: 'bob', groups: ['dev'], resourceAttributes: { verb: 'delete', resource: 'secrets' } } }, context);
    assert.deepEqual(out['status'], { allowed: true, reason: 'RBAC: allowed by test' });
    const denied = sar.review!({ spec: { user: 'carol', resourceAttributes: { verb: 'delete', resource: 'secrets' } } }, context);
    assert.deepEqual(denied['status'], { allowed: false });
  });
});

describe('builtins: TokenReview', () => {
  const context = {
    apiAudiences: ['https://kubernetes.default.svc'],
    authenticateToken: (token: string) => (token === 'good' ? { username: 'admin', groups: ['system:masters', 'system:authenticated'] } : undefined),
  };

  it('authenticates the server token, with the API audiences', () => {
    const out = tokenReview.review!({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'good' } }, context);
    assert.deepEqual(out['status'], { authenticated: true, user: { username: 'admin', groups: ['system:masters', 'system:authenticated'] }, audiences: ['https://kubernetes.default.svc'] });
  });

  it('answers a bad token, or foreign audiences, with an empty user', () => {
    for (const spec of [{ token: 'bad' }, { token: 'good', audiences: ['vault'] }]) {
      const out = tokenReview.review!({ spec }, context);
      assert.deepEqual(out['status'], { user: {} });
      assert.deepEqual(tokenReview.normalize(out)['status'], { user: {} });
    }
  });

  it('refuses an empty token and a namespaced request with 400', () => {
    const empty = refusal(() => tokenReview.review!({ spec: {} }, context));
    assert.deepEqual([empty.httpStatus, empty.reason, empty.message], [400, 'BadRequest', 'token is required for TokenReview in authentication']);
    const namespaced = refusal(() => tokenReview.review!({ spec: { token: 'good' } }, { ...context, namespace: 'default' }));
    assert.equal(namespaced.message, 'namespace is not allowed on this type: default');
  });
});
