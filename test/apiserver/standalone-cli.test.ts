// `lxc-attach-agent standalone` as a process: files it makes, the kubeconfig, port reuse, SIGTERM.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { statSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { agentBin, startApiServer } from '../support/processes.js';
import { endpointOf, request, tempDir } from './harness.js';

describe('lxc-attach-agent standalone', function () {
  this.timeout(60_000);

  it('makes certificate, token and kubeconfig, keeps its port across restarts and stops cleanly on SIGTERM', async () => {
    const dir = tempDir('standalone');
    let s = await startApiServer(dir);
    const kc = parse(readFileSync(s.kubeconfig, 'utf8')) as {
      'current-context': string; clusters: Array<{ name: string; cluster: Record<string, string> }>;
      contexts: Array<{ name: string; context: { namespace: string; cluster: string; user: string } }>; users: Array<{ name: string; user: { token: string } }>;
    };
    const ctx = kc.contexts.find((c) => c.name === kc['current-context'])!;
    assert.equal(ctx.context.namespace, 'default');
    assert.match(kc.clusters[0]!.cluster.server!, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(Buffer.from(kc.clusters[0]!.cluster['certificate-authority-data']!, 'base64').toString(), /BEGIN CERTIFICATE/);
    assert.equal(kc.users[0]!.user.token, readFileSync(path.join(dir, 'token'), 'utf8').trim());
    assert.equal(statSync(path.join(dir, 'token')).mode & 0o777, 0o600);
    assert.equal(statSync(s.kubeconfig).mode & 0o777, 0o600);
    assert.match(s.proc.stdout, new RegExp(`kubeconfig written to ${s.kubeconfig}`));
    const first = endpointOf(s.kubeconfig);
    const cert = readFileSync(path.join(dir, 'apiserver.crt'), 'utf8');

    await s.proc.stop('SIGTERM');
    assert.deepEqual(await s.proc.exited, { code: 0, signal: null });
    s = await startApiServer(dir);
    try {
      const again = endpointOf(s.kubeconfig);
      assert.equal(again.url, first.url, 'port 0 takes the previous port again when it is free');
      assert.equal(again.token, first.token);
      assert.equal(readFileSync(path.join(dir, 'apiserver.crt'), 'utf8'), cert);
      assert.equal((await request(again, 'GET', '/api/v1/namespaces/default')).status, 200);
    } finally {
      await s.proc.stop('SIGTERM');
    }
    assert.equal((await s.proc.exited).code, 0);
  });

  it('says clearly that the in-process agent is not there yet without --no-agent', async () => {
    const dir = tempDir('standalone');
    const r = await promisify(execFile)(process.execPath, [agentBin, 'standalone', '--data-dir', dir, '--kubeconfig', path.join(dir, 'kc'), '--listen', '127.0.0.1:0'])
      .then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => e);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: running the node agent inside standalone is not implemented yet; start it with --no-agent/m);
  });
});
