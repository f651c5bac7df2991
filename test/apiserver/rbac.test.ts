// Users and RBAC against the real kubectl 1.32: token-file users, impersonation (--as), Roles and
// bindings evaluated as kube's RBAC authorizer, kube's 403 wording, access reviews, whoami,
// can-i --list and ClusterRole aggregation.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startStandalone, type RunningStandalone } from '../../operator/src/standalone/standalone.js';
import { Kubectl, endpointOf, request, tempDir, waitUntil } from './harness.js';

describe('users and RBAC (kubectl 1.32)', function () {
  this.timeout(60_000);
  let running: RunningStandalone;
  let admin: Kubectl;
  let alice: Kubectl;
  let server: { url: string; token: string; ca: string };
  const dir = tempDir('rbac');

  before(async () => {
    const tokens = path.join(dir, 'tokens.csv');
    writeFileSync(tokens, 'alice-token,alice,1001\nbob-token,bob,1002,"devs,qa"\n');
    running = await startStandalone({ dataDir: path.join(dir, 'data'), kubeconfig: path.join(dir, 'kubeconfig'), listen: { host: '127.0.0.1', port: 0 }, tokenAuthFile: tokens, log: () => undefined });
    admin = new Kubectl(running.kubeconfig);
    server = endpointOf(running.kubeconfig);
    // alice's own kubeconfig: the same cluster, her token
    const kc = path.join(dir, 'alice.kubeconfig');
    await admin.ok(['config', 'view', '--raw', '-o', 'yaml']).then((y) => writeFileSync(kc, y));
    await new Kubectl(kc).ok(['config', 'set-credentials', 'alice', '--token=alice-token']);
    await new Kubectl(kc).ok(['config', 'set-context', '--current', '--user=alice']);
    alice = new Kubectl(kc);
  });
  after(() => running.stop());

  it('whoami names the admin, a token-file user and an impersonated user', async () => {
    assert.match(await admin.ok(['auth', 'whoami']), /Username\s+lxcattach:admin\nGroups\s+\[system:masters system:authenticated\]/);
    assert.match(await alice.ok(['auth', 'whoami']), /Username\s+alice\nUID\s+1001\nGroups\s+\[system:authenticated\]/);
    assert.match(await admin.ok(['auth', 'whoami', '--as', 'bob', '--as-group', 'devs']), /Username\s+bob\nGroups\s+\[devs system:authenticated\]/);
  });

  it('a user without a binding gets kube-apiserver\'s 403 on get and create', async () => {
    assert.equal((await alice.fails(['get', 'secrets'])).trim(),
      'Error from server (Forbidden): secrets is forbidden: User "alice" cannot list resource "secrets" in API group "" in the namespace "default"');
    const err = await alice.fails(['create', 'configmap', 'c1', '--from-literal=a=b']);
    assert.equal(err.trim(), 'error: failed to create configmap: configmaps is forbidden: User "alice" cannot create resource "configmaps" in API group "" in the namespace "default"');
    assert.match(await admin.fails(['get', 'namespace', 'default', '--as', 'carol']),
      /namespaces "default" is forbidden: User "carol" cannot get resource "namespaces" in API group "" in the namespace "default"/);
    assert.match(await admin.fails(['get', 'clusterroles', '--as', 'carol']),
      /clusterroles.rbac.authorization.k8s.io is forbidden: User "carol" cannot list resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope/);
  });

  it('impersonation needs the impersonate verb', async () => {
    const err = await alice.fails(['get', 'secrets', '--as', 'bob']);
    assert.equal(err.trim(), 'Error from server (Forbidden): users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope');
    const r = await request({ ...server, token: 'alice-token' }, 'GET', '/api/v1/namespaces/default/secrets', { headers: { 'Impersonate-Group': 'system:masters' } });
    assert.equal(r.status, 500);
    assert.equal(r.body, 'Internal Server Error: "/api/v1/namespaces/default/secrets": requested [{Group  system:masters    }] without impersonating a user\n');
  });

  it('can-i answers from Roles, ClusterRoles (aggregated) and bindings', async () => {
    const canI = (...args: string[]) => admin.run(['auth', 'can-i', ...args]).then((r) => r.stdout.trim());
    // --validate=false: kubectl's schema check reads /openapi/v2 as protobuf, which this server does not serve (issue 14)
    await admin.ok(['apply', '--validate=false', '-f', '-'], JSON.stringify({
      apiVersion: 'v1', kind: 'List', items: [
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'status-writer', labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } },
          rules: [{ apiGroups: [''], resources: ['services/status'], verbs: ['get', 'update'] }] },
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader', namespace: 'default' },
          rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['only-me'] }] },
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'alice-edit', namespace: 'default' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'User', name: 'alice' }] },
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'devs-reader', namespace: 'default' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'Group', name: 'devs' }] },
      ],
    }));
    // the aggregation controller copies status-writer's rule into edit
    await waitUntil('edit aggregates status-writer', async () => (await admin.ok(['get', 'clusterrole', 'edit', '-o', 'json'])).includes('services/status') || undefined);
    assert.equal(await canI('update', 'services', '--subresource=status', '--as', 'alice'), 'yes');
    assert.equal(await canI('update', 'services', '--subresource=status', '--as', 'alice', '-n', 'kube-system'), 'no');
    assert.equal(await canI('update', 'services', '--subresource=status', '--as', 'bob'), 'no');
    assert.equal(await canI('delete', 'services', '--subresource=status', '--as', 'alice'), 'no');
    // impersonation takes the groups from --as-group, never from the token file
    assert.equal(await canI('get', 'configmap/only-me', '--as', 'bob'), 'no');
    assert.equal(await canI('get', 'configmap/only-me', '--as', 'bob', '--as-group', 'devs'), 'yes');
    assert.equal(await canI('get', 'configmap/other', '--as', 'bob', '--as-group', 'devs'), 'no');
    assert.equal(await canI('get', 'configmap/only-me', '--as', 'bob', '--as-group', 'qa'), 'no');
    assert.equal(await alice.ok(['create', 'configmap', 'c1', '--from-literal=a=b']), 'configmap/c1 created\n');
  });

  it('a binding to a missing role names it in the 403, as kube\'s RBAC authorizer does', async () => {
    await admin.ok(['create', 'rolebinding', 'ghost', '--role=ghost', '--user=dave', '-n', 'default']);
    assert.match(await admin.fails(['get', 'secrets', '--as', 'dave']),
      /User "dave" cannot list resource "secrets" in API group "" in the namespace "default": RBAC: role.rbac.authorization.k8s.io "ghost" not found/);
  });

  it('can-i --list shows the rules that apply', async () => {
    const out = await alice.ok(['auth', 'can-i', '--list']);
    assert.match(out, /^secrets\s+\[\]\s+\[\]\s+\[create delete deletecollection patch update get list watch\]/m);
    assert.match(out, /^services\/status\s+\[\]\s+\[\]\s+\[get update\]/m);
    assert.match(out, /^selfsubjectreviews\.authentication\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]/m);
    assert.match(out, /^\s+\[\/api\/\*\]\s+\[\]\s+\[get\]/m);
    const other = await alice.ok(['auth', 'can-i', '--list', '-n', 'kube-system']);
    assert.doesNotMatch(other, /^secrets/m);
  });

  it('SubjectAccessReview answers from RBAC with the allowing binding as reason', async () => {
    const r = await request(server, 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: {
        user: 'alice', resourceAttributes: { namespace: 'default', verb: 'update', resource: 'services', subresource: 'status', name: 's1' },
      } }),
    });
    assert.equal(r.status, 201);
    assert.deepEqual(r.json()['status'], { allowed: true, reason: 'RBAC: allowed by RoleBinding "alice-edit/default" of ClusterRole "edit" to User "alice"' });
    const denied = await request({ ...server, token: 'alice-token' }, 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      headers: { 'Content-Type': 'application/json' }, body: '{}',
    });
    assert.equal(denied.status, 403);
  });

  it('a user who may write RBAC objects cannot grant more than they hold (escalate / bind)', async () => {
    // alice gets admin in "default" (roles and rolebindings writable there), nothing cluster-wide
    await admin.ok(['create', 'rolebinding', 'alice-admin', '--clusterrole=admin', '--user=alice', '-n', 'default']);
    await waitUntil('admin aggregated', async () => (await admin.ok(['get', 'clusterrole', 'admin', '-o', 'json'])).includes('rolebindings') || undefined);
    assert.equal((await alice.fails(['create', 'rolebinding', 'me-cluster-admin', '--clusterrole=cluster-admin', '--user=alice'])).trim(),
      'error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io "me-cluster-admin" is forbidden: '
      + 'user "alice" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n'
      + '{APIGroups:["*"], Resources:["*"], Verbs:["*"]}\n{NonResourceURLs:["*"], Verbs:["*"]}');
    assert.match(await alice.fails(['create', 'role', 'ns-deleter', '--verb=delete', '--resource=namespaces']),
      /roles.rbac.authorization.k8s.io "ns-deleter" is forbidden: user "alice" .* is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["namespaces"\], Verbs:\["delete"\]\}/);
    // within what she holds, she may
    assert.equal(await alice.ok(['create', 'role', 'cm-reader', '--verb=get', '--resource=configmaps']), 'role.rbac.authorization.k8s.io/cm-reader created\n');
    assert.equal(await alice.ok(['create', 'rolebinding', 'bob-edit', '--clusterrole=edit', '--user=bob']), 'rolebinding.rbac.authorization.k8s.io/bob-edit created\n');
    // with `bind` on cluster-admin granted, the binding is allowed
    await admin.ok(['create', 'clusterrole', 'bind-cluster-admin', '--verb=bind', '--resource=clusterroles', '--resource-name=cluster-admin']);
    await admin.ok(['create', 'rolebinding', 'alice-bind', '--clusterrole=bind-cluster-admin', '--user=alice', '-n', 'default']);
    assert.equal(await alice.ok(['create', 'rolebinding', 'me-cluster-admin', '--clusterrole=cluster-admin', '--user=alice']), 'rolebinding.rbac.authorization.k8s.io/me-cluster-admin created\n');
  });

  it('an unknown token is 401', async () => {
    const r = await request({ ...server, token: 'nope' }, 'GET', '/api');
    assert.equal(r.status, 401);
  });
});
