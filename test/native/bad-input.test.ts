// Malformed option values: exit 1 and one line on stderr, as lxc-attach does, and nothing left
// behind (processes, cgroup directories, files). Failing attaches leave nothing behind either, and
// create log files only where lxc-attach creates them.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync, type StdioOptions } from 'node:child_process';
import { containerNames } from '../support/containers.js';
import { baseEnv, helperPath, lxcAttachPath } from './support/attach-runner.js';
import { containerCgroupDirs, containerProcesses, processesWithEnv } from './support/leftovers.js';

const names = containerNames();

interface Run {
  status: number | null;
  stderr: string;
  /** files in the (fresh, empty) working directory afterwards */
  created: string[];
}

function listTree(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort() : [];
}

/** Default log files of this run's container names (other suites may share the machine). */
function ourLogs(): string[] {
  return listTree('/var/log/lxc').filter((f) => f.startsWith(`lxcat-${process.pid}-`));
}

describe('lxc-attach-helper bad input', function () {
  this.timeout(30_000);
  let cwd: string;
  let snapshot: { processes: Map<string, number[]>; cgroups: Map<string, string[]>; logs: string[] };

  function run(program: string, args: string[], stdio: StdioOptions = 'pipe'): Run {
    const marker = randomUUID();
    fs.rmSync(cwd, { recursive: true, force: true });
    fs.mkdirSync(cwd);
    const res = spawnSync(program, args, {
      argv0: 'lxc-attach',
      cwd,
      env: { ...baseEnv, LXCAT_RUN: marker },
      stdio,
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.deepEqual(processesWithEnv(`LXCAT_RUN=${marker}`), [], 'a process of the run is still there');
    return { status: res.status, stderr: res.stderr ?? '', created: listTree(cwd) };
  }

  before(() => {
    // The first attach to a container creates its persistent `.lxc` cgroup leaf; after that,
    // any new directory (like `.lxc-1` on EBUSY) would be a leftover.
    for (const name of [names.privileged, names.unprivileged]) {
      assert.equal(spawnSync(lxcAttachPath, ['-n', name, '--', 'true']).status, 0);
    }
  });

  beforeEach(() => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), `lxcat-${process.pid}-bad-`));
    const processes = new Map<string, number[]>();
    const cgroups = new Map<string, string[]>();
    for (const name of [names.privileged, names.unprivileged]) {
      processes.set(name, containerProcesses(name));
      cgroups.set(name, containerCgroupDirs(name));
    }
    snapshot = { processes, cgroups, logs: ourLogs() };
  });

  afterEach(() => {
    for (const [name, pids] of snapshot.processes) assert.deepEqual(containerProcesses(name), pids, `processes in ${name}`);
    for (const [name, dirs] of snapshot.cgroups) assert.deepEqual(containerCgroupDirs(name), dirs, `cgroup directories of ${name}`);
    assert.deepEqual(ourLogs(), snapshot.logs, 'files in /var/log/lxc');
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  const malformed: { name: string; args: string[] }[] = [
    { name: '-eFOO', args: ['-eFOO'] },
    { name: '--elevated-privileges=cap', args: ['--elevated-privileges=cap'] },
    { name: '-s FOO', args: ['-s', 'FOO'] },
    { name: '-s mount', args: ['-s', 'mount'] },
    { name: '--namespaces=PID,UTS', args: ['--namespaces=PID,UTS'] },
    { name: '-a foo', args: ['-a', 'foo'] },
    { name: '--arch=', args: ['--arch='] },
    { name: '-u abc', args: ['-u', 'abc'] },
    { name: '-u -1', args: ['-u', '-1'] },
    { name: '-u 4294967296', args: ['-u', '4294967296'] },
    { name: '-u ""', args: ['-u', ''] },
    { name: '--uid=99999999999999999999', args: ['--uid=99999999999999999999'] },
    { name: '-g 1.5', args: ['-g', '1.5'] },
    { name: '-g 12abc', args: ['-g', '12abc'] },
    { name: '-P twice', args: ['-P', '/var/lib/lxc', '-P', '/var/lib/lxc'] },
  ];

  for (const m of malformed) {
    it(`${m.name}: exit 1 and lxc-attach's one line`, () => {
      const args = [...m.args, '-n', names.privileged, '--', 'true'];
      const want = run(lxcAttachPath, args);
      const got = run(helperPath, args);
      assert.equal(got.status, 1);
      assert.match(got.stderr, /^[^\n]+\n$/);
      assert.deepEqual(got, want);
    });
  }

  const helperOnly: { name: string; args: string[]; fd3?: () => number; message: RegExp }[] = [
    { name: '--control-fd abc', args: ['--control-fd', 'abc'], message: /--control-fd: invalid file descriptor "abc"/ },
    { name: '--control-fd 2 (a std fd)', args: ['--control-fd', '2'], message: /--control-fd: invalid file descriptor "2"/ },
    { name: '--control-fd=-3', args: ['--control-fd=-3'], message: /--control-fd: invalid file descriptor "-3"/ },
    { name: '--control-fd= (empty)', args: ['--control-fd='], message: /--control-fd: invalid file descriptor ""/ },
    { name: '--control-fd 99 (not open)', args: ['--control-fd', '99'], message: /--control-fd: file descriptor 99 is not open/ },
    { name: '--status-fd 3x', args: ['--status-fd', '3x'], message: /--status-fd: invalid file descriptor "3x"/ },
    { name: '--status-fd " 3" (blank)', args: ['--status-fd', ' 3'], message: /--status-fd: invalid file descriptor " 3"/ },
    { name: '--control-fd +3 (sign)', args: ['--control-fd', '+3'], message: /--control-fd: invalid file descriptor "\+3"/ },
    { name: '--status-fd on a read-only fd', args: ['--status-fd', '3'], fd3: () => fs.openSync('/etc/hostname', 'r'), message: /--status-fd: file descriptor 3 is not open for writing/ },
    { name: '--control-fd on a write-only fd', args: ['--control-fd', '3'], fd3: () => fs.openSync('/dev/null', 'w'), message: /--control-fd: file descriptor 3 is not open for reading/ },
    { name: '--status-fd 4294967299 (overflow)', args: ['--status-fd', '4294967299'], message: /--status-fd: invalid file descriptor "4294967299"/ },
  ];

  for (const h of helperOnly) {
    it(`${h.name}: exit 1 and one line`, () => {
      const fd3 = h.fd3?.();
      let got: Run;
      try {
        got = run(helperPath, [...h.args, '-n', names.privileged, '--', 'true'], fd3 === undefined ? 'pipe' : ['pipe', 'pipe', 'pipe', fd3]);
      } finally {
        if (fd3 !== undefined) fs.closeSync(fd3);
      }
      assert.equal(got.status, 1);
      assert.match(got.stderr, /^lxc-attach-helper: [^\n]+\n$/);
      assert.match(got.stderr, h.message);
      assert.deepEqual(got.created, []);
    });
  }

  const failing: { name: string; args: string[] }[] = [
    { name: 'a uid outside the id map (fails after the cgroup move)', args: ['-u', '70000', '-n', names.unprivileged, '--', 'true'] },
    { name: '-s USER on a privileged container', args: ['-s', 'USER', '-n', names.privileged, '--', 'true'] },
    { name: 'a missing rcfile', args: ['-f', 'missing.conf', '-n', names.privileged, '--', 'true'] },
    { name: '-L in a missing directory', args: ['-L', 'missing/pty.log', '-n', names.privileged, '--', 'true'] },
    { name: '-L for a nonexistent container', args: ['-L', 'pty.log', '-n', `lxcat-${process.pid}-nosuch`, '--', 'true'] },
    { name: '-o for a nonexistent container', args: ['-o', 'logs/attach.log', '-n', `lxcat-${process.pid}-nosuch`, '--', 'true'] },
  ];

  for (const f of failing) {
    for (const supervised of [false, true]) {
      it(`${f.name}${supervised ? ' (supervised)' : ''}: exit 1, nothing left, files as lxc-attach`, () => {
        const want = run(lxcAttachPath, f.args);
        const got = run(helperPath, [...(supervised ? ['--status-fd', '3'] : []), ...f.args], ['pipe', 'pipe', 'pipe', 'pipe']);
        assert.equal(want.status, 1);
        assert.equal(got.status, 1);
        assert.deepEqual(got.created, want.created);
      });
    }
  }
});
