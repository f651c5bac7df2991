// Standalone mode as a user starts it: one command, and kubectl and the plugin work on this host.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { containerNames } from '../support/containers.js';
import { agentBin, kubectl, pluginBin, Proc, tempDir, waitFor } from '../support/processes.js';

describe('standalone mode (API server + agent for this host)', function () {
  this.timeout(60_000);
  const { privileged } = containerNames();
  const dir = tempDir('standalone-mode');
  const kubeconfig = path.join(dir, 'kubeconfig');
  let proc: Proc;

  before(async () => {
    proc = new Proc(process.execPath, [agentBin, 'standalone', '--data-dir', dir, '--kubeconfig', kubeconfig, '--listen', '127.0.0.1:0', '--node', 'this-host']);
    await waitFor('standalone with its agent', () => {
      if (proc.child.exitCode !== null) throw new Error(`standalone exited: ${proc.stderr}`);
      return proc.stdout.includes('node agent running') ? true : undefined;
    }, 30_000);
  });
  after(() => proc.stop());

  it('installs the CRD and runs kubectl lxc-attach on a container of this host', () => {
    const crd = kubectl(kubeconfig, ['get', 'crd', 'containerattaches.lxcattach.io', '-o', 'jsonpath={.status.conditions[?(@.type=="Established")].status}']);
    assert.equal(crd.stdout, 'True', crd.stderr);
    const r = spawnSync(pluginBin, ['-n', privileged, '--', 'hostname'], { encoding: 'utf8', env: { PATH: process.env.PATH, KUBECONFIG: kubeconfig }, timeout: 30_000 });
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, `${privileged}\n`);
    assert.equal(r.status, 0);
  });

  it('serves the attach API through its own API server, as a cluster does (the APIService Available)', async () => {
    const available = await waitFor('the attach APIService to be Available', () => {
      const r = kubectl(kubeconfig, ['get', 'apiservice', 'v1alpha1.subresources.lxcattach.io', '-o', 'jsonpath={.status.conditions[?(@.type=="Available")].status}']);
      return r.stdout === 'True' ? r.stdout : undefined;
    }, 20_000);
    assert.equal(available, 'True');
    const list = JSON.parse(kubectl(kubeconfig, ['get', '--raw', '/apis/subresources.lxcattach.io/v1alpha1']).stdout) as { resources: { name: string }[] };
    assert.deepEqual(list.resources.map((r) => r.name), ['containerattaches/attach']);
    const svc = kubectl(kubeconfig, ['-n', 'lxc-attach', 'get', 'service', 'lxc-attach-api', '-o', 'jsonpath={.spec.ports[0].port}']);
    assert.equal(svc.stdout, '443', svc.stderr);
    const r = spawnSync(pluginBin, ['--via=apiserver', '-n', privileged, '--', 'sh', '-c', 'hostname; exit 5'], {
      encoding: 'utf8', env: { PATH: process.env.PATH, KUBECONFIG: kubeconfig, HOME: dir }, timeout: 30_000,
    });
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, `${privileged}\n`);
    assert.equal(r.status, 5);
  });

  it('stops cleanly on SIGTERM', async () => {
    await proc.stop('SIGTERM');
    assert.deepEqual(await proc.exited, { code: 0, signal: null });
  });
});
