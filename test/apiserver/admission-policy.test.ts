// ValidatingAdmissionPolicy through the real kubectl 1.32: apply, the server's table, a write the
// policy denies in kube's wording (as kubectl prints it), a user extra from a kubeconfig's
// as-user-extra (client-go's impersonation headers) reaching request.userInfo.extra, and the
// fields this server refuses by name.
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { startStandalone, type RunningStandalone } from '../../operator/src/standalone/standalone.js';
import { KubeClient } from '../../common/src/kube/client.js';
import { loadKubeconfig } from '../../common/src/kube/kubeconfig.js';
import { agentAccessObjects, ensureAgentAccess, NODE_BOUND_POLICY_NAME } from '../../operator/src/standalone/agent-identity.js';
import { Kubectl, endpointOf, request, startServer, tempDir, type TestServer } from './harness.js';

const policy = (name: string, spec: string) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: ${name}}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [configmaps]}
${spec}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: ${name}-binding}
spec: {policyName: ${name}, validationActions: [Deny]}
`;

describe('ValidatingAdmissionPolicy (kubectl 1.32)', function () {
  this.timeout(60_000);
  let s: TestServer;
  let k: Kubectl;
  before(async () => {
    s = await startServer();
    k = new Kubectl(s.kubeconfig);
  });
  after(() => s.stop());

  it('applies a policy and binding, lists them, and denies a write in kube\'s wording', async () => {
    const out = await k.ok(['apply', '-f', '-'], policy('no-secrets-in-cms', `  validations:
  - expression: "!has(object.data) || !('password' in object.data)"
    message: configmaps hold no passwords
    reason: Forbidden`));
    assert.equal(out, 'validatingadmissionpolicy.admissionregistration.k8s.io/no-secrets-in-cms created\n' +
      'validatingadmissionpolicybinding.admissionregistration.k8s.io/no-secrets-in-cms-binding created\n');
    assert.match(await k.ok(['get', 'validatingadmissionpolicies']), /^NAME\s+VALIDATIONS\s+PARAMKIND\s+AGE\nno-secrets-in-cms\s+1\s+<unset>\s+\d+s\n$/);
    assert.equal((await k.fails(['create', 'configmap', 'c1', '--from-literal=password=x'])).trim(),
      'error: failed to create configmap: configmaps "c1" is forbidden: ValidatingAdmissionPolicy \'no-secrets-in-cms\' with binding \'no-secrets-in-cms-binding\' denied request: configmaps hold no passwords');
    await k.ok(['create', 'configmap', 'c2', '--from-literal=user=x']);
    assert.equal((await k.fails(['patch', 'configmap', 'c2', '-p', '{"data":{"password":"x"}}'])).trim(),
      'Error from server (Forbidden): configmaps "c2" is forbidden: ValidatingAdmissionPolicy \'no-secrets-in-cms\' with binding \'no-secrets-in-cms-binding\' denied request: configmaps hold no passwords');
    await k.ok(['delete', 'validatingadmissionpolicybinding', 'no-secrets-in-cms-binding']);
    await k.ok(['create', 'configmap', 'c3', '--from-literal=password=x']);
  });

  it('sees the user extra of a kubeconfig\'s as-user-extra in request.userInfo.extra', async () => {
    await k.ok(['apply', '-f', '-'], policy('team-tag', `  matchConditions:
  - {name: impersonated, expression: "request.userInfo.username == 'system:serviceaccount:ops:bot'"}
  validations:
  - expression: "'example.com/team' in request.userInfo.extra && request.userInfo.extra['example.com/team'] == ['blue']"
`));
    const kc = parse(readFileSync(s.kubeconfig, 'utf8')) as { users: Array<{ user: Record<string, unknown> }> };
    const as = (extra?: Record<string, string[]>) => {
      const file = path.join(s.dataDir, `bot-${extra ? 'extra' : 'plain'}.kubeconfig`);
      kc.users[0]!.user = { ...kc.users[0]!.user, as: 'system:serviceaccount:ops:bot', 'as-groups': ['system:masters'], ...(extra ? { 'as-user-extra': extra } : {}) };
      if (!extra) delete kc.users[0]!.user['as-user-extra'];
      writeFileSync(file, stringify(kc));
      return new Kubectl(file);
    };
    await as({ 'example.com/team': ['blue'] }).ok(['create', 'configmap', 'blue']);
    assert.match(await as().fails(['create', 'configmap', 'nobody']), /denied request: failed expression: 'example.com\/team' in request.userInfo.extra/);
    await k.ok(['create', 'configmap', 'admin-is-not-matched']);
  });

  it('standalone mode installs the agent\'s access once: a second start changes nothing', async () => {
    const client = new KubeClient(loadKubeconfig({ kubeconfig: s.kubeconfig }), 'test');
    await ensureAgentAccess(client);
    const versions = async () => Promise.all(agentAccessObjects().map(async ({ path: p, object }) =>
      (await client.request<{ metadata: { resourceVersion: string } }>('GET', `${p}/${(object['metadata'] as { name: string }).name}`)).metadata.resourceVersion));
    const first = await versions();
    await ensureAgentAccess(client);
    assert.deepEqual(await versions(), first);
    assert.match(await k.ok(['get', 'validatingadmissionpolicybindings', NODE_BOUND_POLICY_NAME]), new RegExp(`^NAME\\s+POLICYNAME\\s+PARAMREF\\s+AGE\\n${NODE_BOUND_POLICY_NAME}\\s+${NODE_BOUND_POLICY_NAME}\\s+<unset>\\s`));
  });

  it('refuses what it does not implement, by field', async () => {
    const err = await k.fails(['apply', '-f', '-'], `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: with-params}
spec:
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}]
  validations: [{expression: "authorizer.path('/x').check('get').allowed()"}]
`);
    assert.match(err, /The ValidatingAdmissionPolicy "with-params" is invalid: \n\* spec\.paramKind: Forbidden: parameter resources are not supported by this API server/);
    assert.match(err, /spec\.validations\[0\]\.expression: Invalid value: .*compilation failed: ERROR: <input>:1:1: undeclared reference to 'authorizer'/);
  });
});

describe('impersonating a user extra needs impersonate on userextras/<key> (kube\'s WithImpersonation)', function () {
  this.timeout(60_000);
  const dir = tempDir('userextras');
  let running: RunningStandalone;
  let admin: Kubectl;
  let server: { url: string; token: string; ca: string };
  const whoami = (node: string) => request({ ...server, token: 'alice-token' }, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    headers: {
      'Content-Type': 'application/json', 'Impersonate-User': 'system:serviceaccount:lxc-attach-system:lxc-attach-agent',
      'Impersonate-Extra-authentication.kubernetes.io%2Fnode-name': node,
    },
    body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
  });

  before(async () => {
    const tokens = path.join(dir, 'tokens.csv');
    writeFileSync(tokens, 'alice-token,alice,1001\n');
    running = await startStandalone({ dataDir: path.join(dir, 'data'), kubeconfig: path.join(dir, 'kubeconfig'), listen: { host: '127.0.0.1', port: 0 }, tokenAuthFile: tokens, log: () => undefined });
    admin = new Kubectl(running.kubeconfig);
    server = endpointOf(running.kubeconfig);
    await admin.ok(['create', 'clusterrole', 'be-the-agent', '--verb=impersonate', '--resource=serviceaccounts', '--resource-name=lxc-attach-agent']);
    await admin.ok(['create', 'clusterrolebinding', 'alice-agent', '--clusterrole=be-the-agent', '--user=alice']);
  });
  after(() => running.stop());

  it('refuses the node name without it, and grants only the names a rule lists', async () => {
    const refused = await whoami('node-a');
    assert.equal(refused.status, 403);
    assert.equal(refused.json<{ message: string }>().message, 'userextras.authentication.k8s.io "node-a" is forbidden: User "alice" cannot impersonate resource ' +
      '"userextras/authentication.kubernetes.io/node-name" in API group "authentication.k8s.io" at the cluster scope');
    await admin.ok(['apply', '-f', '-'], `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: node-a-extra}
rules: [{apiGroups: [authentication.k8s.io], resources: [userextras/authentication.kubernetes.io/node-name], resourceNames: [node-a], verbs: [impersonate]}]
`);
    await admin.ok(['create', 'clusterrolebinding', 'alice-node-a', '--clusterrole=node-a-extra', '--user=alice']);
    const ok = await whoami('node-a');
    assert.equal(ok.status, 201, ok.body);
    assert.deepEqual(ok.json<{ status: { userInfo: { extra: unknown } } }>().status.userInfo.extra, { 'authentication.kubernetes.io/node-name': ['node-a'] });
    assert.equal((await whoami('node-b')).status, 403);
  });
});
