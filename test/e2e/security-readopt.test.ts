// A restarted agent takes back a WaitingForClient attach only if it admitted it itself, and only
// through every admission check. The attacker here holds credentials that may write
// containerattaches and their status (any node's agent has them; standalone mode has one admin
// kubeconfig, so the test uses it for both roles): it forges WaitingForClient on an object the
// policy refuses, then routes the object to this node, and tries to run it with its own token.
import assert from 'node:assert/strict';
import { containerNames } from '../support/containers.js';
import { AgentCluster, sessionToken, uniqueName } from '../support/agent-cluster.js';
import { StreamClient } from '../support/stream-client.js';
import { containerAttachPath } from '../../common/src/containerattach/paths.js';
import { nodeLabel, type ContainerAttach, type ContainerAttachSpec } from '../../common/src/containerattach/types.js';

function startedTotal(metrics: string): number {
  return [...metrics.matchAll(/^lxcattach_attaches_started_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

describe('security: taking back attaches after a restart', function () {
  this.timeout(90_000);
  const { privileged } = containerNames();
  const cluster = new AgentCluster();
  before(() => cluster.start());
  after(() => cluster.stop());

  async function patch(name: string, body: unknown, subresource = ''): Promise<ContainerAttach> {
    return cluster.client.request<ContainerAttach>('PATCH', containerAttachPath('default', name) + subresource, {
      contentType: 'application/merge-patch+json', body,
    });
  }

  /** An interactive object parked on a node no agent runs, its status forged, then routed here. */
  async function forge(spec: Partial<ContainerAttachSpec>, seal?: string): Promise<{ name: string; token: string }> {
    const name = uniqueName('forged');
    const { token, hash } = sessionToken();
    await cluster.create(cluster.manifest(name, {
      container: privileged, mode: 'Interactive', stdin: true, sessionTokenHash: hash, ...spec,
    }, { [nodeLabel]: 'ghost-node' }));
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await patch(name, {
      status: {
        phase: 'WaitingForClient', nodeName: cluster.node, agent: `${cluster.node}/forged`,
        ...(seal ? { admissionSeal: seal } : {}),
        conditions: [{ type: 'Admitted', status: 'True', reason: 'Admitted', message: 'forged', lastTransitionTime: now }],
      },
    }, '/status');
    await patch(name, { metadata: { labels: { [nodeLabel]: cluster.node } } });
    return { name, token };
  }

  async function refusal(endpoint: string, token: string): Promise<number> {
    try {
      (await StreamClient.open(endpoint, token)).ws.close();
      return 101;
    } catch (err) {
      return (err as { statusCode?: number }).statusCode ?? 0;
    }
  }

  it('never runs a forged WaitingForClient attach the policy refuses (-s UTSNAME: the host\'s files)', async () => {
    const before = startedTotal(await cluster.metrics());
    const { name, token } = await forge({ namespaces: ['UTSNAME'], elevatedPrivileges: [], command: ['cat', '/etc/hostname'] });
    const done = await cluster.waitForPhase(name, ['Failed']);
    assert.equal(done.status?.reason, 'NotAdmittedHere', JSON.stringify(done.status));
    assert.equal(done.status?.startTime, undefined);
    const endpoint = `wss://127.0.0.1:${cluster.agent.port}/attach/default/${name}`;
    assert.equal(await refusal(endpoint, token), 401);
    assert.equal(startedTotal(await cluster.metrics()), before, 'no helper was started');
  });

  it('refuses a seal copied from an attach it did admit', async () => {
    const { obj } = await cluster.createInteractive(uniqueName('real'), { container: privileged, command: ['true'] });
    const real = await cluster.waitForPhase(obj.metadata.name!, ['WaitingForClient']);
    assert.match(real.status?.admissionSeal ?? '', /^[0-9a-f]{64}$/);
    const { name } = await forge({ command: ['id'] }, real.status!.admissionSeal);
    const done = await cluster.waitForPhase(name, ['Failed']);
    assert.equal(done.status?.reason, 'NotAdmittedHere');
  });

  it('takes back its own waiting attach only through the admission checks (a policy that now refuses it)', async () => {
    const name = uniqueName('recheck');
    const { token } = await cluster.createInteractive(name, { container: privileged, command: ['id', '-u'] });
    await cluster.waitForPhase(name, ['WaitingForClient']);
    try {
      await cluster.restartAgent('SIGKILL', 'policy:\n  allowedUids: ["1000"]\n');
      const done = await cluster.waitForPhase(name, ['Failed']);
      assert.equal(done.status?.reason, 'PolicyDenied', JSON.stringify(done.status));
      assert.match(done.status?.message ?? '', /^policy rule allowedUids: /);
      const endpoint = `wss://127.0.0.1:${cluster.agent.port}/attach/default/${name}`;
      assert.equal(await refusal(endpoint, token), 401);
      assert.equal(startedTotal(await cluster.metrics()), 0, 'the new agent started nothing');
    } finally {
      await cluster.restartAgent('SIGTERM', ''); // back to no config file
    }
  });

  it('still takes back its own waiting attach after being killed', async () => {
    const name = uniqueName('readopt');
    const { token } = await cluster.createInteractive(name, { container: privileged, command: ['echo', 'back'] });
    await cluster.waitForPhase(name, ['WaitingForClient']);
    await cluster.restartAgent('SIGKILL');
    const obj = await cluster.waitForPhase(name, ['WaitingForClient']);
    const endpoint = obj.status!.endpoint!.replace(/:\d+\//, `:${cluster.agent.port}/`);
    const client = await StreamClient.open(endpoint, token);
    assert.equal((await client.done).stdout.toString(), 'back\n');
    assert.equal((await cluster.waitForPhase(name, ['Succeeded'])).status?.reason, 'Completed');
  });
});
