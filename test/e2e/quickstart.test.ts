// The README's first command: scripts/quickstart.sh brings up standalone mode on this host and runs
// `kubectl lxc-attach -n demo -- uname -a` through the real kubectl (setup is skipped here: the
// test command has just run it).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoPath } from '../support/paths.js';
import { tempDir } from '../support/processes.js';

describe('scripts/quickstart.sh', function () {
  this.timeout(120_000);
  const container = `lxcat-${process.pid}-demo`;
  const dir = tempDir('quickstart');

  after(() => {
    try {
      process.kill(Number(readFileSync(path.join(dir, 'standalone.pid'), 'utf8')), 'SIGTERM');
    } catch {
      // NB: the script may have failed before starting the server; the assertion says so.
    }
    execFileSync(repoPath('scripts/lxc-test-container.sh'), ['destroy', container]);
  });

  it('starts standalone mode and runs kubectl lxc-attach -n demo -- uname -a', () => {
    const r = spawnSync(repoPath('scripts/quickstart.sh'), ['--no-setup'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir, DEMO_CONTAINER: container, STANDALONE_DIR: dir, KUBECONFIG: path.join(dir, 'kubeconfig') },
      timeout: 110_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^\\+ kubectl lxc-attach -n ${container} -- uname -a\\nLinux ${container} `, 'm'));
    assert.match(r.stdout, /Standalone mode is running/);
  });
});
