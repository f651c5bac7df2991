// The helper-only options the node agent uses: --pty, --control-fd, --status-fd,
// --hangup-grace-ms, --confine-logfile, --confine-pty-log. Real helper, real containers; after
// every test no process of the run may remain, on the host or inside.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { containerNames } from '../support/containers.js';
import { repoPath } from '../support/paths.js';
import { helperPath, lxcAttachPath, baseEnv } from './support/attach-runner.js';
import { HelperSession, type StatusEvent } from './support/helper-session.js';
import { containerProcesses, processesWithEnv } from './support/leftovers.js';
import { attachCgroupsLeft, childPids } from '../support/leftovers.js';
import { uncooperativeCommand, uniqueSleep } from '../support/uncooperative.js';

const names = containerNames();

function eventsWithoutPid(events: StatusEvent[]): StatusEvent[] {
  return events.map((e) => (e.event === 'attached' ? { event: 'attached', pid: e.pid! > 0 ? 1 : 0 } : e));
}

function isHelper(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith(`${helperPath}\0`);
  } catch {
    return false; // NB: it has ended
  }
}

async function settled(check: () => boolean, ms = 5_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

describe('lxc-attach-helper supervisor options', function () {
  this.timeout(30_000);
  const baseline = new Map<string, number[]>();
  let sessions: HelperSession[] = [];

  function session(args: string[], options?: ConstructorParameters<typeof HelperSession>[1]): HelperSession {
    const s = new HelperSession(args, options);
    sessions.push(s);
    return s;
  }

  before(() => {
    for (const name of [names.privileged, names.unprivileged]) baseline.set(name, containerProcesses(name));
  });

  afterEach(async () => {
    for (const s of sessions) {
      // A test that failed half-way leaves its helper running; killing it must clean up too.
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
      const gone = await settled(() => processesWithEnv(s.marker).length === 0);
      assert.ok(gone, `processes of the run remain: ${processesWithEnv(s.marker).join(' ')}`);
    }
    sessions = [];
    for (const [name, before] of baseline) {
      assert.ok(await settled(() => containerProcesses(name).join() === before.join()), `leftover processes in ${name}: ${containerProcesses(name).join(' ')} (was ${before.join(' ')})`);
    }
  });

  describe('--pty', () => {
    it('gives the process a terminal of 80x24 that follows resize messages (stty size)', async () => {
      const s = session(['--pty', '-n', names.privileged, '--', 'sh', '-c', 'stty size; while read l; do stty size; done']);
      await s.attached();
      await s.output('24 80\r\n');
      s.control('resize 100 40\n');
      // SIGWINCH reaches liblxc's relay asynchronously; ask again until the new size shows.
      await s.until('the new size', () => {
        if (!s.stdout.includes('40 100')) s.write('\n');
        return s.stdout.includes('40 100\r\n');
      });
      s.closeStdin();
      const { code, events } = await s.finish();
      assert.equal(code, 129);
      assert.deepEqual(events.at(-1), { event: 'exited', code: 129, signal: 1 });
    });

    it('runs an interactive shell and passes its exit status', async () => {
      const s = session(['--pty', '-n', names.privileged]);
      await s.attached();
      await s.output('# ');
      s.write('echo $((6*7)); tty\n');
      await s.output('42\r\n/dev/pts/');
      s.write('exit 7\n');
      const { code, events } = await s.finish();
      assert.equal(code, 7);
      assert.deepEqual(eventsWithoutPid(events), [{ event: 'attached', pid: 1 }, { event: 'exited', code: 7 }]);
    });

    it('puts the process\'s stderr into the pty and passes bytes through without a second CR', async () => {
      const s = session(['--pty', '-n', names.privileged, '--', 'sh', '-c', 'echo out; echo err >&2']);
      const { code } = await s.finish();
      assert.equal(code, 0);
      assert.equal(s.stdout, 'out\r\nerr\r\n');
      assert.equal(s.stderr, '');
    });

    it('hangs up the session (SIGHUP) when stdin reaches EOF: sleep exits 129', async () => {
      const s = session(['--pty', '-n', names.privileged, '--', 'sleep', '100']);
      await s.attached();
      s.closeStdin();
      const { code, events } = await s.finish();
      assert.equal(code, 129);
      assert.deepEqual(events.at(-1), { event: 'exited', code: 129, signal: 1 });
    });

    it('hangs up a plain shell on stdin EOF: 129', async () => {
      const s = session(['--pty', '-n', names.privileged]);
      await s.attached();
      await s.output('# ');
      s.closeStdin();
      const { code } = await s.finish();
      assert.equal(code, 129);
    });

    it('hangs up an unprivileged container\'s shell on stdin EOF', async () => {
      const s = session(['--pty', '-n', names.unprivileged, '--', 'sh', '-c', 'grep Seccomp: /proc/self/status; exec sleep 100']);
      await s.attached();
      await s.output('Seccomp:\t2');
      s.closeStdin();
      assert.equal((await s.finish()).code, 129);
    });

    it('run from a terminal: takes its size, makes it raw and restores it', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lxcat-${process.pid}-tty-`));
      try {
        execFileSync('mkfifo', [path.join(dir, 'stdin')]);
        const inner = `stty cols 120 rows 50; before=$(stty -g); ${helperPath} --pty -n ${names.privileged} -- stty size; [ "$(stty -g)" = "$before" ] && echo restored`;
        const out = execFileSync('/bin/sh', ['-c', 'exec script -qec "$1" /dev/null 0<>"$2"', 'sh', inner, path.join(dir, 'stdin')], { encoding: 'latin1', env: baseEnv });
        // The helper's stdout is script's terminal here, which adds its own CR.
        assert.equal(out, '50 120\r\r\nrestored\r\n');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('writes the -L pty log', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lxcat-${process.pid}-ptylog-`));
      try {
        const s = session(['--pty', '-L', path.join(dir, 'pty.log'), '-n', names.privileged, '--', 'echo', 'logged']);
        assert.equal((await s.finish()).code, 0);
        assert.equal(fs.readFileSync(path.join(dir, 'pty.log'), 'latin1'), 'logged\r\n');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('--control-fd', () => {
    it('sends a signal to the process group: sleep 100 killed by signal 15 exits 143', async () => {
      const s = session(['-n', names.privileged, '--', 'sleep', '100']);
      await s.attached();
      s.control('signal 15\n');
      const { code, events } = await s.finish();
      assert.equal(code, 143);
      assert.deepEqual(eventsWithoutPid(events), [{ event: 'attached', pid: 1 }, { event: 'exited', code: 143, signal: 15 }]);
    });

    it('reaches the children of the attached process too', async () => {
      const s = session(['-n', names.privileged, '--', 'sh', '-c', 'sleep 100 & echo started; wait']);
      await s.output('started\n');
      s.control('signal 9\n');
      const { code } = await s.finish();
      assert.equal(code, 137);
    });

    it('ignores malformed lines with a one-line warning each', async () => {
      const s = session(['-n', names.privileged, '--', 'sleep', '100']);
      await s.attached();
      s.control('bogus\nresize x 3\nsignal 99\nsignal\n\nresize 80 24\n');
      await s.until('six warnings', () => s.stderr.split('\n').length > 6);
      s.control('signal 2\n');
      const { code, events } = await s.finish();
      assert.equal(code, 130);
      assert.deepEqual(events.at(-1), { event: 'exited', code: 130, signal: 2 });
      const lines = s.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 6, s.stderr);
      for (const line of lines) assert.match(line, /^lxc-attach-helper: control: ignoring /);
    });

    it('delivers a signal sent before the attach once attached (even before exec)', async () => {
      const s = session(['-n', names.privileged, '--', 'sleep', '100']);
      s.control('signal 9\n');
      const { code, events } = await s.finish();
      assert.equal(code, 137);
      assert.deepEqual(eventsWithoutPid(events), [{ event: 'attached', pid: 1 }, { event: 'exited', code: 137, signal: 9 }]);
      assert.equal(s.stderr, '');
    });

    it('hangs up the session when the control fd closes', async () => {
      const s = session(['-n', names.privileged, '--', 'sleep', '100']);
      await s.attached();
      s.closeControl();
      const { code, events } = await s.finish();
      assert.equal(code, 129);
      assert.deepEqual(events.at(-1), { event: 'exited', code: 129, signal: 1 });
    });

    it('keeps stdin EOF a plain EOF without --pty', async () => {
      const s = session(['-n', names.privileged, '--', 'cat']);
      s.write('a\nb\n');
      s.closeStdin();
      const { code } = await s.finish();
      assert.equal(code, 0);
      assert.equal(s.stdout, 'a\nb\n');
    });

    it('hangs up on SIGTERM to the helper and still reports', async () => {
      const s = session(['--pty', '-n', names.privileged, '--', 'sleep', '100']);
      await s.attached();
      s.child.kill('SIGTERM');
      const { code, events } = await s.finish();
      assert.equal(code, 129);
      assert.deepEqual(events.at(-1), { event: 'exited', code: 129, signal: 1 });
    });
  });

  describe('--status-fd', () => {
    it('reports the attached process\'s host pid, which is in the container', async () => {
      const s = session(['-n', names.privileged, '--', 'sleep', '100']);
      const pid = await s.attached();
      const init = spawnSync('lxc-info', ['-n', names.privileged, '-pH'], { encoding: 'utf8' }).stdout.trim();
      assert.equal(fs.readlinkSync(`/proc/${pid}/ns/pid`), fs.readlinkSync(`/proc/${init}/ns/pid`));
      s.control('signal 9\n');
      assert.equal((await s.finish()).code, 137);
    });

    it('tells a command that exits 1 ...', async () => {
      const s = session(['-n', names.privileged, '--', 'sh', '-c', 'exit 1']);
      const { code, events } = await s.finish();
      assert.equal(code, 1);
      assert.deepEqual(eventsWithoutPid(events), [{ event: 'attached', pid: 1 }, { event: 'exited', code: 1 }]);
    });

    const failures: { name: string; args: string[]; reason: string; errno: number }[] = [
      { name: '... from a stopped container', args: ['-n', 'STOPPED', '--', 'true'], reason: 'ContainerNotRunning', errno: 111 },
      { name: '... from a nonexistent container', args: ['-n', `lxcat-${process.pid}-nosuch`, '--', 'true'], reason: 'ContainerNotFound', errno: 111 },
      { name: '... from a setup failure inside the container (uid outside the map)', args: ['-u', '70000', '-n', names.unprivileged, '--', 'true'], reason: 'SetupFailed', errno: 0 },
      { name: '... from a missing rcfile', args: ['-f', '/nonexistent.conf', '-n', names.privileged, '--', 'true'], reason: 'RcfileLoadFailed', errno: 0 },
      { name: '... from a -L in a missing directory', args: ['-L', '/nonexistent/pty.log', '-n', names.privileged, '--', 'true'], reason: 'PtyLogOpenFailed', errno: 2 },
      { name: '... from -c with an elevated LSM', args: ['-c', 'x', '-e', '-n', names.privileged, '--', 'true'], reason: 'InvalidArguments', errno: 0 },
      { name: '... from a malformed option value', args: ['-u', 'abc', '-n', names.privileged, '--', 'true'], reason: 'InvalidArguments', errno: 0 },
      { name: '... from -s USER on a privileged container', args: ['-s', 'USER', '-n', names.privileged, '--', 'true'], reason: 'AttachFailed', errno: 0 },
    ];
    for (const f of failures) {
      it(f.name, async function () {
        const stopped = `lxcat-${process.pid}-stopped`;
        const args = f.args.map((a) => (a === 'STOPPED' ? stopped : a));
        if (f.reason === 'ContainerNotRunning') createStopped(stopped);
        try {
          const s = session(args);
          const { code, events } = await s.finish();
          assert.equal(code, 1);
          assert.equal(events.length, 2, JSON.stringify(events));
          assert.deepEqual({ ...events[0], message: undefined }, { event: 'attach-failed', reason: f.reason, errno: f.errno, message: undefined });
          assert.match(events[0]!.message!, /\S/);
          assert.deepEqual(events[1], { event: 'exited', code: 1 });
        } finally {
          if (f.reason === 'ContainerNotRunning') destroy(stopped);
        }
      });
    }

    it('reports exec-failed for a missing command, then exited 127', async () => {
      const s = session(['-n', names.privileged, '--', 'nosuchcommand']);
      const { code, events } = await s.finish();
      assert.equal(code, 127);
      assert.deepEqual(eventsWithoutPid(events), [
        { event: 'attached', pid: 1 },
        { event: 'exec-failed', errno: 2, message: 'Failed to exec "nosuchcommand": No such file or directory' },
        { event: 'exited', code: 127 },
      ]);
    });

    it('reports exec-failed with EACCES for a directory, then exited 126', async () => {
      const s = session(['-n', names.privileged, '--', '/etc']);
      const { code, events } = await s.finish();
      assert.equal(code, 126);
      assert.deepEqual(events.map((e) => [e.event, e.errno ?? e.code]), [['attached', undefined], ['exec-failed', 13], ['exited', 126]]);
    });

    it('reports exec-failed with ENOTDIR, then exited 255', async () => {
      const s = session(['-n', names.privileged, '--', '/etc/passwd/x']);
      const { code, events } = await s.finish();
      assert.equal(code, 255);
      assert.deepEqual(events.map((e) => [e.event, e.errno ?? e.code]), [['attached', undefined], ['exec-failed', 20], ['exited', 255]]);
    });
  });

  describe('file descriptors', () => {
    const extraFds = () => [fs.openSync('/dev/null', 'r'), fs.openSync('/etc/hostname', 'r')];

    for (const mode of [[], ['--pty']]) {
      it(`passes only 0-2 into the container (${mode.length ? '--pty' : 'no pty'}), even with extra fds from the caller`, async () => {
        const fds = extraFds();
        try {
          const s = session([...mode, '-n', names.privileged, '--', 'ls', '-1', '/proc/self/fd'], { extraFds: fds });
          assert.equal((await s.finish()).code, 0);
          assert.deepEqual(s.stdout.split(/\r?\n/).filter(Boolean), ['0', '1', '2', '3']);
        } finally {
          for (const fd of fds) fs.closeSync(fd);
        }
      });
    }

    it('passes only 0-2 without helper options too, where lxc-attach leaks the caller\'s fds', () => {
      const fds = extraFds();
      try {
        const stdio = ['pipe', 'pipe', 'pipe', fds[0]!, fds[1]!] as const;
        const run = (program: string) =>
          spawnSync(program, ['-n', names.privileged, '--', 'ls', '/proc/self/fd'], { env: baseEnv, stdio: [...stdio], encoding: 'utf8' }).stdout;
        assert.equal(run(helperPath), '0\n1\n2\n3\n');
        // lxc-attach passes fds 3 and 4 (and whatever else the test runner leaked to it).
        const leaked = run(lxcAttachPath).split('\n');
        assert.ok(leaked.includes('3') && leaked.includes('4') && leaked.includes('5'), leaked.join(' '));
      } finally {
        for (const fd of fds) fs.closeSync(fd);
      }
    });
  });

  describe('signal dispositions', () => {
    it('gives the attached process the caller\'s ignored signals, as lxc-attach does', () => {
      const run = (program: string, ...extra: string[]) =>
        spawnSync('/bin/sh', ['-c', 'trap "" HUP INT; exec "$0" "$@"', program, ...extra, '-n', names.privileged, '--', 'grep', '-E', '^Sig(Ign|Blk)', '/proc/self/status'], {
          env: baseEnv,
          stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
          encoding: 'utf8',
        }).stdout;
      const want = run(lxcAttachPath);
      assert.match(want, /^SigIgn:\s+0+3\n/m);
      assert.equal(run(helperPath, '--status-fd', '3', '--control-fd', '3'), want);
    });
  });

  describe('--hangup-grace-ms', () => {
    async function uncooperative(args: string[]): Promise<HelperSession> {
      const s = session([...args, '-n', names.privileged, '--', ...uncooperativeCommand(uniqueSleep())]);
      await s.output('ready\n');
      // sh, its direct sleep, the double-forked sleep, the loop's sleep, plus helper and attach child
      assert.ok(await settled(() => processesWithEnv(s.marker).length >= 6), processesWithEnv(s.marker).join(' '));
      return s;
    }

    it('kills the whole tree, double-forked children too, when a hang-up is ignored for the grace period', async () => {
      const s = await uncooperative(['--hangup-grace-ms', '500']);
      const hungUp = Date.now();
      s.closeControl();
      const { code, events } = await s.finish();
      const took = Date.now() - hungUp;
      assert.equal(code, 137);
      assert.deepEqual(events.at(-1), { event: 'exited', code: 137, signal: 9 });
      assert.ok(took >= 500 && took < 5_000, `ended ${took} ms after the hang-up`);
      assert.deepEqual(processesWithEnv(s.marker), []);
      assert.deepEqual(attachCgroupsLeft(names.privileged), []);
    });

    it('kills the whole tree at once on a second SIGTERM', async () => {
      const s = await uncooperative(['--hangup-grace-ms', '600000']);
      s.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      s.child.kill('SIGTERM');
      const { code } = await s.finish(5_000);
      assert.equal(code, 137);
      assert.deepEqual(processesWithEnv(s.marker), []);
    });

    it('ends the whole tree and removes its cgroup when the helper is killed -9', async () => {
      const s = await uncooperative(['--hangup-grace-ms', '600000']);
      assert.equal(attachCgroupsLeft(names.privileged).length, 1, 'the attach has its cgroup');
      s.child.kill('SIGKILL');
      await s.exited;
      assert.ok(await settled(() => processesWithEnv(s.marker).length === 0), processesWithEnv(s.marker).join(' '));
      assert.ok(await settled(() => attachCgroupsLeft(names.privileged).length === 0), attachCgroupsLeft(names.privileged).join(' '));
    });

    it('ends the whole tree when the attach child is killed -9 (the attach is broken, not ended)', async () => {
      const s = await uncooperative(['--hangup-grace-ms', '600000']);
      const [attachChild] = childPids(s.child.pid!);
      process.kill(attachChild!, 'SIGKILL');
      const { code, events } = await s.finish(10_000);
      assert.equal(code, 137);
      // NB: no signal: how the attached process ended is what A would have told.
      assert.deepEqual(events.at(-1), { event: 'exited', code: 137 });
      assert.deepEqual(processesWithEnv(s.marker), []);
      assert.deepEqual(attachCgroupsLeft(names.privileged), []);
    });

    it('leaves no cgroup when liblxc fails the attach as the attached process reports (lxc.proc.*)', async () => {
      // liblxc applies lxc.proc.* from the attach child while the attached process finishes its
      // setup. The helper used to read "attached" last, after the attach child had exited with the
      // failure, and made a cgroup nobody released (1 run in 6 to 1 in 30): thirty runs. Whether the
      // command runs depends on which of the two reaches the helper first, as with lxc-attach.
      const rcfile = path.join(os.tmpdir(), `lxcat-${process.pid}-proc-bad.conf`);
      fs.writeFileSync(rcfile, 'lxc.proc.no_such_file = 1\n');
      try {
        for (let i = 0; i < 30; i++) {
          const s = session(['-f', rcfile, '-n', names.privileged, '--', 'sh', '-c', 'echo RAN']);
          const { code, events } = await s.finish();
          assert.equal(code, 1);
          assert.ok(events.some((e) => e.event === 'attach-failed'), JSON.stringify(events));
          assert.deepEqual(attachCgroupsLeft(names.privileged), [], `run ${i + 1}`);
        }
      } finally {
        fs.rmSync(rcfile);
      }
    });

    it('removes its cgroup once the command has ended, while its output still waits for a reader', async () => {
      // The helper's stdout is a pipe to a process that never reads. 100 kB fit in that pipe and the
      // helper's 64 KiB relay buffer: the command and the attach child end, and the helper holds the
      // rest until somebody reads, or kills it (as the agent does after its grace period).
      const wrapper = ['sh', '-c', '"$@" | sleep 1000', 'sh'];
      const s = session(['--pty', '-n', names.privileged, '--', 'head', '-c', '100000', '/dev/zero'], { wrapper });
      try {
        await s.attached();
        assert.ok(await settled(() => attachCgroupsLeft(names.privileged).length === 0), attachCgroupsLeft(names.privileged).join(' '));
        assert.ok(processesWithEnv(s.marker).some(isHelper), 'the helper still waits to write its output');
      } finally {
        execFileSync('pkill', ['-KILL', '-x', '-f', 'sleep 1000', '-P', String(s.child.pid)]);
      }
      await s.finish();
      assert.deepEqual(processesWithEnv(s.marker), [], 'the helper ends once its reader is gone');
    });

    it('removes the cgroup it made for the attach when killed -9 before moving the process in', async () => {
      // strace holds the helper for 3 s after its mkdir(2) returns: the window in which it has made
      // the cgroup but not yet moved the attached process into it. Only the attach child is left to
      // remove it, and the attached process may already be gone by then.
      const wrapper = ['strace', '-o', '/dev/null', '-e', 'trace=mkdir', '-e', 'inject=mkdir:delay_exit=3000000'];
      const s = session(['--hangup-grace-ms', '600000', '-n', names.privileged, '--', 'sleep', uniqueSleep()], { wrapper });
      assert.ok(await settled(() => attachCgroupsLeft(names.privileged).length === 1), 'the helper made the cgroup');
      const [helper] = childPids(s.child.pid!);
      assert.ok(isHelper(helper!), 'strace runs the helper');
      process.kill(helper!, 'SIGKILL');
      await s.exited;
      assert.deepEqual(s.events, [], 'the helper was killed before it reported the attach');
      assert.ok(await settled(() => processesWithEnv(s.marker).length === 0), processesWithEnv(s.marker).join(' '));
      assert.ok(await settled(() => attachCgroupsLeft(names.privileged).length === 0), attachCgroupsLeft(names.privileged).join(' '));
    });

    it('puts the attach into a cgroup of its own below the container\'s, and removes it afterwards', async () => {
      const s = session(['-n', names.unprivileged, '--', 'sh', '-c', 'grep "^0::" /proc/self/cgroup; read x || true']);
      const pid = await s.attached();
      await s.output('\n');
      assert.match(s.stdout, new RegExp(`^0::/\\.lxc/lxc-attach-helper\\.${pid}\n$`));
      assert.deepEqual(attachCgroupsLeft(names.unprivileged).map((d) => path.basename(d)), [`lxc-attach-helper.${pid}`]);
      s.closeStdin();
      assert.equal((await s.finish()).code, 0);
      assert.deepEqual(attachCgroupsLeft(names.unprivileged), []);
    });

    it('finds the attach\'s cgroup from a cgroup namespace of its own (a pod with the host\'s hierarchy mounted)', async () => {
      const mount = ['/sys/fs/cgroup/unified', '/sys/fs/cgroup'].find((d) => fs.existsSync(path.join(d, 'cgroup.procs')))!;
      const outer = path.join(mount, `lxcat-${process.pid}-cgns`);
      fs.mkdirSync(outer, { recursive: true });
      try {
        const wrapper = ['sh', '-c', `echo $$ > ${outer}/cgroup.procs && exec unshare --cgroup "$@"`, 'sh'];
        const s = session(['--hangup-grace-ms', '300', '-n', names.privileged, '--', ...uncooperativeCommand(uniqueSleep())], { wrapper });
        await s.output('ready\n');
        assert.ok(await settled(() => processesWithEnv(s.marker).length >= 6), processesWithEnv(s.marker).join(' '));
        assert.equal(attachCgroupsLeft(names.privileged).length, 1, 'the attach has its cgroup');
        s.closeControl();
        assert.equal((await s.finish()).code, 137);
        assert.deepEqual(processesWithEnv(s.marker), []);
        assert.deepEqual(attachCgroupsLeft(names.privileged), []);
      } finally {
        fs.rmdirSync(outer);
      }
    });

    it('leaves a daemon the command started running when no hang-up came, as lxc-attach does', async () => {
      const marker = uniqueSleep();
      const s = session(['-n', names.privileged, '--', 'sh', '-c', `setsid sleep ${marker} </dev/null >/dev/null 2>&1 & echo started`]);
      assert.equal((await s.finish()).code, 0);
      const daemon = processesWithEnv(s.marker);
      try {
        assert.equal(daemon.length, 1, 'the daemon runs on');
        const cgroup = fs.readFileSync(`/proc/${daemon[0]}/cgroup`, 'utf8');
        assert.match(cgroup, new RegExp(`^0::/lxc\\.payload\\.${names.privileged}/\\.lxc$`, 'm'), 'back in liblxc\'s cgroup');
        assert.deepEqual(attachCgroupsLeft(names.privileged), []);
      } finally {
        for (const pid of daemon) process.kill(pid, 'SIGKILL');
      }
    });

    it('removes its cgroup while a killed process of the attach is still exiting', async () => {
      // A process counts in its cgroup until it has finished exiting, but cgroup.procs stops
      // listing it as it starts: freeing 1 GiB of memory each, the killed dd's hold that state
      // for a while, and the helper's single rmdir used to fail with EBUSY and leave the cgroup.
      const s = session(['-n', names.privileged, '--', 'sh', '-c',
        'for i in 1 2 3; do dd if=/dev/zero of=/dev/null bs=1G count=1000000 2>/dev/null & done; sleep 1.5; kill -9 $(jobs -p); exit 0']);
      assert.equal((await s.finish()).code, 0);
      assert.doesNotMatch(s.stderr, /cannot remove/);
      assert.deepEqual(attachCgroupsLeft(names.privileged), []);
    });

    it('refuses a value that is not a number of milliseconds', () => {
      const r = spawnSync(helperPath, ['--hangup-grace-ms', '5s', '-n', names.privileged, '--', 'true'], { encoding: 'utf8' });
      assert.equal(r.status, 1);
      assert.equal(r.stderr, 'lxc-attach-helper: --hangup-grace-ms: invalid value "5s" (want 0..3600000)\n');
    });
  });

  describe('--confine-logfile and --confine-pty-log', () => {
    let dir = '';
    let outside = '';
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), `lxcat-${process.pid}-confined-`));
      outside = fs.mkdtempSync(path.join(os.tmpdir(), `lxcat-${process.pid}-outside-`));
    });
    afterEach(() => {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    });

    it('writes -o and -L beneath the allowed directory, making missing parents as liblxc does', async () => {
      const s = session(['--pty', '--confine-logfile', dir, '--confine-pty-log', dir, '-o', `${dir}/a/b/attach.log`, '-l', 'INFO',
        '-L', `${dir}/pty.log`, '-n', names.privileged, '--', 'echo', 'logged']);
      assert.equal((await s.finish()).code, 0);
      assert.equal(fs.readFileSync(path.join(dir, 'pty.log'), 'latin1'), 'logged\r\n');
      assert.match(fs.readFileSync(path.join(dir, 'a/b/attach.log'), 'utf8'), /INFO/);
    });

    for (const [option, flag, reason] of [['-o', '--confine-logfile', 'LogInitFailed'], ['-L', '--confine-pty-log', 'PtyLogOpenFailed']] as const) {
      it(`refuses a dangling symlink as the last component of ${option}: nothing is created outside`, async () => {
        fs.symlinkSync(path.join(outside, 'created'), path.join(dir, 'evil.log'));
        const s = session([flag, dir, option, `${dir}/evil.log`, '-n', names.privileged, '--', 'true']);
        const { code, events } = await s.finish();
        assert.equal(code, 1);
        assert.equal(events[0]?.reason, reason, JSON.stringify(events));
        assert.equal(events[0]?.errno, 40, 'ELOOP');
        assert.deepEqual(fs.readdirSync(outside), []);
      });

      it(`refuses a symlinked directory on the way to ${option}, and a path not spelled under the directory`, async () => {
        fs.symlinkSync(outside, path.join(dir, 'sub'));
        for (const file of [`${dir}/sub/x.log`, `${outside}/x.log`, `${dir}/../${path.basename(outside)}/x.log`]) {
          const s = session([flag, dir, option, file, '-n', names.privileged, '--', 'true']);
          const { code, events } = await s.finish();
          assert.equal(code, 1, file);
          assert.equal(events[0]?.reason, reason, `${file}: ${JSON.stringify(events)}`);
        }
        assert.deepEqual(fs.readdirSync(outside), []);
      });
    }

    it('refuses a directory that is not absolute', () => {
      const r = spawnSync(helperPath, ['--confine-pty-log', 'logs', '-n', names.privileged, '--', 'true'], { encoding: 'utf8' });
      assert.equal(r.status, 1);
      assert.equal(r.stderr, 'lxc-attach-helper: --confine-pty-log: "logs" is not an absolute path\n');
    });

    it('needs an explicit -o with -l', async () => {
      const s = session(['--confine-logfile', dir, '-l', 'INFO', '-n', names.privileged, '--', 'true']);
      const { code, events } = await s.finish();
      assert.equal(code, 1);
      assert.equal(events[0]?.reason, 'LogInitFailed');
      assert.match(s.stderr, /--confine-logfile needs an explicit -o/);
    });
  });

  describe('when the helper dies', () => {
    it('the attach child kills the whole tree of an uncooperative command', async () => {
      const s = session(['-n', names.privileged, '--', ...uncooperativeCommand(uniqueSleep())]);
      await s.output('ready\n');
      assert.ok(await settled(() => processesWithEnv(s.marker).length >= 6), processesWithEnv(s.marker).join(' '));
      s.child.kill('SIGKILL');
      await s.exited;
      assert.ok(await settled(() => attachCgroupsLeft(names.privileged).length === 0), attachCgroupsLeft(names.privileged).join(' '));
      // afterEach checks that every process of the run is gone, in the container too.
    });

    for (const mode of [[], ['--pty']]) {
      it(`neither its attach child nor the attached process lives on (${mode.length ? '--pty' : 'no pty'})`, async () => {
        const s = session([...mode, '-n', names.privileged, '--', 'sh', '-c', 'sleep 100 & sleep 100']);
        await s.attached();
        // The helper, its attach child, the background sleep and sh (exec'd into the last sleep):
        // the scan must see them for the check after the kill to mean anything.
        assert.ok(await settled(() => processesWithEnv(s.marker).length >= 4), processesWithEnv(s.marker).join(' '));
        s.child.kill('SIGKILL');
        await s.exited;
        // afterEach checks that every process of the run is gone, in the container too.
      });
    }
  });
});

function createStopped(name: string): void {
  execFileSync(repoPath('scripts/lxc-test-container.sh'), ['create', name, '--stopped'], { stdio: ['ignore', 'inherit', 'inherit'] });
}

function destroy(name: string): void {
  execFileSync(repoPath('scripts/lxc-test-container.sh'), ['destroy', name], { stdio: ['ignore', 'inherit', 'inherit'] });
}
