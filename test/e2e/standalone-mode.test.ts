// Standalone mode as a user starts it: one command, and kubectl and the plugin work on this host.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { get } from 'node:https';
import path from 'node:path';
import { containerNames } from '../support/containers.js';
import { parentPid } from '../support/leftovers.js';
import { agentBin, kubectl, pluginBin, Proc, tempDir, waitFor } from '../support/processes.js';

/** pids of the `attach-api` processes whose parent is `parent` */
function attachApiChildren(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (parentPid(Number(entry)) === parent && readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes('attach-api')) pids.push(Number(entry));
    } catch {
      // the process ended while being read
    }
  }
  return pids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

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

  it('merges the attach API\'s aggregated discovery into /apis (kubectl api-resources, a raw v2 request)', async () => {
    const r = kubectl(kubeconfig, ['api-resources']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '', 'no group is unreachable or stale');
    const config = JSON.parse(kubectl(kubeconfig, ['config', 'view', '--raw', '-o', 'json']).stdout) as {
      clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>; users: Array<{ user: { token: string } }>;
    };
    const { server, 'certificate-authority-data': ca } = config.clusters[0]!.cluster;
    const body = await new Promise<string>((resolve, reject) => {
      get(`${server}/apis`, {
        ca: Buffer.from(ca, 'base64').toString(),
        headers: { Authorization: `Bearer ${config.users[0]!.user.token}`, Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' },
      }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d)).on('end', () => resolve(text));
      }).on('error', reject);
    });
    type Resource = { resource: string; subresources?: Array<{ subresource: string; verbs: string[] }> };
    const doc = JSON.parse(body) as { items: Array<{ metadata: { name: string }; versions: Array<{ version: string; freshness: string; resources: Resource[] }> }> };
    const item = doc.items.find((i) => i.metadata.name === 'subresources.lxcattach.io');
    assert.deepEqual(item?.versions.map((v) => [v.version, v.freshness, v.resources.map((x) => [x.resource, x.subresources?.map((sr) => [sr.subresource, sr.verbs])])]),
      [['v1alpha1', 'Current', [['containerattaches', [['attach', ['get', 'create']]]]]]]);
  });

  it('restarts its attach API process when it dies, on the same port', async () => {
    const [before] = attachApiChildren(proc.pid);
    assert.ok(before, 'an attach API process');
    process.kill(before, 'SIGKILL');
    const [after] = await waitFor('a new attach API process', () => {
      const pids = attachApiChildren(proc.pid);
      return pids.length === 1 && pids[0] !== before ? pids : undefined;
    }, 15_000);
    assert.notEqual(after, before);
    const list = await waitFor('discovery through the API server again', () => {
      const r = kubectl(kubeconfig, ['get', '--raw', '/apis/subresources.lxcattach.io/v1alpha1']);
      return r.status === 0 ? r.stdout : undefined;
    }, 15_000);
    assert.match(list, /containerattaches\/attach/);
  });

  it('stops cleanly on SIGTERM, its attach API process with it', async () => {
    const children = attachApiChildren(proc.pid);
    assert.equal(children.length, 1, 'the attach API runs as its own process, as in a cluster');
    await proc.stop('SIGTERM');
    assert.deepEqual(await proc.exited, { code: 0, signal: null });
    assert.equal(alive(children[0]!), false);
  });
});

describe('standalone mode killed with SIGKILL', function () {
  this.timeout(60_000);
  const dir = tempDir('standalone-sigkill');

  it('leaves no attach API process behind', async () => {
    const proc = new Proc(process.execPath, [agentBin, 'standalone', '--data-dir', dir, '--kubeconfig', path.join(dir, 'kubeconfig'), '--listen', '127.0.0.1:0', '--node', 'sigkill-host']);
    try {
      const [child] = await waitFor('the attach API process', () => {
        if (proc.child.exitCode !== null) throw new Error(`standalone exited: ${proc.stderr}`);
        const pids = attachApiChildren(proc.pid);
        return proc.stdout.includes('node agent running') && pids.length === 1 ? pids : undefined;
      }, 30_000);
      await proc.stop('SIGKILL');
      await waitFor('the orphaned attach API process to stop', () => (alive(child!) ? undefined : true), 10_000);
    } finally {
      await proc.stop('SIGKILL');
    }
  });
});
