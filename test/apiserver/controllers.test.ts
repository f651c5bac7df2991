// The in-process controllers: garbage collection by ownerReferences (background, foreground,
// orphan), namespace deletion, CRD establishment and CRD deletion.
import assert from 'node:assert/strict';
import { fixtureCrd, Kubectl, applyCrd, request, startServer, waitUntil, type TestServer } from './harness.js';

const json = { 'Content-Type': 'application/json' };
const secrets = (ns = 'default') => `/api/v1/namespaces/${ns}/secrets`;

describe('API server controllers', function () {
  this.timeout(30_000);
  let s: TestServer;

  before(async () => { s = await startServer(); });
  after(async () => { await s.stop(); });

  const create = async (name: string, owner?: { name: string; uid: string; block?: boolean }, ns = 'default', finalizers?: string[]) => {
    const metadata: Record<string, unknown> = { name };
    if (owner) metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Secret', name: owner.name, uid: owner.uid, blockOwnerDeletion: owner.block ?? false }];
    if (finalizers) metadata.finalizers = finalizers;
    const r = await request(s, 'POST', secrets(ns), { headers: json, body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata }) });
    assert.equal(r.status, 201, r.body);
    return r.json<{ metadata: { name: string; uid: string } }>().metadata;
  };
  const exists = async (name: string, ns = 'default') => (await request(s, 'GET', `${secrets(ns)}/${name}`)).status === 200;
  const del = async (name: string, policy?: string) => {
    const r = await request(s, 'DELETE', `${secrets()}/${name}`, { headers: json, body: policy ? JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: policy }) : undefined });
    assert.equal(r.status, 200, r.body);
    return r.json<{ kind: string; status?: string; metadata?: { finalizers?: string[]; deletionTimestamp?: string } }>();
  };

  it('background deletion: dependents of a deleted owner are collected', async () => {
    const owner = await create('owner-bg');
    await create('dep-bg', owner);
    const r = await del('owner-bg', 'Background');
    assert.equal(r.kind, 'Status');
    assert.equal(r.status, 'Success');
    await waitUntil('dependent collected', async () => !(await exists('dep-bg')) || undefined);
  });

  it('a dependent created for an owner that is already gone is collected too', async () => {
    await create('dep-dangling', { name: 'ghost', uid: '00000000-0000-0000-0000-000000000000' });
    await waitUntil('dangling dependent collected', async () => !(await exists('dep-dangling')) || undefined);
  });

  it('foreground deletion: the owner waits for its blocking dependents', async () => {
    const owner = await create('owner-fg');
    await create('dep-fg', { ...owner, block: true }, 'default', ['example.com/hold']);
    const r = await del('owner-fg', 'Foreground');
    assert.deepEqual(r.metadata!.finalizers, ['foregroundDeletion']);
    await waitUntil('dependent being deleted', async () => {
      const d = await request(s, 'GET', `${secrets()}/dep-fg`);
      return d.json<{ metadata: { deletionTimestamp?: string } }>().metadata.deletionTimestamp !== undefined || undefined;
    });
    assert.ok(await exists('owner-fg'), 'the owner stays while a blocking dependent exists');
    const p = await request(s, 'PATCH', `${secrets()}/dep-fg`, { headers: { 'Content-Type': 'application/merge-patch+json' }, body: '{"metadata":{"finalizers":null}}' });
    assert.equal(p.status, 200, p.body);
    await waitUntil('owner gone', async () => !(await exists('owner-fg')) || undefined);
  });

  it('orphan deletion: dependents lose the owner reference and stay', async () => {
    const owner = await create('owner-or');
    await create('dep-or', owner);
    await del('owner-or', 'Orphan');
    await waitUntil('owner gone', async () => !(await exists('owner-or')) || undefined);
    const d = await request(s, 'GET', `${secrets()}/dep-or`);
    assert.equal(d.status, 200);
    assert.equal(d.json<{ metadata: { ownerReferences?: unknown } }>().metadata.ownerReferences, undefined);
  });

  it('namespace deletion empties the namespace, then removes it', async () => {
    const ns = await request(s, 'POST', '/api/v1/namespaces', { headers: json, body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gone' } }) });
    assert.equal(ns.status, 201, ns.body);
    await create('inside', undefined, 'gone');
    const d = await request(s, 'DELETE', '/api/v1/namespaces/gone');
    assert.equal(d.status, 200);
    const body = d.json<{ kind: string; status: { phase: string } }>();
    assert.equal(body.kind, 'Namespace', 'deleting a namespace returns the namespace');
    assert.equal(body.status.phase, 'Terminating');
    await waitUntil('namespace removed', async () => (await request(s, 'GET', '/api/v1/namespaces/gone')).status === 404 || undefined);
    assert.equal(await exists('inside', 'gone'), false);
  });

  it('establishes a CRD after the create response, and serves its resources only then', async () => {
    const k = new Kubectl(s.kubeconfig);
    const created = await k.ok(['create', '-f', fixtureCrd, '-o', 'json']);
    const crd = JSON.parse(created) as { status: { conditions: unknown[] } };
    assert.deepEqual(crd.status.conditions, [], 'no condition is set within the create call');
    // The controller establishes the CRD moments after the create; on a loaded machine that can
    // happen before this request arrives. Then the CRD must say Established; when the request
    // comes first (the usual case), it must find no resources.
    const early = await request(s, 'GET', '/apis/lxcattach.io/v1alpha1/namespaces/default/containerattaches');
    if (early.status !== 404) {
      assert.equal(early.status, 200);
      const now = JSON.parse(await k.ok(['get', 'crd', 'containerattaches.lxcattach.io', '-o', 'json'])) as { status: { conditions: Array<Record<string, string>> } };
      assert.ok(now.status.conditions.some((c) => c.type === 'Established' && c.status === 'True'), 'resources served before the CRD was Established');
    }
    await k.ok(['wait', '--for=condition=Established', '--timeout=30s', 'crd/containerattaches.lxcattach.io']);
    const got = JSON.parse(await k.ok(['get', 'crd', 'containerattaches.lxcattach.io', '-o', 'json'])) as { status: { conditions: Array<Record<string, string>>; acceptedNames: { kind: string } } };
    const names = got.status.conditions.find((c) => c.type === 'NamesAccepted')!;
    const est = got.status.conditions.find((c) => c.type === 'Established')!;
    assert.deepEqual([names.status, names.reason, names.message], ['True', 'NoConflicts', 'no conflicts found']);
    assert.deepEqual([est.status, est.reason, est.message], ['True', 'InitialNamesAccepted', 'the initial names have been accepted']);
    assert.equal(got.status.acceptedNames.kind, 'ContainerAttach');
    assert.equal((await request(s, 'GET', '/apis/lxcattach.io/v1alpha1/namespaces/default/containerattaches')).status, 200);
    assert.match(await k.ok(['patch', 'crd', 'containerattaches.lxcattach.io', '-p', '{"metadata":{"labels":{"x":"y"}}}']), /patched/);
  });

  it('deleting a CRD deletes its custom resources, then the CRD and its API', async () => {
    const k = new Kubectl(s.kubeconfig);
    await applyCrd(k, fixtureCrd);
    await k.ok(['create', '-f', '-'], 'apiVersion: lxcattach.io/v1alpha1\nkind: ContainerAttach\nmetadata: {name: c1}\nspec: {container: x}\n');
    await k.ok(['delete', 'crd', 'containerattaches.lxcattach.io', '--timeout=20s']);
    assert.equal((await request(s, 'GET', '/apis/lxcattach.io/v1alpha1/namespaces/default/containerattaches')).status, 404);
    assert.equal((await request(s, 'GET', '/apis/lxcattach.io/v1alpha1')).status, 404);
  });
});
