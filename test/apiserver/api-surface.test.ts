// Version, discovery as clients parse it, generateName, and the built-in kinds through the server
// (Lease create-on-update, Events shown by kubectl describe, events.k8s.io sharing core storage).
import assert from 'node:assert/strict';
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { applyCrd, fixtureCrd, Kubectl, request, startServer, type TestServer } from './harness.js';

const json = { 'Content-Type': 'application/json' };
const CAS = '/apis/lxcattach.io/v1alpha1/namespaces/default/containerattaches';

describe('API server surface', function () {
  this.timeout(60_000);
  let s: TestServer;
  let k: Kubectl;

  before(async () => {
    s = await startServer();
    k = new Kubectl(s.kubeconfig);
    await applyCrd(k, fixtureCrd);
    await new Promise((r) => setTimeout(r, 2100)); // CR writes wait 2 s after establishment, as on a real server
  });
  after(async () => { await s.stop(); });

  it('/version has every field, major 1 and minor 32', async () => {
    const v = (await request(s, 'GET', '/version')).json<Record<string, string>>();
    assert.deepEqual(Object.keys(v), ['major', 'minor', 'gitVersion', 'gitCommit', 'gitTreeState', 'buildDate', 'goVersion', 'compiler', 'platform']);
    assert.equal(v.major, '1');
    assert.equal(v.minor, '32');
  });

  it('answers aggregated discovery with the exact media type, and legacy discovery otherwise', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    const agg = await request(s, 'GET', '/apis', { headers: { Accept: accept } });
    assert.equal(agg.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const group = agg.json<{ items: Array<{ metadata: { name: string }; versions: Array<{ freshness: string; resources: Array<Record<string, unknown>> }> }> }>()
      .items.find((i) => i.metadata.name === 'lxcattach.io')!;
    const r = group.versions[0]!.resources[0]!;
    assert.equal(group.versions[0]!.freshness, 'Current');
    assert.deepEqual(r.responseKind, { group: 'lxcattach.io', version: 'v1alpha1', kind: 'ContainerAttach' });
    assert.equal(r.scope, 'Namespaced');
    assert.deepEqual(r.subresources, [{ subresource: 'status', responseKind: r.responseKind, verbs: ['get', 'patch', 'update'] }]);
    const again = await request(s, 'GET', '/apis', { headers: { Accept: accept, 'If-None-Match': String(agg.headers.etag) } });
    assert.equal(again.status, 304);
    const legacy = await request(s, 'GET', '/apis');
    assert.equal(legacy.json<{ kind: string }>().kind, 'APIGroupList');
    const list = (await request(s, 'GET', '/apis/lxcattach.io/v1alpha1')).json<{ resources: Array<{ name: string }> }>();
    assert.deepEqual(list.resources.map((x) => x.name), ['containerattaches', 'containerattaches/status']);
  });

  it('serves client-node KubernetesObjectApi (which resolves kinds from legacy discovery)', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(s.kubeconfig);
    const api = KubernetesObjectApi.makeApiClient(kc);
    const created = await api.create({ apiVersion: 'lxcattach.io/v1alpha1', kind: 'ContainerAttach', metadata: { name: 'objapi', namespace: 'default' }, spec: { container: 'c' } } as { apiVersion: string; kind: string; metadata: { name: string; namespace: string } });
    assert.equal(created.metadata!.name, 'objapi');
    const read = await api.read({ apiVersion: 'lxcattach.io/v1alpha1', kind: 'ContainerAttach', metadata: { name: 'objapi', namespace: 'default' } });
    assert.equal((read as unknown as { spec: { container: string } }).spec.container, 'c');
  });

  it('generates names with the apiserver alphabet', async () => {
    const r = await request(s, 'POST', CAS, { headers: json, body: JSON.stringify({ apiVersion: 'lxcattach.io/v1alpha1', kind: 'ContainerAttach', metadata: { generateName: 'gen-' }, spec: { container: 'c' } }) });
    assert.equal(r.status, 201, r.body);
    assert.match(r.json<{ metadata: { name: string } }>().metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('creates a Lease on PUT and prints its columns', async () => {
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l1', namespace: 'default' }, spec: { holderIdentity: 'node-a', leaseDurationSeconds: 15 } };
    const r = await request(s, 'PUT', '/apis/coordination.k8s.io/v1/namespaces/default/leases/l1', { headers: json, body: JSON.stringify(lease) });
    assert.equal(r.status, 201, r.body);
    const out = (await k.ok(['get', 'leases'])).split('\n');
    assert.match(out[0]!, /^NAME\s+HOLDER\s+AGE$/);
    assert.match(out[1]!, /^l1\s+node-a\s+\d+s$/);
  });

  it('shows Events about an object in kubectl describe, and in events.k8s.io', async () => {
    await k.ok(['create', '-f', '-'], 'apiVersion: lxcattach.io/v1alpha1\nkind: ContainerAttach\nmetadata: {name: ev}\nspec: {container: c}\n');
    const uid = await k.ok(['get', 'lxca', 'ev', '-o', 'jsonpath={.metadata.uid}']);
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const ev = {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'ev.1', namespace: 'default' },
      involvedObject: { apiVersion: 'lxcattach.io/v1alpha1', kind: 'ContainerAttach', name: 'ev', namespace: 'default', uid },
      reason: 'Attached', message: 'attached to c', type: 'Normal', source: { component: 'lxc-attach-agent' },
      firstTimestamp: now, lastTimestamp: now, count: 1,
    };
    const r = await request(s, 'POST', '/api/v1/namespaces/default/events', { headers: json, body: JSON.stringify(ev) });
    assert.equal(r.status, 201, r.body);
    const out = await k.ok(['describe', 'lxca', 'ev']);
    assert.match(out, /^Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n.*\n\s+Normal\s+Attached\s+\S+\s+lxc-attach-agent\s+attached to c$/m);
    const v1 = (await request(s, 'GET', '/apis/events.k8s.io/v1/namespaces/default/events')).json<{ items: Array<{ metadata: { name: string }; reason: string; note: string }> }>();
    const seen = v1.items.find((i) => i.metadata.name === 'ev.1')!;
    assert.equal(seen.reason, 'Attached');
    assert.equal(seen.note, 'attached to c');
  });

  it('expires Events an hour after their last write', async () => {
    await s.running.server.eventTtl.sweep(Date.now() + 59 * 60 * 1000);
    assert.equal((await request(s, 'GET', '/api/v1/namespaces/default/events/ev.1')).status, 200);
    await s.running.server.eventTtl.sweep(Date.now() + 61 * 60 * 1000);
    assert.equal((await request(s, 'GET', '/api/v1/namespaces/default/events/ev.1')).status, 404);
  });
});
