// Issue 12, M2: an attach whose command ignores SIGHUP and SIGTERM and leaves children behind (one
// double-forked into its own session, adopted by the container's init, holding the attach's
// stdout) must still end completely on a deadline, a client hang-up, an agent shutdown, the agent's
// death (kill -9) and the helper's death, with the true reason in the object's status.
import assert from 'node:assert/strict';
import { containerNames } from '../support/containers.js';
import { AgentCluster, uniqueName } from '../support/agent-cluster.js';
import { assertFdsBackTo, assertNoAttachCgroups, assertNothingLeft, containerProcesses, hostProcessesWith } from '../support/leftovers.js';
import { waitFor } from '../support/processes.js';
import { StreamClient } from '../support/stream-client.js';
import { uncooperativeCommand, uniqueSleep } from '../support/uncooperative.js';

/** The attach's processes running on the host: its shell, its direct and its double-forked child. */
function attachProcesses(marker: string): string[] {
  return hostProcessesWith(`sleep ${marker}`).filter((p) => !p.includes('lxc-attach-helper'));
}

async function waitUntilForked(marker: string): Promise<void> {
  await waitFor('the command and its children to run', () => (attachProcesses(marker).length >= 3 ? true : undefined));
}

describe('security: the process tree of an attach ends with it', function () {
  this.timeout(90_000);
  const { privileged, unprivileged } = containerNames();
  const cluster = new AgentCluster();
  let fds = 0;
  before(async () => {
    await cluster.start();
    fds = await cluster.fdBaseline(privileged);
  });
  after(() => cluster.stop());
  afterEach(async () => {
    await assertFdsBackTo(cluster.agent.proc.pid, fds);
  });

  async function interactive(name: string, marker: string): Promise<StreamClient> {
    const { token } = await cluster.createInteractive(name, { container: privileged, command: uncooperativeCommand(marker) });
    const waiting = await cluster.waitForPhase(name, ['WaitingForClient']);
    const client = await StreamClient.open(waiting.status!.endpoint!, token);
    await client.waitForStdout('ready');
    await waitUntilForked(marker);
    return client;
  }

  async function assertAllGone(container: string, marker: string): Promise<void> {
    await assertNothingLeft(container, `sleep ${marker}`);
    assert.deepEqual(containerProcesses(container).filter((p) => p.includes(marker)), []);
    await assertNoAttachCgroups(container);
  }

  for (const which of ['privileged', 'unprivileged'] as const) {
    it(`kills the whole tree at activeDeadlineSeconds and says DeadlineExceeded (${which} container)`, async () => {
      const container = which === 'privileged' ? privileged : unprivileged;
      const name = uniqueName('tree-deadline');
      const marker = uniqueSleep();
      const created = Date.now();
      await cluster.create(cluster.manifest(name, {
        container, command: uncooperativeCommand(marker), nodeName: cluster.node, activeDeadlineSeconds: 2,
      }));
      await cluster.waitForPhase(name, ['Running']);
      await waitUntilForked(marker);
      const done = await cluster.waitForPhase(name, ['Failed'], 30_000);
      assert.equal(done.status?.reason, 'DeadlineExceeded', JSON.stringify(done.status));
      assert.equal(done.status?.exitCode, 137, 'SIGHUP was ignored: the grace period ended in SIGKILL');
      assert.equal(done.status?.signal, 9);
      assert.equal(done.status?.stdoutTail, 'ready\n');
      // deadline 2 s + the agent's default grace of 5 s, and some slack for a loaded machine
      assert.ok(Date.now() - created < 15_000, `took ${Date.now() - created} ms`);
      await assertAllGone(container, marker);
    });
  }

  it('kills the whole tree when the client hangs up, and says ClientDisconnected', async () => {
    const name = uniqueName('tree-hangup');
    const marker = uniqueSleep();
    const client = await interactive(name, marker);
    client.ws.terminate();
    const done = await cluster.waitForPhase(name, ['Failed'], 30_000);
    assert.equal(done.status?.reason, 'ClientDisconnected', JSON.stringify(done.status));
    await assertAllGone(privileged, marker);
  });

  it('kills the whole tree when the agent is stopped, and says AgentShutdown', async () => {
    const name = uniqueName('tree-shutdown');
    const marker = uniqueSleep();
    const client = await interactive(name, marker);
    await cluster.restartAgent('SIGTERM');
    fds = await cluster.fdBaseline(privileged);
    assert.deepEqual((await client.done).outcome, { exitCode: 137 });
    const done = await cluster.waitForPhase(name, ['Failed'], 30_000);
    assert.equal(done.status?.reason, 'AgentShutdown', JSON.stringify(done.status));
    await assertAllGone(privileged, marker);
  });

  it('kills the whole tree when the agent is killed with SIGKILL (the helper sees its control fd close)', async () => {
    const name = uniqueName('tree-agentkill');
    const marker = uniqueSleep();
    await cluster.create(cluster.manifest(name, { container: privileged, command: uncooperativeCommand(marker), nodeName: cluster.node }));
    await cluster.waitForPhase(name, ['Running']);
    await waitUntilForked(marker);
    await cluster.restartAgent('SIGKILL');
    fds = await cluster.fdBaseline(privileged);
    const done = await cluster.waitForPhase(name, ['Failed'], 30_000);
    assert.equal(done.status?.reason, 'AgentRestarted', JSON.stringify(done.status));
    await assertAllGone(privileged, marker);
  });

  it('kills the whole tree when the helper itself is killed with SIGKILL, and says HelperFailed', async () => {
    const name = uniqueName('tree-helperkill');
    const marker = uniqueSleep();
    await cluster.create(cluster.manifest(name, { container: privileged, command: uncooperativeCommand(marker), nodeName: cluster.node }));
    await cluster.waitForPhase(name, ['Running']);
    await waitUntilForked(marker);
    const helper = hostProcessesWith(`sleep ${marker}`).find((p) => p.includes('lxc-attach-helper'));
    assert.ok(helper, 'the helper runs');
    process.kill(Number(helper.split(' ')[0]), 'SIGKILL');
    const done = await cluster.waitForPhase(name, ['Failed'], 30_000);
    assert.equal(done.status?.reason, 'HelperFailed', JSON.stringify(done.status));
    await assertAllGone(privileged, marker);
  });

  it('ends an attach whose command exited while a daemon it started holds stdout, as lxc-attach leaves it', async () => {
    const name = uniqueName('tree-daemon');
    const marker = uniqueSleep();
    const command = ['sh', '-c', `setsid sleep ${marker} & echo started`];
    await cluster.create(cluster.manifest(name, { container: privileged, command, nodeName: cluster.node }));
    try {
      const done = await cluster.waitForPhase(name, ['Succeeded', 'Failed'], 30_000);
      assert.equal(done.status?.reason, 'Completed', JSON.stringify(done.status));
      assert.equal(done.status?.stdoutTail, 'started\n');
      assert.equal(attachProcesses(marker).length, 1, 'the daemon the command started runs on, as with lxc-attach');
      await assertNoAttachCgroups(privileged);
    } finally {
      for (const p of attachProcesses(marker)) process.kill(Number(p.split(' ')[0]), 'SIGKILL');
    }
    await assertNothingLeft(privileged, `sleep ${marker}`);
  });
});
