// Every way an attach can go wrong ends in the right phase with a reason, and leaves no process
// and no descriptor behind. Where the command's behaviour matters, it is an uncooperative one
// (test/support/uncooperative.ts); security-process-tree.test.ts has one for each way to end.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { nodeLabel } from '../../common/src/containerattach/types.js';
import { containerNames, testContainerPrefix } from '../support/containers.js';
import { AgentCluster, uniqueName } from '../support/agent-cluster.js';
import { assertFdsBackTo, assertNoAttachCgroups, assertNothingLeft, hostProcessesWith, parentPid } from '../support/leftovers.js';
import { repoPath } from '../support/paths.js';
import { restartApiServer, waitFor } from '../support/processes.js';
import { StreamClient } from '../support/stream-client.js';
import { uncooperativeCommand, uniqueSleep } from '../support/uncooperative.js';

const script = repoPath('scripts/lxc-test-container.sh');

/** The attached command itself is running (not just a helper whose argv names it). */
function commandRuns(cmdline: string): boolean {
  return hostProcessesWith(cmdline).some((p) => p.endsWith(` ${cmdline}`) && !p.includes('lxc-attach-helper'));
}

describe('agent: failure modes', function () {
  this.timeout(90_000);
  const { privileged } = containerNames();
  const cluster = new AgentCluster();
  let fdsAtStart = 0;
  before(async () => {
    await cluster.start();
    fdsAtStart = await cluster.fdBaseline(privileged);
  });
  after(() => cluster.stop());
  afterEach(async () => {
    await assertFdsBackTo(cluster.agent.proc.pid, fdsAtStart);
  });

  async function interactive(name: string, command: string[], extra = {}) {
    const { token } = await cluster.createInteractive(name, { container: privileged, command, ...extra });
    const waiting = await cluster.waitForPhase(name, ['WaitingForClient']);
    return StreamClient.open(waiting.status!.endpoint!, token);
  }

  it('fails ContainerNotFound for a container this node does not have', async () => {
    const name = uniqueName('missing');
    await cluster.create(cluster.manifest(name, { container: `${testContainerPrefix}nosuch`, command: ['true'], nodeName: cluster.node }, { [nodeLabel]: cluster.node }));
    const done = await cluster.waitForPhase(name, ['Failed']);
    assert.equal(done.status?.reason, 'ContainerNotFound');
    assert.match(done.status?.message ?? '', /does not exist/);
  });

  it('fails when the container stops mid-session', async () => {
    const victim = `${testContainerPrefix}${process.pid}-stopme`;
    execFileSync(script, ['create', victim]);
    try {
      const name = uniqueName('stopped');
      const marker = uniqueSleep();
      await cluster.create(cluster.manifest(name, { container: victim, command: uncooperativeCommand(marker), nodeName: cluster.node }));
      await cluster.waitForPhase(name, ['Running']);
      await waitFor('the command to run', () => (commandRuns(`sleep ${marker}`) ? true : undefined));
      execFileSync('lxc-stop', ['-k', '-n', victim]);
      const done = await cluster.waitForPhase(name, ['Failed']);
      assert.ok(done.status?.exitCode !== undefined && done.status.exitCode >= 128, JSON.stringify(done.status));
      await waitFor('no process of the attach left', () => (hostProcessesWith(`sleep ${marker}`).length === 0 ? true : undefined));
    } finally {
      execFileSync(script, ['destroy', victim]);
    }
  });

  it('fails HelperFailed when the helper is killed, and the command dies with it', async () => {
    const name = uniqueName('helperkill');
    const marker = uniqueSleep();
    await cluster.create(cluster.manifest(name, { container: privileged, command: uncooperativeCommand(marker), nodeName: cluster.node }));
    await cluster.waitForPhase(name, ['Running']);
    const helper = await waitFor('the helper', () => {
      // NB: the attach child, forked from the helper, has the same command line.
      const helpers = hostProcessesWith(`sleep ${marker}`).filter((p) => p.includes('lxc-attach-helper')).map((p) => Number(p.split(' ')[0]));
      return helpers.find((pid) => !helpers.includes(parentPid(pid)));
    });
    process.kill(helper, 'SIGKILL');
    const done = await cluster.waitForPhase(name, ['Failed']);
    assert.equal(done.status?.reason, 'HelperFailed');
    await assertNothingLeft(privileged, `sleep ${marker}`);
  });

  it('hangs the session up when the client vanishes', async () => {
    const name = uniqueName('vanish');
    const flag = `/tmp/${name}.hup`;
    const client = await interactive(name, ['sh', '-c', `trap "echo hup > ${flag}; exit 9" HUP; echo ready; while :; do sleep 1; done`]);
    await client.waitForStdout('ready');
    client.ws.terminate();
    const done = await cluster.waitForPhase(name, ['Failed']);
    assert.equal(done.status?.reason, 'ClientDisconnected');
    const seen = execFileSync('lxc-attach', ['-n', privileged, '--', 'cat', flag], { encoding: 'utf8' });
    assert.equal(seen, 'hup\n');
    await assertNothingLeft(privileged, flag);
  });

  it('ends the session of a client that stopped reading as soon as it goes away', async () => {
    // On a pty the helper relays the output itself; the agent had stopped reading it for the slow
    // client, and kept it stopped after the client left: the helper could not finish until the
    // agent killed it, grace period + 15 s later, and its cgroup was left behind.
    const name = uniqueName('stalledgone');
    const client = await interactive(name, ['sh', '-c', 'echo ready; exec head -c 256m /dev/zero'], { tty: true });
    await client.waitForStdout('ready');
    client.ws.pause();
    await new Promise((r) => setTimeout(r, 2000));
    const left = Date.now();
    client.ws.terminate();
    const done = await cluster.waitForPhase(name, ['Failed']);
    const took = Date.now() - left;
    assert.equal(done.status?.reason, 'ClientDisconnected');
    assert.ok(took < 5000, `ended ${took} ms after the client left`);
    await assertNoAttachCgroups(privileged);
  });

  it('ends an attach that runs past activeDeadlineSeconds: SIGHUP, then DeadlineExceeded', async () => {
    const name = uniqueName('deadline');
    await cluster.create(cluster.manifest(name, {
      container: privileged, command: ['sh', '-c', 'echo started; sleep 1005'], nodeName: cluster.node, activeDeadlineSeconds: 1,
    }));
    const done = await cluster.waitForPhase(name, ['Failed']);
    assert.equal(done.status?.reason, 'DeadlineExceeded');
    assert.equal(done.status?.exitCode, 129);
    assert.equal(done.status?.signal, 1);
    assert.equal(done.status?.stdoutTail, 'started\n');
    await assertNothingLeft(privileged, 'sleep 1005');
  });

  it('hangs sessions up and records AgentShutdown when the agent is stopped', async () => {
    const name = uniqueName('shutdown');
    const flag = `/tmp/${name}.hup`;
    const client = await interactive(name, ['sh', '-c', `trap "echo hup > ${flag}; exit 9" HUP; echo ready; while :; do sleep 1; done`]);
    await client.waitForStdout('ready');
    await cluster.restartAgent('SIGTERM');
    fdsAtStart = await cluster.fdBaseline(privileged);
    const result = await client.done;
    assert.deepEqual(result.outcome, { exitCode: 9 });
    const done = await cluster.waitForPhase(name, ['Failed']);
    assert.equal(done.status?.reason, 'AgentShutdown');
    assert.equal(done.status?.exitCode, 9);
    assert.equal(execFileSync('lxc-attach', ['-n', privileged, '--', 'cat', flag], { encoding: 'utf8' }), 'hup\n');
  });

  it('fails ClientConnectTimeout when no client comes', async () => {
    const name = uniqueName('noclient');
    await cluster.createInteractive(name, { container: privileged, command: ['true'], connectTimeoutSeconds: 1 });
    const done = await cluster.waitForPhase(name, ['Failed']);
    assert.equal(done.status?.reason, 'ClientConnectTimeout');
  });

  it('marks a running attach AgentRestarted after kill -9 of the agent, and runs it only once', async () => {
    const name = uniqueName('agentkill');
    const marker = uniqueSleep();
    const file = `/tmp/${name}.runs`;
    const [shell, flag, script] = uncooperativeCommand(marker);
    await cluster.create(cluster.manifest(name, { container: privileged, command: [shell!, flag!, `echo run >> ${file}\n${script}`], nodeName: cluster.node }));
    await cluster.waitForPhase(name, ['Running']);
    await waitFor('the command to run', () => (commandRuns(`sleep ${marker}`) ? true : undefined));
    await cluster.restartAgent('SIGKILL');
    fdsAtStart = await cluster.fdBaseline(privileged);
    const done = await cluster.waitForPhase(name, ['Failed']);
    assert.equal(done.status?.reason, 'AgentRestarted');
    await assertNothingLeft(privileged, `sleep ${marker}`);
    const runs = execFileSync('lxc-attach', ['-n', privileged, '--', 'cat', file], { encoding: 'utf8' });
    assert.equal(runs, 'run\n');
  });

  it('keeps a session running across an API server restart and records its end', async () => {
    const name = uniqueName('apirestart');
    const client = await interactive(name, ['sh', '-c', 'while read l; do echo "got $l"; done; echo bye']);
    client.stdin('one\n');
    await client.waitForStdout('got one');
    await cluster.api.proc.stop('SIGKILL');
    cluster.api = await restartApiServer(cluster.api);
    client.stdin('two\n');
    await client.waitForStdout('got two');
    client.closeStdin();
    const result = await client.done;
    assert.deepEqual(result.outcome, { exitCode: 0 });
    const done = await cluster.waitForPhase(name, ['Succeeded'], 30_000);
    assert.equal(done.status?.exitCode, 0);
  });

  it('starts a session whose client connects while the API server restarts, once the start is recorded', async () => {
    const name = uniqueName('connect-during-restart');
    const { token } = await cluster.createInteractive(name, { container: privileged, command: ['sh', '-c', 'while read l; do echo "got $l"; done'] });
    const waiting = await cluster.waitForPhase(name, ['WaitingForClient']);
    await cluster.api.proc.stop('SIGKILL');
    const opening = StreamClient.open(waiting.status!.endpoint!, token);
    await new Promise((r) => setTimeout(r, 1000));
    cluster.api = await restartApiServer(cluster.api);
    const client = await opening;
    client.stdin('one\n');
    await client.waitForStdout('got one');
    client.closeStdin();
    assert.deepEqual((await client.done).outcome, { exitCode: 0 });
    const done = await cluster.waitForPhase(name, ['Succeeded', 'Failed'], 30_000);
    assert.equal(done.status?.phase, 'Succeeded', JSON.stringify(done.status));
  });

  it('is not ready while its watches are down (API server killed -9), and is ready again only once it sees new objects', async () => {
    const readyz = async () => (await cluster.agentGet('/readyz')).status;
    await cluster.api.proc.stop('SIGKILL');
    await waitFor('the agent to say it is not ready', async () => ((await readyz()) === 503 ? true : undefined), 15_000);
    cluster.api = await restartApiServer(cluster.api);
    await waitFor('the agent to be ready again', async () => ((await readyz()) === 200 ? true : undefined), 15_000);
    const name = uniqueName('after-ready');
    await cluster.create(cluster.manifest(name, { container: privileged, command: ['true'], nodeName: cluster.node }, { [nodeLabel]: cluster.node }));
    await cluster.waitForPhase(name, ['Succeeded'], 10_000);
  });
});
