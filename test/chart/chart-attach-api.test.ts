// The chart's attach API (the aggregated group subresources.lxcattach.io), rendered by the real helm:
// its RBAC (what kube requires of an aggregated server, and what users get through edit/admin), an
// unprivileged Deployment with a PodDisruptionBudget, and certificates that actually fit together.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { parse } from 'yaml';
import { helm, chartDir, only, release, render, type KubeObject } from './helm.js';

interface PolicyRule { apiGroups?: string[]; resources?: string[]; verbs: string[]; resourceNames?: string[] }
type Binding = KubeObject & { roleRef: { kind: string; name: string }; subjects: { kind: string; name: string; namespace?: string }[] };

function grants(rules: PolicyRule[]): string[] {
  return rules.flatMap((r) => (r.apiGroups ?? []).flatMap((g) => (r.resources ?? []).flatMap((res) => r.verbs.map((v) => `${g} ${res} ${v}`)))).sort();
}

const clientAuth = '1.3.6.1.5.5.7.3.2';

describe('Helm chart: the attach API', () => {
  const objects = render();
  const name = `${release.name}-lxc-attach-operator-attach-api`;
  const sa = only(objects, 'ServiceAccount', '-attach-api');
  const boundTo = (b: Binding): boolean => b.subjects.some((s) => s.kind === 'ServiceAccount' && s.name === sa.metadata.name && s.namespace === release.namespace);
  const bindings = objects.filter((o) => (o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding') && boundTo(o as Binding)) as Binding[];
  const secret = (suffix: string) => (only(objects, 'Secret', suffix) as unknown as { data: Record<string, string> }).data;
  const pem = (data: Record<string, string>, key: string) => Buffer.from(data[key]!, 'base64').toString('utf8');

  it('binds the attach API to system:auth-delegator, the authentication reader in kube-system, and its own read role', () => {
    assert.deepEqual(bindings.map((b) => `${b.kind} ${b.metadata.namespace ?? ''} -> ${b.roleRef.kind} ${b.roleRef.name}`).sort(), [
      `ClusterRoleBinding  -> ClusterRole ${name}`,
      'ClusterRoleBinding  -> ClusterRole system:auth-delegator',
      'RoleBinding kube-system -> Role extension-apiserver-authentication-reader',
    ]);
    const own = only(objects, 'ClusterRole', '-attach-api') as unknown as { rules: PolicyRule[] };
    assert.deepEqual(grants(own.rules), ['lxcattach.io containerattaches get']);
  });

  it('adds containerattaches, containerattaches/attach (get, create) and the terminal page (get) to the built-in edit and admin roles, not view', () => {
    const role = only(objects, 'ClusterRole', '-attach-edit') as unknown as KubeObject & { rules: PolicyRule[] };
    assert.equal(role.metadata.labels?.['rbac.authorization.k8s.io/aggregate-to-edit'], 'true');
    assert.equal(role.metadata.labels?.['rbac.authorization.k8s.io/aggregate-to-admin'], 'true');
    assert.equal(role.metadata.labels?.['rbac.authorization.k8s.io/aggregate-to-view'], undefined);
    const g = grants(role.rules);
    for (const want of ['lxcattach.io containerattaches create', 'lxcattach.io containerattaches get',
      'subresources.lxcattach.io containerattaches/attach get', 'subresources.lxcattach.io containerattaches/attach create',
      'subresources.lxcattach.io terminal get']) {
      assert.ok(g.includes(want), want);
    }
    assert.equal(g.filter((x) => x.includes('/attach')).length, 2);
    assert.deepEqual(g.filter((x) => x.includes(' terminal ')), ['subresources.lxcattach.io terminal get'], 'the page is read, never written');
    assert.equal(render([], ['aggregatedRoles.enabled=false']).some((o) => o.metadata.name.endsWith('-attach-edit')), false);
  });

  it('runs two unprivileged replicas off the host network, behind a Service and a PodDisruptionBudget', () => {
    const d = only(objects, 'Deployment', '-attach-api') as unknown as KubeObject & {
      spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: {
        hostNetwork?: boolean; hostPID?: boolean; serviceAccountName: string; securityContext: { runAsNonRoot: boolean };
        containers: { args: string[]; securityContext: { privileged: boolean; allowPrivilegeEscalation: boolean; capabilities: { drop: string[] } } }[];
      } } };
    };
    const pod = d.spec.template;
    assert.equal(d.spec.replicas, 2);
    assert.equal(pod.spec.hostNetwork, false);
    assert.equal(pod.spec.hostPID, undefined);
    assert.equal(pod.spec.securityContext.runAsNonRoot, true);
    assert.equal(pod.spec.serviceAccountName, sa.metadata.name);
    const c = pod.spec.containers[0]!;
    assert.equal(c.args[0], 'attach-api');
    assert.deepEqual([c.securityContext.privileged, c.securityContext.allowPrivilegeEscalation, c.securityContext.capabilities.drop], [false, false, ['ALL']]);
    const svc = only(objects, 'Service', '-attach-api') as unknown as { spec: { selector: Record<string, string>; ports: { port: number }[] } };
    const pdb = only(objects, 'PodDisruptionBudget', '-attach-api') as unknown as { spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } } };
    for (const sel of [svc.spec.selector, pdb.spec.selector.matchLabels, d.spec.selector.matchLabels]) {
      for (const [k, v] of Object.entries(sel)) assert.equal(pod.metadata.labels[k], v, k);
    }
    assert.equal(svc.spec.ports[0]!.port, 443);
    assert.equal(pdb.spec.minAvailable, 1);
  });

  it('registers the APIService with a caBundle that verifies the serving certificate for the Service name', () => {
    const api = only(objects, 'APIService') as unknown as KubeObject & { spec: { group: string; version: string; caBundle: string; service: { name: string; namespace: string; port: number } } };
    assert.equal(api.metadata.name, 'v1alpha1.subresources.lxcattach.io');
    assert.deepEqual([api.spec.group, api.spec.version, api.spec.service], ['subresources.lxcattach.io', 'v1alpha1', { name, namespace: release.namespace, port: 443 }]);
    const ca = new X509Certificate(Buffer.from(api.spec.caBundle, 'base64'));
    const serving = new X509Certificate(pem(secret('-attach-api-serving'), 'tls.crt'));
    assert.ok(serving.verify(ca.publicKey), 'signed by the caBundle');
    assert.ok(serving.checkHost(`${name}.${release.namespace}.svc`), serving.subjectAltName);
  });

  it('gives the attach API a relay client certificate, and the agents only its CA', () => {
    const relay = secret('-attach-api-relay');
    const cert = new X509Certificate(pem(relay, 'tls.crt'));
    assert.ok(cert.verify(new X509Certificate(pem(relay, 'ca.crt')).publicKey));
    assert.ok(cert.keyUsage?.includes(clientAuth), `EKU ${cert.keyUsage?.join(',')}`);
    const ds = only(objects, 'DaemonSet') as unknown as { spec: { template: { spec: { volumes: { name: string; secret?: { secretName: string; items?: { key: string }[] } }[] } } } };
    const volume = ds.spec.template.spec.volumes.find((v) => v.secret?.secretName === `${name}-relay`);
    assert.deepEqual(volume?.secret?.items?.map((i) => i.key), ['ca.crt']);
  });

  it('sets requireAttachApi in the agent config, and refuses it without the attach API', () => {
    const cm = only(render([], ['agent.requireAttachApi=true']), 'ConfigMap', '-agent') as unknown as { data: Record<string, string> };
    assert.equal((parse(cm.data['config.yaml']!) as { requireAttachApi: boolean }).requireAttachApi, true);
    const r = helm(['template', release.name, chartDir, '--set', 'attachApi.enabled=false', '--set', 'agent.requireAttachApi=true']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /agent.requireAttachApi needs attachApi.enabled/);
  });

  it('lets cert-manager make the certificates and inject the CA when asked', () => {
    const cm = render([], ['attachApi.certManager.enabled=true']);
    assert.equal(cm.some((o) => o.kind === 'Secret'), false);
    const certs = cm.filter((o) => o.kind === 'Certificate') as unknown as { spec: { secretName: string; usages?: string[] } }[];
    assert.deepEqual(certs.map((c) => c.spec.secretName).sort(), [`${name}-ca`, `${name}-relay`, `${name}-serving`]);
    assert.ok(certs.find((c) => c.spec.secretName === `${name}-relay`)!.spec.usages!.includes('client auth'));
    const api = only(cm, 'APIService');
    assert.equal(api.metadata.annotations?.['cert-manager.io/inject-ca-from'], `${release.namespace}/${name}-serving`);
    assert.equal((api as unknown as { spec: { caBundle?: string } }).spec.caBundle, undefined);
  });
});
