// Mocha global fixtures: the LXC containers the whole suite shares, and a check after every test.
//
// The machine has 2 cores, so the suite makes a few long-lived containers once per run instead of
// one per test. Names carry this process's pid (lxcat-<pid>-...), so a crashed run's leftovers are
// recognisable and reaped by the next run.
import { execFileSync } from 'node:child_process';
import { containerNames, testContainerPrefix } from './containers.js';
import { assertNoAttachCgroups, removeAttachCgroups } from './leftovers.js';
import { repoPath } from './paths.js';

const script = repoPath('scripts/lxc-test-container.sh');

function run(...args: string[]): void {
  execFileSync(script, args, { stdio: ['ignore', 'inherit', 'inherit'] });
}

export function mochaGlobalSetup(): void {
  if (process.getuid?.() !== 0) {
    throw new Error('the test suite needs root: it creates real LXC containers (run the README test command as root)');
  }
  run('reap', testContainerPrefix);
  const names = containerNames();
  run('create', names.privileged);
  run('create', names.unprivileged, '--unprivileged');
}

export function mochaGlobalTeardown(): void {
  const names = containerNames();
  run('destroy', names.privileged, names.unprivileged);
}

// A per-attach cgroup left behind (native/process-tree.c) would fail the leftover checks of every
// later test. So after each test any is removed and the test's name noted, and the run fails at its
// end naming the tests that left one.
const cgroupsLeftBy: string[] = [];

export const mochaHooks = {
  async afterEach(this: Mocha.Context): Promise<void> {
    const names = containerNames();
    for (const container of [names.privileged, names.unprivileged]) {
      try {
        await assertNoAttachCgroups(container);
      } catch (err) {
        cgroupsLeftBy.push(`${this.currentTest?.fullTitle() ?? '?'}: ${(err as Error).message}`);
        await removeAttachCgroups(container);
      }
    }
  },
  afterAll(): void {
    if (cgroupsLeftBy.length > 0) throw new Error(`tests left per-attach cgroups behind:\n${cgroupsLeftBy.join('\n')}`);
  },
};
