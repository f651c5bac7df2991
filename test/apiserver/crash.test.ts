// Durability: writes acknowledged before a kill -9 of the server process survive the restart with
// their resourceVersions; a torn or corrupt log tail is detected and never served.
import assert from 'node:assert/strict';
import { openSync, readdirSync, statSync, writeSync, closeSync, ftruncateSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Proc, startApiServer, kubectlOk, waitFor } from '../support/processes.js';
import { repoPath } from '../support/paths.js';
import { endpointOf, fixtureCrd, request, startServer, tempDir } from './harness.js';

interface Item { metadata: { name: string; resourceVersion: string }; spec: { container: string } }

async function listCas(kubeconfig: string): Promise<{ rv: number; items: Item[] }> {
  const r = await request(endpointOf(kubeconfig), 'GET', '/apis/lxcattach.io/v1alpha1/namespaces/default/containerattaches');
  assert.equal(r.status, 200, r.body);
  const list = r.json<{ metadata: { resourceVersion: string }; items: Item[] }>();
  return { rv: Number(list.metadata.resourceVersion), items: list.items };
}

function lastWal(storeDir: string): string {
  const wals = readdirSync(storeDir).filter((f) => /^wal-\d+\.log$/.test(f)).sort();
  return path.join(storeDir, wals[wals.length - 1]!);
}

describe('API server durability', function () {
  this.timeout(120_000);

  it('keeps every acknowledged write across kill -9 (child processes: server and writer)', async () => {
    let s = await startApiServer(tempDir('crash'));
    try {
      kubectlOk(s.kubeconfig, ['apply', '-f', fixtureCrd]);
      kubectlOk(s.kubeconfig, ['wait', '--for=condition=Established', '--timeout=30s', 'crd/containerattaches.lxcattach.io']);
      await new Promise((r) => setTimeout(r, 2100)); // CR creates wait 2 s after establishment, as on a real server
      const writer = new Proc(process.execPath, [repoPath('dist/test/apiserver/fixtures/writer.js'), s.kubeconfig, 'w']);
      await waitFor('300 acknowledged writes', () => ((writer.stdout.match(/^ack /gm) ?? []).length >= 300 ? true : undefined), 60_000);
      s.proc.child.kill('SIGKILL');
      await s.proc.exited;
      await writer.exited;
      const acked = new Map<string, string>();
      for (const m of writer.stdout.matchAll(/^ack (\S+) (\d+)$/gm)) acked.set(m[1]!, m[2]!);
      assert.ok(acked.size >= 300);

      s = await startApiServer(s.dataDir);
      const { rv, items } = await listCas(s.kubeconfig);
      const byName = new Map(items.map((i) => [i.metadata.name, i]));
      for (const [name, ackRv] of acked) {
        const got = byName.get(name);
        assert.ok(got, `acknowledged ${name} is missing after the restart`);
        assert.equal(got.metadata.resourceVersion, ackRv, `${name} changed its resourceVersion`);
      }
      for (const i of items) {
        assert.equal(i.spec.container, `c-${i.metadata.name.slice(2)}`, `${i.metadata.name} is not what was written`);
        assert.ok(Number(i.metadata.resourceVersion) <= rv);
      }
      const r = await request(endpointOf(s.kubeconfig), 'POST', '/apis/lxcattach.io/v1alpha1/namespaces/default/containerattaches', {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ apiVersion: 'lxcattach.io/v1alpha1', kind: 'ContainerAttach', metadata: { name: 'after' }, spec: { container: 'x' } }),
      });
      assert.equal(r.status, 201, r.body);
      assert.ok(Number(r.json<Item>().metadata.resourceVersion) > rv, 'resourceVersions must keep increasing across restarts');
    } finally {
      await s.proc.stop();
    }
  });

  for (const damage of ['torn', 'corrupt'] as const) {
    it(`detects a ${damage} last record and never serves it`, async () => {
      let s = await startServer();
      const secret = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, stringData: { k: name } });
      const post = (name: string) => request(s, 'POST', '/api/v1/namespaces/default/secrets', { headers: { 'Content-Type': 'application/json' }, body: secret(name) });
      for (const n of ['s1', 's2']) assert.equal((await post(n)).status, 201);
      const wal = lastWal(path.join(s.dataDir, 'store'));
      const before = statSync(wal).size;
      assert.equal((await post('s3')).status, 201);
      await s.stop();
      const size = statSync(wal).size;
      const fd = openSync(wal, 'r+');
      if (damage === 'torn') {
        ftruncateSync(fd, before + Math.floor((size - before) / 2));
      } else {
        const mid = before + Math.floor((size - before) / 2);
        const b = readFileSync(wal).subarray(mid, mid + 1);
        writeSync(fd, Buffer.from([b[0]! ^ 0xff]), 0, 1, mid);
      }
      closeSync(fd);

      s = await startServer(s.dataDir);
      try {
        assert.ok(s.logs.some((l) => /discarded \d+ bytes at the end of wal-\d+\.log/.test(l)), s.logs.join('\n'));
        const names = (await request(s, 'GET', '/api/v1/namespaces/default/secrets')).json<{ items: Item[] }>().items.map((i) => i.metadata.name);
        assert.deepEqual(names, ['s1', 's2']);
        assert.equal((await request(s, 'GET', '/api/v1/namespaces/default/secrets/s3')).status, 404);
        assert.equal((await post('s4')).status, 201, 'the store accepts writes after cutting the tail');
      } finally {
        await s.stop();
      }
      s = await startServer(s.dataDir);
      try {
        const names = (await request(s, 'GET', '/api/v1/namespaces/default/secrets')).json<{ items: Item[] }>().items.map((i) => i.metadata.name);
        assert.deepEqual(names, ['s1', 's2', 's4']);
      } finally {
        await s.stop();
      }
    });
  }
});
