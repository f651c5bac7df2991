// Issue 12, M3: a log (-o) or pty-log (-L) path the policy allowed cannot be redirected outside
// its allowed directory: not by a dangling symlink as its last component (which a check of the
// parent directory does not see), nor by a directory swapped for a symlink between the admission
// and the start of the attach. The attach fails with the true reason and creates nothing outside.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { containerNames } from '../support/containers.js';
import { AgentCluster, uniqueName } from '../support/agent-cluster.js';
import { assertFdsBackTo, assertNoAttachCgroups } from '../support/leftovers.js';
import { tempDir } from '../support/processes.js';
import { StreamClient } from '../support/stream-client.js';

describe('security: log paths cannot be redirected', function () {
  this.timeout(60_000);
  const { privileged } = containerNames();
  const allowed = tempDir('allowed-logs');
  const outside = tempDir('outside');
  const cluster = new AgentCluster();
  let fds = 0;
  before(async () => {
    await cluster.start(`policy:\n  logFileDirectories: [${allowed}]\n  ptyLogDirectories: [${allowed}]\n`);
    fds = await cluster.fdBaseline(privileged);
  });
  after(async () => {
    await cluster.stop();
    fs.rmSync(allowed, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });
  afterEach(async () => {
    assert.deepEqual(fs.readdirSync(outside), [], 'nothing was created outside the allowed directory');
    await assertNoAttachCgroups(privileged);
    await assertFdsBackTo(cluster.agent.proc.pid, fds);
  });

  const cases = [
    { what: '-o', field: (file: string) => ({ log: { file, priority: 'INFO' } }), reason: 'LogInitFailed' },
    { what: '-L', field: (file: string) => ({ ptyLog: file }), reason: 'PtyLogOpenFailed' },
  ];

  for (const c of cases) {
    it(`refuses a dangling symlink as the last component of ${c.what}`, async () => {
      const link = path.join(allowed, `${uniqueName('dangling')}.log`);
      fs.symlinkSync(path.join(outside, 'created-by-the-attach'), link);
      const name = uniqueName('dangling');
      await cluster.create(cluster.manifest(name, { container: privileged, command: ['true'], nodeName: cluster.node, ...c.field(link) }));
      const done = await cluster.waitForPhase(name, ['Failed', 'Succeeded']);
      assert.equal(done.status?.reason, c.reason, JSON.stringify(done.status));
      assert.match(done.status?.message ?? '', /Too many levels of symbolic links/);
    });

    it(`refuses a directory swapped for a symlink after the admission (${c.what})`, async () => {
      const sub = path.join(allowed, uniqueName('later'));
      const name = uniqueName('swapped');
      const { token } = await cluster.createInteractive(name, { container: privileged, command: ['true'], ...c.field(path.join(sub, 'x.log')) });
      const waiting = await cluster.waitForPhase(name, ['WaitingForClient']);
      // Admitted while `sub` did not exist (its parent is allowed); now it leads outside.
      fs.symlinkSync(outside, sub);
      const client = await StreamClient.open(waiting.status!.endpoint!, token);
      await client.done;
      const done = await cluster.waitForPhase(name, ['Failed', 'Succeeded']);
      assert.equal(done.status?.reason, c.reason, JSON.stringify(done.status));
    });
  }

  it('still writes log files that are really under the allowed directory', async () => {
    const name = uniqueName('logs-ok');
    const logFile = path.join(allowed, `${name}.log`);
    const ptyLog = path.join(allowed, `${name}.pty`);
    const { token } = await cluster.createInteractive(name, {
      container: privileged, command: ['echo', 'to the pty'], tty: true, log: { file: logFile, priority: 'INFO' }, ptyLog,
    });
    const waiting = await cluster.waitForPhase(name, ['WaitingForClient']);
    const client = await StreamClient.open(waiting.status!.endpoint!, token);
    await client.done;
    assert.equal((await cluster.waitForPhase(name, ['Succeeded', 'Failed'])).status?.reason, 'Completed');
    assert.match(fs.readFileSync(logFile, 'utf8'), / INFO /);
    assert.equal(fs.readFileSync(ptyLog, 'latin1'), 'to the pty\r\n');
  });
});
