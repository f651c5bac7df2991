// The black-box checks of the fidelity reference with the real kubectl 1.32, each asserting what a
// real 1.32 cluster answers, against the test CRD and against the project's CRD.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixtureCrd, Kubectl, kubectlBin, projectCrd, startServer, tempDir, waitUntil, type TestServer } from './harness.js';

interface Variant { name: string; crd: string; wideColumns: string[] }

const variants: Variant[] = [
  { name: 'test CRD', crd: fixtureCrd, wideColumns: ['EXIT'] },
  { name: 'project CRD', crd: projectCrd, wideColumns: ['MODE', 'REASON'] },
];

const ca = (name: string, extra = '') => `apiVersion: lxcattach.io/v1alpha1
kind: ContainerAttach
metadata:
  name: ${name}
  labels: {app: x}
spec:
  container: web1
${extra}`;

for (const v of variants) {
  describe(`kubectl 1.32 against the API server (${v.name})`, function () {
    this.timeout(60_000);
    let s: TestServer;
    let k: Kubectl;
    const dir = tempDir('fidelity');
    const file = (name: string, text: string) => {
      const p = path.join(dir, name);
      writeFileSync(p, text);
      return p;
    };

    before(async () => {
      s = await startServer();
      k = new Kubectl(s.kubeconfig);
    });
    after(async () => { await s.stop(); });

    it('1: kubectl version reports server minor 32', async () => {
      const out = JSON.parse(await k.ok(['version', '-o', 'json'])) as { serverVersion: { major: string; minor: string; gitVersion: string } };
      assert.equal(out.serverVersion.major, '1');
      assert.equal(out.serverVersion.minor, '32');
      assert.match(out.serverVersion.gitVersion, /^v1\.32\.\d+/);
    });

    it('3: apply of the CRD then wait --for=condition=Established prints condition met', async () => {
      assert.match(await k.ok(['apply', '-f', v.crd]), /customresourcedefinition.apiextensions.k8s.io\/containerattaches.lxcattach.io created/);
      assert.match(await k.ok(['wait', '--for=condition=Established', '--timeout=30s', 'crd/containerattaches.lxcattach.io']),
        /customresourcedefinition.apiextensions.k8s.io\/containerattaches.lxcattach.io condition met/);
    });

    it('2: api-resources lists the CRD from aggregated discovery (only GET /api and /apis)', async () => {
      const fresh = new Kubectl(s.kubeconfig);
      const r = await fresh.run(['-v=6', 'api-resources', '--api-group=lxcattach.io']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^containerattaches\s+lxca\s+lxcattach\.io\/v1alpha1\s+true\s+ContainerAttach$/m);
      const gets = [...r.stderr.matchAll(/GET https:\/\/[^/]+(\/[^? ]*)/g)].map((m) => m[1]);
      assert.deepEqual([...new Set(gets)].sort(), ['/api', '/apis']);
    });

    it('4: an unknown field is a strict decoding error (kubectl sends fieldValidation=Strict)', async () => {
      const f = file('bogus.yaml', ca('bogus', '  bogusField: 1\n'));
      const err = await k.fails(['apply', '-f', f]);
      assert.ok(err.includes(`Error from server (BadRequest): error when creating "${f}": ContainerAttach in version "v1alpha1" cannot be handled as a ContainerAttach: strict decoding error: unknown field "spec.bogusField"`), err);
    });

    it('5: with --validate=warn it succeeds with a warning and the field is pruned', async () => {
      const f = file('bogus.yaml', ca('bogus', '  bogusField: 1\n'));
      const r = await k.run(['apply', '--validate=warn', '-f', f]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /Warning: unknown field "spec.bogusField"/);
      assert.equal(await k.ok(['get', 'containerattaches', 'bogus', '-o', 'jsonpath={.spec.bogusField}']), '');
    });

    it('6: a second create is AlreadyExists', async () => {
      const f = file('a1.yaml', ca('a1'));
      await k.ok(['create', '-f', f]);
      const err = await k.fails(['create', '-f', f]);
      assert.ok(err.includes(`Error from server (AlreadyExists): error when creating "${f}": containerattaches.lxcattach.io "a1" already exists`), err);
    });

    it('7: a missing object is NotFound', async () => {
      assert.match(await k.fails(['get', 'lxca', 'nope']), /^Error from server \(NotFound\): containerattaches.lxcattach.io "nope" not found$/m);
    });

    it('8: replace with a stale resourceVersion is a Conflict', async () => {
      const stale = await k.ok(['get', 'lxca', 'a1', '-o', 'json']);
      await k.ok(['label', 'lxca', 'a1', 'touched=yes']);
      const err = await k.fails(['replace', '-f', file('stale.json', stale)]);
      assert.match(err, /\(Conflict\)/);
      assert.match(err, /the object has been modified; please apply your changes to the latest version and try again/);
    });

    it('9: PUT without resourceVersion is 422 for a CR, accepted for a Secret', async () => {
      const obj = JSON.parse(await k.ok(['get', 'lxca', 'a1', '-o', 'json'])) as { metadata: Record<string, unknown> };
      delete obj.metadata.resourceVersion;
      const err = await k.fails(['replace', '--raw', '/apis/lxcattach.io/v1alpha1/namespaces/default/containerattaches/a1', '-f', file('norv.json', JSON.stringify(obj))]);
      assert.match(err, /metadata.resourceVersion: Invalid value: 0: must be specified for an update/);
      await k.ok(['create', '-f', file('sec.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: {name: s0}\nstringData: {a: b}\n')]);
      const sec = JSON.parse(await k.ok(['get', 'secret', 's0', '-o', 'json'])) as { metadata: Record<string, unknown>; data: Record<string, string> };
      delete sec.metadata.resourceVersion;
      sec.data.c = Buffer.from('d').toString('base64');
      const out = await k.ok(['replace', '--raw', '/api/v1/namespaces/default/secrets/s0', '-f', file('secnorv.json', JSON.stringify(sec))]);
      assert.equal((JSON.parse(out) as { data: Record<string, string> }).data.c, 'ZA==');
    });

    it('10: strategic merge patch on a CR is 415 with the accepted types', async () => {
      const err = await k.fails(['patch', 'lxca', 'a1', '-p', '{"spec":{"x":1}}']);
      assert.ok(err.includes('error: application/strategic-merge-patch+json is not supported by lxcattach.io/v1alpha1, Kind=ContainerAttach: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml'), err);
    });

    it('11: a failed JSON patch test is the generic 422', async () => {
      const err = await k.fails(['patch', 'lxca', 'a1', '--type=json', '-p', '[{"op":"test","path":"/spec/container","value":"no"}]']);
      assert.match(err, /^The request is invalid: the server rejected our request due to an error in our request$/m);
    });

    it('12: a status patch changes status only', async () => {
      const before = JSON.parse(await k.ok(['get', 'lxca', 'a1', '-o', 'json'])) as { metadata: { generation: number } };
      await k.ok(['patch', 'lxca', 'a1', '--subresource=status', '--type=merge', '-p', '{"status":{"phase":"Running"},"spec":{"container":"zz"}}']);
      const after = JSON.parse(await k.ok(['get', 'lxca', 'a1', '-o', 'json'])) as { spec: { container: string }; status: { phase: string }; metadata: { generation: number } };
      assert.equal(after.status.phase, 'Running');
      assert.equal(after.spec.container, 'web1');
      assert.equal(after.metadata.generation, before.metadata.generation);
    });

    it('13: a status change through the main endpoint is a no-op (patched (no change), same RV)', async () => {
      const rv = await k.ok(['get', 'lxca', 'a1', '-o', 'jsonpath={.metadata.resourceVersion}']);
      assert.match(await k.ok(['patch', 'lxca', 'a1', '--type=merge', '-p', '{"status":{"phase":"Failed"}}']), /containerattach.lxcattach.io\/a1 patched \(no change\)/);
      assert.equal(await k.ok(['get', 'lxca', 'a1', '-o', 'jsonpath={.metadata.resourceVersion}']), rv);
    });

    it('14: get shows printer columns, -o wide the priority ones, -A --show-labels fills NAMESPACE and LABELS', async () => {
      const plain = (await k.ok(['get', 'lxca'])).split('\n');
      assert.match(plain[0]!, /^NAME\s+NODE\s+CONTAINER\s+PHASE\s+EXIT\s+AGE$|^NAME\s+NODE\s+CONTAINER\s+PHASE\s+AGE$/);
      assert.match(plain.find((l) => l.startsWith('a1 '))!, /^a1\s+web1\s+Running\s+(\S+\s+)?\d+s$/);
      const wide = (await k.ok(['get', 'lxca', '-o', 'wide'])).split('\n')[0]!;
      for (const c of v.wideColumns) assert.ok(wide.includes(c), wide);
      const all = (await k.ok(['get', 'lxca', '-A', '--show-labels'])).split('\n');
      assert.match(all[0]!, /^NAMESPACE\s+NAME\s.*LABELS$/);
      assert.match(all.find((l) => /\sa1\s/.test(l))!, /^default\s+a1\s.*app=x,touched=yes$/);
    });

    it('15: field selectors: unsupported label is 400, a selectable field and set-based labels filter', async () => {
      const err = await k.fails(['get', 'lxca', '--field-selector', 'spec.foo=x']);
      assert.ok(err.includes('Unable to find "lxcattach.io/v1alpha1, Resource=containerattaches" that match label selector "", field selector "spec.foo=x": field label not supported: spec.foo'), err);
      await k.ok(['create', '-f', file('a2.yaml', ca('a2').replace('web1', 'web2').replace('{app: x}', '{app: yy, skip: "1"}'))]);
      await k.ok(['create', '-f', file('a3.yaml', ca('a3').replace('web1', 'web2').replace('{app: x}', '{app: z}'))]);
      assert.equal(await k.ok(['get', 'lxca', '--field-selector', 'spec.container=web2', '-o', 'jsonpath={.items[*].metadata.name}']), 'a2 a3');
      assert.equal(await k.ok(['get', 'lxca', '-l', 'app in (x,yy),!skip', '-o', 'jsonpath={.items[*].metadata.name}']), 'a1 bogus');
      assert.equal(await k.ok(['get', 'lxca', '-l', 'app notin (x),touched!=no', '-o', 'jsonpath={.items[*].metadata.name}']), 'a2 a3');
    });

    it('16: built-in list items carry no kind, CR list items do', async () => {
      const secrets = JSON.parse(await k.ok(['get', '--raw', '/api/v1/namespaces/default/secrets'])) as { items: object[] };
      assert.equal('kind' in secrets.items[0]!, false);
      const cas = JSON.parse(await k.ok(['get', '--raw', '/apis/lxcattach.io/v1alpha1/namespaces/default/containerattaches'])) as { items: object[] };
      assert.equal('kind' in cas.items[0]!, true);
    });

    it('17: finalizers: deletionTimestamp, grace 0, generation +1; no new finalizers; emptying them deletes', async () => {
      await k.ok(['create', '-f', file('f1.yaml', ca('f1').replace('  labels: {app: x}\n', '  finalizers: [example.com/keep]\n'))]);
      assert.match(await k.ok(['delete', 'lxca', 'f1', '--wait=false']), /containerattach.lxcattach.io "f1" deleted/);
      const o = JSON.parse(await k.ok(['get', 'lxca', 'f1', '-o', 'json'])) as { metadata: { deletionTimestamp?: string; deletionGracePeriodSeconds?: number; generation: number } };
      assert.match(o.metadata.deletionTimestamp!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(o.metadata.deletionGracePeriodSeconds, 0);
      assert.equal(o.metadata.generation, 2);
      const err = await k.fails(['patch', 'lxca', 'f1', '--type=merge', '-p', '{"metadata":{"finalizers":["example.com/keep","example.com/more"]}}']);
      assert.ok(err.includes('metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/more"}'), err);
      await k.ok(['patch', 'lxca', 'f1', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
      assert.match(await k.fails(['get', 'lxca', 'f1']), /NotFound/);
    });

    it('18: a watch from an expired resourceVersion gets one ERROR 410 Expired event, then ends', async () => {
      const r = await k.run(['get', '--raw', '/apis/lxcattach.io/v1alpha1/namespaces/default/containerattaches?watch=1&resourceVersion=1']);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trim().split('\n');
      assert.equal(lines.length, 1);
      const ev = JSON.parse(lines[0]!) as { type: string; object: { kind: string; code: number; reason: string; message: string } };
      assert.equal(ev.type, 'ERROR');
      assert.equal(ev.object.kind, 'Status');
      assert.equal(ev.object.code, 410);
      assert.equal(ev.object.reason, 'Expired');
      assert.match(ev.object.message, /^too old resource version: 1 \(\d+\)$/);
    });

    it('19: --dry-run=server returns a uid and no resourceVersion, and stores nothing', async () => {
      const out = await k.ok(['create', '-f', file('dry.yaml', ca('dry')), '--dry-run=server', '-o', 'jsonpath={.metadata.uid}|{.metadata.resourceVersion}']);
      assert.match(out, /^[0-9a-f-]{36}\|$/);
      assert.match(await k.fails(['get', 'lxca', 'dry']), /NotFound/);
    });

    it('20: protobuf requests (secret, auth can-i, namespace) and namespace deletion', async () => {
      assert.match(await k.ok(['create', 'secret', 'generic', 's1', '--from-literal=a=b']), /secret\/s1 created/);
      assert.equal((await k.ok(['auth', 'can-i', 'list', 'containerattaches'])).trim(), 'yes');
      assert.match(await k.ok(['create', 'ns', 't']), /namespace\/t created/);
      await k.ok(['create', '-n', 't', '-f', file('held.yaml', ca('held').replace('  labels: {app: x}\n', '  finalizers: [example.com/hold]\n'))]);
      await k.ok(['delete', 'ns', 't', '--wait=false']);
      await waitUntil('namespace t Terminating', async () => (await k.ok(['get', 'ns', 't', '-o', 'jsonpath={.status.phase}'])) === 'Terminating' || undefined);
      const err = await k.fails(['create', '-n', 't', '-f', file('late.yaml', ca('late'))]);
      assert.ok(err.includes('is forbidden: unable to create new content in namespace t because it is being terminated'), err);
      await k.ok(['patch', '-n', 't', 'lxca', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
      await waitUntil('namespace t gone', async () => (await k.run(['get', 'ns', 't'])).code !== 0 || undefined);
      const delDefault = await k.fails(['delete', 'ns', 'default']);
      assert.match(delDefault, /Error from server \(Forbidden\): namespaces "default" is forbidden: this namespace may not be deleted/);
    });

    it('apply twice is unchanged, then configured after an edit', async () => {
      const f = file('ap.yaml', ca('ap'));
      assert.match(await k.ok(['apply', '-f', f]), /containerattach.lxcattach.io\/ap created/);
      assert.match(await k.ok(['apply', '-f', f]), /containerattach.lxcattach.io\/ap unchanged/);
      writeFileSync(f, ca('ap').replace('{app: x}', '{app: x, extra: "1"}'));
      assert.match(await k.ok(['apply', '-f', f]), /containerattach.lxcattach.io\/ap configured/);
      assert.equal(await k.ok(['get', 'lxca', 'ap', '-o', 'jsonpath={.metadata.labels.extra}']), '1');
    });

    it('get -w prints the rows of changes as they happen', async () => {
      const child = spawn(kubectlBin, ['get', 'lxca', '-w', '--request-timeout=0'], {
        env: { PATH: process.env.PATH, HOME: k.home, KUBECONFIG: s.kubeconfig },
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      try {
        await waitUntil('initial rows', () => out.includes('a1 ') || undefined);
        await k.ok(['create', '-f', file('w1.yaml', ca('w1').replace('web1', 'watched'))]);
        await waitUntil('the new row', () => /^w1\s+.*watched/m.test(out) || undefined);
      } finally {
        child.kill();
      }
      assert.match(out.split('\n')[0]!, /^NAME\s+/);
    });

    it('wait --for=condition=Ready returns once a status condition is set', async () => {
      const waiting = k.run(['wait', '--for=condition=Ready', '--timeout=20s', 'lxca/a1']);
      await new Promise((r) => setTimeout(r, 500));
      const cond = { type: 'Ready', status: 'True', reason: 'Test', message: 'ready', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
      await k.ok(['patch', 'lxca', 'a1', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { conditions: [cond] } })]);
      const r = await waiting;
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /containerattach.lxcattach.io\/a1 condition met/);
    });

    it('describe shows metadata, spec and status', async () => {
      const out = await k.ok(['describe', 'lxca', 'a1']);
      assert.match(out, /^Name:\s+a1$/m);
      assert.match(out, /^Namespace:\s+default$/m);
      assert.match(out, /^Labels:\s+app=x$/m);
      assert.match(out, /^API Version:\s+lxcattach.io\/v1alpha1$/m);
      assert.match(out, /^Kind:\s+ContainerAttach$/m);
      assert.match(out, /Container:\s+web1/);
      assert.match(out, /Phase:\s+Running/);
    });

    it('delete --wait returns once the finalizer is removed', async () => {
      await k.ok(['create', '-f', file('dw.yaml', ca('dw').replace('  labels: {app: x}\n', '  finalizers: [example.com/keep]\n'))]);
      const deleting = k.run(['delete', 'lxca', 'dw', '--wait=true', '--timeout=20s']);
      await waitUntil('deletionTimestamp', async () => (await k.ok(['get', 'lxca', 'dw', '-o', 'jsonpath={.metadata.deletionTimestamp}'])) || undefined);
      let settled = false;
      void deleting.then(() => (settled = true));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(settled, false, 'delete --wait returned while the finalizer was still there');
      await k.ok(['patch', 'lxca', 'dw', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
      const r = await deleting;
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /containerattach.lxcattach.io "dw" deleted/);
    });
  });
}
