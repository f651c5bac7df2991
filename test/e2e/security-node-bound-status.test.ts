// Issue 12, M5: a node agent's credentials write only the ContainerAttaches of their own node. The
// agent runs as the agent ServiceAccount with its node name as user extra (impersonated through
// its kubeconfig, since standalone mode has no token issuer: operator/src/standalone/agent-identity.ts),
// with the chart's RBAC and node-bound ValidatingAdmissionPolicy. The attacker holds the same
// ServiceAccount's credentials for another node and, with the real kubectl 1.32, tries to point
// a waiting attach of this node at itself (the plugin would send the session token and the
// keystrokes there). Without the policy every one of these writes succeeds.
import assert from 'node:assert/strict';
import path from 'node:path';
import { containerNames } from '../support/containers.js';
import { AgentCluster, sessionToken, uniqueName } from '../support/agent-cluster.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { kubectl, tempDir } from '../support/processes.js';
import { KubeApiError, KubeClient } from '../../common/src/kube/client.js';
import { loadKubeconfig } from '../../common/src/kube/kubeconfig.js';
import { containerAttachPath } from '../../common/src/containerattach/paths.js';
import { StreamClient } from '../support/stream-client.js';
import { nodeLabel } from '../../common/src/containerattach/types.js';
import { AGENT_USERNAME, ensureAgentAccess, NODE_BOUND_POLICY_NAME, writeAgentKubeconfig } from '../../operator/src/standalone/agent-identity.js';

describe('security: node-bound agent writes (ValidatingAdmissionPolicy)', function () {
  this.timeout(90_000);
  const { privileged } = containerNames();
  const dir = tempDir('node-bound');
  const cluster = new AgentCluster();
  const evil = `evil-${process.pid}`;
  let attacker: string;

  before(async () => {
    await cluster.start(undefined, [], {
      agentKubeconfig: async (admin, client) => {
        await ensureAgentAccess(client);
        const kc = path.join(dir, 'agent.kubeconfig');
        await writeAgentKubeconfig(admin, kc, cluster.node);
        return kc;
      },
    });
    attacker = path.join(dir, 'attacker.kubeconfig');
    await writeAgentKubeconfig(cluster.api.kubeconfig, attacker, evil);
  });
  after(() => cluster.stop());

  const denied = (name: string, message: string) => `containerattaches.lxcattach.io "${name}" is forbidden: ` +
    `ValidatingAdmissionPolicy '${NODE_BOUND_POLICY_NAME}' with binding '${NODE_BOUND_POLICY_NAME}' denied request: ${message}`;

  /** a raw write with the attacker's credentials (its RBAC has no get, so it does not use kubectl) */
  async function attempt(kubeconfig: string, method: string, name: string, body: unknown, subresource = ''): Promise<{ code: number; message: string }> {
    const client = new KubeClient(loadKubeconfig({ kubeconfig }), 'attacker');
    try {
      await client.request(method, containerAttachPath('default', name) + subresource, { contentType: method === 'PATCH' ? 'application/merge-patch+json' : undefined, body });
      return { code: 200, message: '' };
    } catch (err) {
      if (!(err instanceof KubeApiError)) throw err;
      return { code: err.statusCode, message: err.status?.message ?? '' };
    }
  }

  async function waiting(): Promise<{ name: string; token: string; endpoint: string; fingerprint: string }> {
    const name = uniqueName('bound');
    const { token } = await cluster.createInteractive(name, { container: privileged, command: ['echo', 'bound-to-its-node'] });
    const w = await cluster.waitForPhase(name, ['WaitingForClient', 'Failed']);
    assert.equal(w.status?.phase, 'WaitingForClient', JSON.stringify(w.status));
    return { name, token, endpoint: w.status!.endpoint!, fingerprint: w.status!.tlsFingerprint! };
  }

  it('the agent runs as its node\'s ServiceAccount identity and still attaches end to end', async () => {
    const who = kubectl(path.join(dir, 'agent.kubeconfig'), ['auth', 'whoami', '-o', 'json']);
    assert.equal(who.status, 0, who.stderr);
    const user = (JSON.parse(who.stdout) as { status: { userInfo: { username: string; extra?: Record<string, string[]> } } }).status.userInfo;
    assert.equal(user.username, AGENT_USERNAME);
    assert.deepEqual(user.extra, { 'authentication.kubernetes.io/node-name': [cluster.node] });
    const w = await waiting();
    const client = await StreamClient.open(w.endpoint, w.token);
    client.closeStdin();
    const result = await client.done;
    assert.equal(result.stdout.toString(), 'bound-to-its-node\n');
    const done = await cluster.waitForPhase(w.name, ['Succeeded', 'Failed']);
    assert.equal(done.status?.phase, 'Succeeded', JSON.stringify(done.status));
  });

  it('refuses another node\'s agent rewriting status.endpoint and status.tlsFingerprint, in kube\'s wording', async () => {
    const w = await waiting();
    const r = await attempt(attacker, 'PATCH', w.name, { status: { endpoint: `wss://127.0.0.1:1/attach/default/${w.name}`, tlsFingerprint: 'EV:IL' } }, '/status');
    assert.deepEqual(r, { code: 403, message: denied(w.name, `the agent of node ${evil} may not write a ContainerAttach of node ${cluster.node}`) });
    const after = await cluster.get(w.name);
    assert.equal(after.status?.endpoint, w.endpoint);
    assert.equal(after.status?.tlsFingerprint, w.fingerprint);
  });

  it('refuses moving the object to the attacker\'s node, unlabelling it and deleting it', async () => {
    const w = await waiting();
    const refused = { code: 403, message: denied(w.name, `the agent of node ${evil} may not write a ContainerAttach of node ${cluster.node}`) };
    assert.deepEqual(await attempt(attacker, 'PATCH', w.name, { metadata: { labels: { [nodeLabel]: evil } } }), refused);
    assert.deepEqual(await attempt(attacker, 'PATCH', w.name, { metadata: { labels: { [nodeLabel]: null } } }), refused);
    assert.deepEqual(await attempt(attacker, 'DELETE', w.name, undefined), refused);
    assert.equal((await cluster.get(w.name)).metadata.labels?.[nodeLabel], cluster.node);
  });

  it('lets the same credentials write an object of their own node', async () => {
    const name = uniqueName('evil-own');
    const { hash } = sessionToken();
    await cluster.create(cluster.manifest(name, { container: privileged, mode: 'Interactive', stdin: true, sessionTokenHash: hash }, { [nodeLabel]: evil }));
    assert.deepEqual(await attempt(attacker, 'PATCH', name, { status: { endpoint: 'wss://127.0.0.1:1/attach/default/x' } }, '/status'), { code: 200, message: '' });
    assert.equal((await cluster.get(name)).status?.endpoint, 'wss://127.0.0.1:1/attach/default/x');
  });

  it('refuses the agent ServiceAccount\'s writes when its credentials name no node', async () => {
    const w = await waiting();
    const noNode = path.join(dir, 'no-node.kubeconfig');
    const kc = parse(readFileSync(attacker, 'utf8')) as { users: Array<{ user: Record<string, unknown> }> };
    delete kc.users[0]!.user['as-user-extra'];
    writeFileSync(noNode, stringify(kc));
    const r = await attempt(noNode, 'PATCH', w.name, { status: { endpoint: 'wss://127.0.0.1:1/x' } }, '/status');
    assert.equal(r.code, 403);
    assert.match(r.message, /denied request: the node agent's credentials name no node/);
    assert.equal((await cluster.get(w.name)).status?.endpoint, w.endpoint);
  });
});
