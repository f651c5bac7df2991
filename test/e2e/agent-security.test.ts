// Who may attach: the single-use session token of this very object, checked before any attach;
// the node policy, naming the rule it applies; and nothing of the agent's environment inside.
import assert from 'node:assert/strict';
import { containerNames } from '../support/containers.js';
import { AgentCluster, sessionToken, uniqueName } from '../support/agent-cluster.js';
import { StreamClient } from '../support/stream-client.js';

function startedTotal(metrics: string): number {
  return [...metrics.matchAll(/^lxcattach_attaches_started_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

describe('agent: security', function () {
  this.timeout(60_000);
  const { privileged } = containerNames();
  const cluster = new AgentCluster();
  before(() => cluster.start('policy:\n  logFileDirectories: [/tmp/lxcat-allowed-logs]\n'));
  after(() => cluster.stop());

  async function waiting(name: string, command: string[] = ['true']) {
    const { token } = await cluster.createInteractive(name, { container: privileged, command });
    const obj = await cluster.waitForPhase(name, ['WaitingForClient']);
    return { token, endpoint: obj.status!.endpoint! };
  }

  async function refusal(endpoint: string, token: string | undefined): Promise<number> {
    try {
      const c = await StreamClient.open(endpoint, token);
      c.ws.close();
      return 101;
    } catch (err) {
      return (err as { statusCode?: number }).statusCode ?? 0;
    }
  }

  it('refuses no token, a wrong token and another object\'s token before any attach', async () => {
    const before = startedTotal(await cluster.metrics());
    const a = await waiting(uniqueName('sec-a'));
    const b = await waiting(uniqueName('sec-b'));
    assert.equal(await refusal(a.endpoint, undefined), 401);
    assert.equal(await refusal(a.endpoint, sessionToken().token), 401);
    assert.equal(await refusal(a.endpoint, b.token), 401);
    assert.equal(startedTotal(await cluster.metrics()), before, 'no helper was started');
    assert.equal((await cluster.get(new URL(a.endpoint).pathname.split('/').pop()!)).status?.phase, 'WaitingForClient');
  });

  it('accepts a token once', async () => {
    const name = uniqueName('sec-once');
    const { token, endpoint } = await waiting(name, ['sh', '-c', 'read x; echo $x']);
    const first = await StreamClient.open(endpoint, token);
    assert.equal(await refusal(endpoint, token), 409, 'the token was used');
    first.stdin('hi\n');
    assert.equal((await first.done).stdout.toString(), 'hi\n');
    // Finished: 404 while the agent still holds the session, then the 401 everyone gets.
    assert.ok([401, 404].includes(await refusal(endpoint, token)));
  });

  it('names the policy rule that refused an object', async () => {
    const cases = [
      { spec: { elevatedPrivileges: ['CAP' as const] }, rule: 'elevatedPrivileges' },
      { spec: { namespaces: ['PID' as const], elevatedPrivileges: [] }, rule: 'allowNamespaceSelection' },
      { spec: { lxcPath: '/srv/lxc' }, rule: 'allowedLxcPaths' },
      { spec: { rcFile: '/etc/passwd' }, rule: 'rcFileDirectories' },
      { spec: { log: { file: '/etc/cron.d/evil' } }, rule: 'logFileDirectories' },
      { spec: { ptyLog: '/root/.bashrc' }, rule: 'ptyLogDirectories' },
    ];
    for (const c of cases) {
      const name = uniqueName('policy');
      await cluster.create(cluster.manifest(name, { container: privileged, command: ['true'], nodeName: cluster.node, ...c.spec }));
      const done = await cluster.waitForPhase(name, ['Failed']);
      assert.equal(done.status?.reason, 'PolicyDenied', c.rule);
      assert.match(done.status?.message ?? '', new RegExp(`^policy rule ${c.rule}: `));
      assert.equal(done.status?.startTime, undefined, 'it never started');
    }
  });

  it('keeps the agent\'s environment out of the container', async () => {
    const secretName = 'LXCAT_AGENT_SECRET';
    await cluster.restartAgent('SIGTERM');
    assert.equal(process.env[secretName], undefined);
    // The agent of this cluster runs with the test's environment plus this variable.
    process.env[secretName] = 'leak';
    try {
      await cluster.restartAgent('SIGTERM');
    } finally {
      delete process.env[secretName];
    }
    const name = uniqueName('env');
    await cluster.create(cluster.manifest(name, { container: privileged, command: ['env'], nodeName: cluster.node }));
    const done = await cluster.waitForPhase(name, ['Succeeded']);
    const env = (done.status?.stdoutTail ?? '').trim().split('\n').sort();
    assert.deepEqual(env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'container=lxc']);
  });
});
