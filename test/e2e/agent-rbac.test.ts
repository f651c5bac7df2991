// The agent's RBAC, recorded rather than guessed: every API call a real agent makes through its
// whole lifecycle (claim, batch, interactive, refusal, ttl, restart) is taken from the API
// server's audit log, and must be exactly what agentApiPermissions (and so the chart's
// ClusterRole, which test/chart compares with it) grants.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { agentApiPermissions } from '../../operator/src/api-calls/api-permissions.js';
import { nodeLabel } from '../../common/src/containerattach/types.js';
import { containerNames } from '../support/containers.js';
import { AgentCluster, uniqueName } from '../support/agent-cluster.js';
import { tempDir, waitFor } from '../support/processes.js';
import { StreamClient } from '../support/stream-client.js';

interface AuditEntry { verb: string; group: string; resource: string; subresource: string; userAgent: string }

describe('agent RBAC: the calls a real agent makes', function () {
  this.timeout(90_000);
  const { privileged } = containerNames();
  const auditLog = path.join(tempDir('audit'), 'audit.jsonl');
  const cluster = new AgentCluster();
  before(() => cluster.start('policy:\n  elevatedPrivileges: []\n', ['--audit-log', auditLog]));
  after(() => cluster.stop());

  it('are exactly the permissions the chart grants', async () => {
    // Unclaimed batch (claim), finished and deleted by ttl.
    const batch = uniqueName('rbac-batch');
    await cluster.create(cluster.manifest(batch, { container: privileged, command: ['true'], ttlSecondsAfterFinished: 0 }));
    await waitFor('the ttl deletion', async () => {
      try {
        await cluster.get(batch);
        return undefined;
      } catch {
        return true;
      }
    });
    // A policy refusal (a Warning Event).
    const refused = uniqueName('rbac-refused');
    await cluster.create(cluster.manifest(refused, { container: privileged, command: ['true'], elevatedPrivileges: ['CAP'] }, { [nodeLabel]: cluster.node }));
    await cluster.waitForPhase(refused, ['Failed']);
    // An interactive session.
    const inter = uniqueName('rbac-inter');
    const { token } = await cluster.createInteractive(inter, { container: privileged, command: ['true'] });
    const waiting = await cluster.waitForPhase(inter, ['WaitingForClient']);
    const client = await StreamClient.open(waiting.status!.endpoint!, token);
    await client.done;
    await cluster.waitForPhase(inter, ['Succeeded']);
    // A batch running when the agent is killed: the restarted agent marks it AgentRestarted.
    const killed = uniqueName('rbac-killed');
    await cluster.create(cluster.manifest(killed, { container: privileged, command: ['sleep', '1004'], nodeName: cluster.node }, { [nodeLabel]: cluster.node }));
    await cluster.waitForPhase(killed, ['Running']);
    await cluster.restartAgent('SIGKILL');
    await cluster.waitForPhase(killed, ['Failed']);
    await new Promise((r) => setTimeout(r, 300));

    const entries = readFileSync(auditLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);
    // The agent's own calls: its client names itself in User-Agent.
    const agent = entries.filter((e) => e.userAgent.startsWith('lxc-attach-agent'));
    assert.ok(agent.length > 0);
    const used = new Set(agent.map((e) => `${e.group}/${e.resource}${e.subresource ? `/${e.subresource}` : ''} ${e.verb}`));
    const granted = new Set(agentApiPermissions.flatMap((p) => p.verbs.map((v) => `${p.apiGroup}/${p.resource} ${v}`)));
    assert.deepEqual([...used].sort(), [...granted].sort());
  });
});
