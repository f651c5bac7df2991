// @kubernetes/client-node 1.4's server-side apply (KubernetesObjectApi.patch with
// PatchStrategy.ServerSideApply) against the API server: create on apply, a no-op re-apply, a
// conflict surfaced as the 409 Status, and force.
import assert from 'node:assert/strict';
import { ApiException, KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { startServerWithFixtureCrd, type TestServer } from './harness.js';

interface Attach extends KubernetesObject { spec: { container: string; command?: string[] } }

describe('client-node server-side apply against the API server', function () {
  this.timeout(60_000);
  let s: TestServer;
  let api: KubernetesObjectApi;

  before(async () => {
    s = await startServerWithFixtureCrd();
    const kc = new KubeConfig();
    kc.loadFromFile(s.kubeconfig);
    api = KubernetesObjectApi.makeApiClient(kc);
  });
  after(async () => { await s.stop(); });

  const attach = (container: string): Attach => ({
    apiVersion: 'lxcattach.io/v1alpha1', kind: 'ContainerAttach',
    metadata: { name: 'cn1', namespace: 'default' }, spec: { container, command: ['sh'] },
  });
  const apply = (o: Attach, manager: string, force = false) =>
    api.patch(o, undefined, undefined, manager, force, PatchStrategy.ServerSideApply) as Promise<Attach>;

  it('creates, re-applies without a write, conflicts with another manager, and forces', async () => {
    const created = await apply(attach('web1'), 'gitops');
    assert.equal(created.spec.container, 'web1');
    assert.deepEqual(created.metadata!.managedFields!.map((m) => `${m.manager} ${m.operation}`), ['gitops Apply']);
    const again = await apply(attach('web1'), 'gitops');
    assert.equal(again.metadata!.resourceVersion, created.metadata!.resourceVersion);

    const err = await apply(attach('web2'), 'other').then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof ApiException, String(err));
    assert.equal(err.code, 409);
    const body = JSON.parse(err.body as string) as { reason: string; message: string; details: { causes: Array<{ reason: string; field: string }> } };
    assert.equal(body.reason, 'Conflict');
    // spec.command is applied with the value it has: shared, not a conflict
    assert.equal(body.message, 'Apply failed with 1 conflict: conflict with "gitops": .spec.container');
    assert.deepEqual(body.details.causes.map((c) => `${c.reason} ${c.field}`), ['FieldManagerConflict .spec.container']);

    const forced = await apply(attach('web2'), 'other', true);
    assert.equal(forced.spec.container, 'web2');
    const owned = Object.fromEntries(forced.metadata!.managedFields!.map((m) => [m.manager, m.fieldsV1]));
    assert.deepEqual(owned, { gitops: { 'f:spec': { 'f:command': {} } }, other: { 'f:spec': { 'f:command': {}, 'f:container': {} } } });
  });
});
