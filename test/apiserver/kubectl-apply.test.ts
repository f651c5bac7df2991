// Server-side apply, kubectl diff and a missing CRD with the real kubectl 1.32, each asserting what a
// 1.32 cluster answers (conflict wording from k8s.io/apimachinery
// pkg/util/managedfields/internal/conflict.go; kubectl's own texts from k8s.io/kubectl).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyCrd, fixtureCrd, Kubectl, request, startServer, tempDir, type TestServer } from './harness.js';

const manifest = (container: string, extra = '') => `apiVersion: lxcattach.io/v1alpha1
kind: ContainerAttach
metadata:
  name: ssa1
  labels: {app: x}
spec:
  container: ${container}
  command: [sh, -c, "true"]
${extra}`;

describe('kubectl 1.32 server-side apply and diff against the API server', function () {
  this.timeout(60_000);
  let s: TestServer;
  let k: Kubectl;
  const dir = tempDir('kubectl-apply');
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const get = async (name: string) => JSON.parse(await k.ok(['get', 'lxca', name, '-o', 'json', '--show-managed-fields'])) as {
    metadata: { resourceVersion: string; managedFields?: Array<{ manager: string; operation: string; subresource?: string; fieldsV1: Record<string, unknown> }> };
    spec: Record<string, unknown>;
  };

  before(async () => {
    s = await startServer();
    k = new Kubectl(s.kubeconfig);
  });
  after(async () => { await s.stop(); });

  it('apply before the CRD exists gives kubectl\'s "no matches for kind ... ensure CRDs are installed first"', async () => {
    const f = file('early.yaml', manifest('web1'));
    for (const args of [['apply', '-f', f], ['apply', '--server-side', '-f', f]]) {
      const err = await k.fails(args);
      assert.match(err, /^error: resource mapping not found for name: "ssa1" namespace: "" from ".*early\.yaml": no matches for kind "ContainerAttach" in version "lxcattach\.io\/v1alpha1"\nensure CRDs are installed first$/m, err);
    }
  });

  it('applies twice: created, then a no-op with the same resourceVersion; managedFields name the applier', async () => {
    await applyCrd(k, fixtureCrd);
    await new Promise((r) => setTimeout(r, 2100));
    const f = file('ssa1.yaml', manifest('web1'));
    assert.equal((await k.ok(['apply', '--server-side', '-f', f])).trim(), 'containerattach.lxcattach.io/ssa1 serverside-applied');
    const first = await get('ssa1');
    assert.equal((await k.ok(['apply', '--server-side', '-f', f])).trim(), 'containerattach.lxcattach.io/ssa1 serverside-applied');
    const second = await get('ssa1');
    assert.equal(second.metadata.resourceVersion, first.metadata.resourceVersion, 'an unchanged apply writes nothing');
    assert.deepEqual(second.metadata.managedFields!.map((m) => `${m.manager} ${m.operation}`), ['kubectl Apply']);
    assert.deepEqual(second.metadata.managedFields![0]!.fieldsV1, {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': { 'f:command': {}, 'f:container': {} },
    });
  });

  it('a second manager changing an owned field gets the 409 conflict; --force-conflicts takes the field', async () => {
    const f = file('other.yaml', `apiVersion: lxcattach.io/v1alpha1
kind: ContainerAttach
metadata:
  name: ssa1
spec:
  container: web2
`);
    const err = await k.fails(['apply', '--server-side', '--field-manager=other', '-f', f]);
    assert.match(err, /^error: Apply failed with 1 conflict: conflict with "kubectl": \.spec\.container\nPlease review the fields above--they currently have other managers\./, err);
    const raw = await request(s, 'PATCH', '/apis/lxcattach.io/v1alpha1/namespaces/default/containerattaches/ssa1?fieldManager=other', {
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
      body: 'apiVersion: lxcattach.io/v1alpha1\nkind: ContainerAttach\nmetadata: {name: ssa1}\nspec: {container: web2, command: [bash]}\n',
    });
    assert.equal(raw.status, 409);
    assert.deepEqual(raw.json(), {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'Apply failed with 2 conflicts: conflicts with "kubectl":\n- .spec.command\n- .spec.container',
      reason: 'Conflict',
      details: { causes: [
        { reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.command' },
        { reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.container' },
      ] },
      code: 409,
    });

    assert.equal((await k.ok(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', f])).trim(), 'containerattach.lxcattach.io/ssa1 serverside-applied');
    const o = await get('ssa1');
    assert.equal(o.spec.container, 'web2');
    const owners = Object.fromEntries(o.metadata.managedFields!.map((m) => [m.manager, m.fieldsV1]));
    assert.deepEqual(owners.other, { 'f:spec': { 'f:container': {} } });
    assert.deepEqual(owners.kubectl, { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:command': {} } });
  });

  it('a field dropped from the applied manifest is removed unless another manager owns it', async () => {
    // kubectl no longer applies labels nor spec.container (owned by "other" now): the label goes,
    // the container stays
    const f = file('smaller.yaml', `apiVersion: lxcattach.io/v1alpha1
kind: ContainerAttach
metadata:
  name: ssa1
spec:
  container: web2
`);
    await k.ok(['apply', '--server-side', '-f', f]);
    const o = await get('ssa1');
    assert.equal((o.metadata as { labels?: unknown }).labels, undefined);
    assert.equal(o.spec.command, undefined);
    assert.equal(o.spec.container, 'web2');
  });

  it('Update operations record their managers: kubectl patch as "kubectl-patch", a request without fieldManager by its user agent', async () => {
    await k.ok(['patch', 'lxca', 'ssa1', '--type=merge', '-p', '{"spec":{"nodeName":"n1"}}']);
    const r = await request(s, 'PATCH', '/apis/lxcattach.io/v1alpha1/namespaces/default/containerattaches/ssa1', {
      headers: { 'Content-Type': 'application/merge-patch+json', 'User-Agent': 'my-controller/1.0 (linux)' },
      body: JSON.stringify({ metadata: { annotations: { a: 'b' } } }),
    });
    assert.equal(r.status, 200, r.body);
    const o = await get('ssa1');
    const byManager = Object.fromEntries(o.metadata.managedFields!.map((m) => [m.manager, m]));
    assert.equal(byManager['kubectl-patch']!.operation, 'Update');
    assert.deepEqual(byManager['kubectl-patch']!.fieldsV1, { 'f:spec': { 'f:nodeName': {} } });
    assert.deepEqual(byManager['my-controller']!.fieldsV1, { 'f:metadata': { 'f:annotations': { '.': {}, 'f:a': {} } } });
  });

  it('applies to the status subresource: status owned there, spec untouched, the main endpoint never owning status', async () => {
    const url = '/apis/lxcattach.io/v1alpha1/namespaces/default/containerattaches/ssa1/status?fieldManager=agent';
    const r = await request(s, 'PATCH', url, {
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
      body: JSON.stringify({ apiVersion: 'lxcattach.io/v1alpha1', kind: 'ContainerAttach', metadata: { name: 'ssa1' }, spec: { container: 'ignored' }, status: { phase: 'Running' } }),
    });
    assert.equal(r.status, 200, r.body);
    const o = await get('ssa1') as Awaited<ReturnType<typeof get>> & { status: { phase: string } };
    assert.equal(o.status.phase, 'Running');
    assert.equal(o.spec.container, 'web2');
    const agent = o.metadata.managedFields!.find((m) => m.manager === 'agent')!;
    assert.equal(agent.subresource, 'status');
    assert.deepEqual(agent.fieldsV1, { 'f:status': { 'f:phase': {} } });
    const missing = await request(s, 'PATCH', url.replace('ssa1', 'nope'), { headers: { 'Content-Type': 'application/apply-patch+yaml' }, body: '{"apiVersion":"lxcattach.io/v1alpha1","kind":"ContainerAttach","metadata":{"name":"nope"}}' });
    assert.equal(missing.status, 404, 'apply through /status does not create');
  });

  it('applies the built-in kinds and the CRD itself; unchanged re-applies keep the resourceVersion', async () => {
    const f = file('builtins.yaml', `apiVersion: v1
kind: Namespace
metadata:
  name: ssa-ns
  labels: {team: a}
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: ssa-lease
spec:
  holderIdentity: me
  leaseDurationSeconds: 10
---
apiVersion: v1
kind: Secret
metadata:
  name: ssa-secret
  finalizers: [example.com/keep]
data:
  d: YQ==
`);
    assert.equal((await k.ok(['apply', '--server-side', '-f', f])).trim(), 'namespace/ssa-ns serverside-applied\nlease.coordination.k8s.io/ssa-lease serverside-applied\nsecret/ssa-secret serverside-applied');
    const rvs = async () => (await k.ok(['get', 'ns/ssa-ns', 'lease/ssa-lease', 'secret/ssa-secret', '-o', 'jsonpath={.items[*].metadata.resourceVersion}'])).trim();
    const before = await rvs();
    await k.ok(['apply', '--server-side', '-f', f]);
    assert.equal(await rvs(), before);
    const secret = JSON.parse(await k.ok(['get', 'secret/ssa-secret', '-o', 'json', '--show-managed-fields'])) as { metadata: { managedFields: Array<{ fieldsV1: unknown }> } };
    assert.deepEqual(secret.metadata.managedFields[0]!.fieldsV1, { 'f:data': { 'f:d': {} }, 'f:metadata': { 'f:finalizers': { 'v:"example.com/keep"': {} } } });
    await k.ok(['patch', 'secret/ssa-secret', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);

    assert.match(await k.ok(['apply', '--server-side', '-f', fixtureCrd]), /customresourcedefinition.apiextensions.k8s.io\/containerattaches.lxcattach.io serverside-applied/);
    const crd = JSON.parse(await k.ok(['get', 'crd/containerattaches.lxcattach.io', '-o', 'json', '--show-managed-fields'])) as { metadata: { managedFields: Array<{ manager: string; operation: string; fieldsV1: { 'f:spec': Record<string, unknown> } }> } };
    const applied = crd.metadata.managedFields.find((m) => m.manager === 'kubectl' && m.operation === 'Apply')!;
    assert.deepEqual(Object.keys(applied.fieldsV1['f:spec']), ['f:group', 'f:names', 'f:scope', 'f:versions']);
  });

  it('moves from client-side to server-side apply without conflicts (lastappliedmanager.go)', async () => {
    const csa = file('csa.yaml', manifest('web1').replace('ssa1', 'csa1'));
    await k.ok(['apply', '-f', csa]);
    const changed = file('csa2.yaml', manifest('web3').replace('ssa1', 'csa1'));
    assert.equal((await k.ok(['apply', '--server-side', '-f', changed])).trim(), 'containerattach.lxcattach.io/csa1 serverside-applied');
    const o = JSON.parse(await k.ok(['get', 'lxca', 'csa1', '-o', 'json'])) as { spec: { container: string }; metadata: { annotations: Record<string, string> } };
    assert.equal(o.spec.container, 'web3');
    assert.match(o.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']!, /"container":"web3"/);
    // and back: a client-side apply computes its patch from the annotation the server kept current
    assert.equal((await k.ok(['apply', '-f', csa])).trim(), 'containerattach.lxcattach.io/csa1 configured');
    assert.equal((JSON.parse(await k.ok(['get', 'lxca', 'csa1', '-o', 'json'])) as { spec: { container: string } }).spec.container, 'web1');
  });

  it('kubectl diff exits 0 for an unchanged object and 1 for a changed one', async () => {
    // created without annotations: kubectl diff's dry-run patch sends `annotations: {}`, which
    // ObjectMeta drops on a real server (customresource_handler.go unstructuredSchemaCoercer)
    const f = file('diffed.yaml', manifest('web1').replace('ssa1', 'diffed'));
    await k.ok(['create', '-f', f]);
    const same = await k.run(['diff', '-f', f]);
    assert.equal(same.code, 0, same.stdout + same.stderr);
    assert.equal(same.stdout, '');
    const changed = await k.run(['diff', '-f', file('diffed2.yaml', manifest('web9').replace('ssa1', 'diffed'))]);
    assert.equal(changed.code, 1, changed.stderr);
    assert.match(changed.stdout, /^- {2}container: web1$/m);
    assert.match(changed.stdout, /^\+ {2}container: web9$/m);
    const serverSide = await k.run(['diff', '--server-side', '--force-conflicts', '-f', f]);
    assert.equal(serverSide.code, 0, serverSide.stdout + serverSide.stderr);
  });
});
