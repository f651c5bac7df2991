// A Kubernetes namespace is a tenant: the agent policy says which containers, nodes, users, groups
// and LSM labels objects of each namespace may use, and a closed default gives none. Each case is
// the attack (an object that asks for more than its namespace has) against a real agent and real
// containers; a refused object never starts, and the command leaves no trace in the container.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { containerNames } from '../support/containers.js';
import { AgentCluster, uniqueName } from '../support/agent-cluster.js';
import type { ContainerAttachSpec } from '../../common/src/containerattach/types.js';

describe('security: namespaces as tenants', function () {
  this.timeout(90_000);
  const { privileged, unprivileged } = containerNames();
  const cluster = new AgentCluster();
  const marker = `/tmp/lxcat-tenancy-${process.pid}`;

  before(async () => {
    await cluster.start([
      // The chart's shared-cluster default: no container, no root, no LSM label.
      'policy:',
      '  allowedContainers: []',
      '  allowedUids: ["1-4294967294"]',
      '  allowedGids: ["1-4294967294"]',
      'namespaceOverrides:',
      '  team-a:',
      `    allowedContainers: [${unprivileged.replace(/-unpriv$/, '-unpr?v')}]`,
      '  team-b:',
      `    allowedContainers: ["${privileged.replace(/-priv$/, '-*')}"]`,
      '    allowedNodes: [lxc-team-b-*]',
      '  ops:',
      '    allowedContainers: ["*"]',
      '    allowedUids: ["*"]',
      '    allowedGids: ["*"]',
      '',
    ].join('\n'));
    for (const ns of ['team-a', 'team-b', 'ops']) {
      const r = cluster.kubectl(['create', 'namespace', ns]);
      assert.ok(r.status === 0 || /AlreadyExists/.test(r.stderr), r.stderr);
    }
  });
  after(() => cluster.stop());

  function markerIn(container: string): boolean {
    const out = execFileSync('lxc-attach', ['-n', container, '--', 'sh', '-c', `test -e ${marker} && echo yes || echo no`], { encoding: 'utf8' });
    return out.trim() === 'yes';
  }

  async function run(namespace: string, spec: Partial<ContainerAttachSpec> & { container: string }) {
    const name = uniqueName('tenant');
    await cluster.create(cluster.manifest(name, { nodeName: cluster.node, ...spec }), namespace);
    return cluster.waitForPhase(name, ['Succeeded', 'Failed'], 20_000, namespace);
  }

  async function refused(namespace: string, spec: Partial<ContainerAttachSpec> & { container: string }, rule: string, message?: RegExp) {
    const done = await run(namespace, { command: ['touch', marker], ...spec });
    assert.equal(done.status?.reason, 'PolicyDenied', JSON.stringify(done.status));
    assert.match(done.status?.message ?? '', new RegExp(`^policy rule ${rule}: `));
    if (message) assert.match(done.status?.message ?? '', message);
    assert.equal(done.status?.startTime, undefined, 'it never started');
    assert.equal(markerIn(spec.container), false, 'the command did not run');
  }

  it('gives a namespace that is not listed no container at all', async () => {
    await refused('default', { container: privileged, uid: 1000, gid: 1000 }, 'allowedContainers', /allowedContainers: none/);
    await refused('default', { container: unprivileged, uid: 1000, gid: 1000 }, 'allowedContainers');
  });

  it('lets a namespace reach only the containers its globs name', async () => {
    await refused('team-a', { container: privileged, uid: 1000, gid: 1000 }, 'allowedContainers');
    const ok = await run('team-a', { container: unprivileged, uid: 1000, gid: 1000, command: ['id', '-u'] });
    assert.equal(ok.status?.phase, 'Succeeded', JSON.stringify(ok.status));
    assert.equal(ok.status?.stdoutTail, '1000\n');
  });

  it('refuses root unless the namespace may be root, counting a missing -u or -g as root', async () => {
    await refused('team-a', { container: unprivileged }, 'allowedUids', /no -u: the container's root/);
    await refused('team-a', { container: unprivileged, uid: 0, gid: 1000 }, 'allowedUids', /uid 0 is not allowed/);
    await refused('team-a', { container: unprivileged, uid: 1000 }, 'allowedGids', /no -g/);
    const root = await run('ops', { container: privileged, command: ['id', '-u'] });
    assert.equal(root.status?.stdoutTail, '0\n', 'ops may be root');
  });

  it('keeps a namespace off the nodes it is not given', async () => {
    await refused('team-b', { container: privileged, uid: 1000, gid: 1000 }, 'allowedNodes', new RegExp(`node ${cluster.node} is not allowed`));
  });

  it('refuses an LSM label (-c) that is not allowed, even where everything else is', async () => {
    await refused('ops', { container: privileged, selinuxContext: 'unconfined' }, 'allowedSelinuxContexts', /allowedSelinuxContexts: none/);
  });
});
