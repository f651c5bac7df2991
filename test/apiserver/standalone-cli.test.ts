// `lxc-attach-agent standalone` as a process: files it makes, the kubeconfig, port reuse, SIGTERM.
import assert from 'node:assert/strict';
import { statSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { startApiServer, waitFor } from '../support/processes.js';
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
    // The line follows the file: the server may already answer before it is printed.
    await waitFor('the kubeconfig line', () => (s.proc.stdout.includes(`kubeconfig written to ${s.kubeconfig}`) ? true : undefined));
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

});
