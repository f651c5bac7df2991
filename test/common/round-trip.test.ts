// The option table's promise, checked with the real lxc-attach as the oracle: argv parsed into
// ContainerAttach fields and built back into argv by the agent's builder means the same to
// lxc-attach as the original (same stdout and exit code, same stderr emptiness).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { parseCommandLine } from '../../common/src/options/parse-command-line.js';
import { lxcAttachArgv } from '../../common/src/options/to-argv.js';
import { containerNames } from '../support/containers.js';

const { privileged: c, unprivileged: u } = containerNames();
const env = { PATH: '/usr/bin:/bin:/usr/sbin:/sbin', HOME: '/root', TERM: 'xterm', FOO: 'bar' };

function lxcAttach(args: string[], input = '') {
  const r = spawnSync('lxc-attach', args, { env, input, cwd: '/', encoding: 'utf8', timeout: 20000 });
  return { status: r.status, stdout: r.stdout, stderrEmpty: r.stderr === '' };
}

function rebuilt(args: string[]): string[] {
  const parsed = parseCommandLine(args, { progname: 'lxc-attach', posixlyCorrect: false });
  assert.equal(parsed.kind, 'attach', `${args.join(' ')} must parse`);
  if (parsed.kind !== 'attach') return [];
  return lxcAttachArgv({ ...parsed.fields, command: parsed.command });
}

const cases: { name: string; args: string[]; input?: string }[] = [
  { name: 'plain command', args: ['-n', c, '--', 'echo', 'hi'] },
  { name: 'name as first operand', args: [c, '--', 'hostname'] },
  { name: 'permutation without --', args: ['-n', c, 'ls', '/dev/null', '-R'] },
  { name: 'keep env', args: ['-n', c, '--', 'env'] },
  { name: 'clear env with keep-var', args: ['-n', c, '--clear-env', '--keep-var', 'FOO', '--keep-var', 'NOPE', '--', 'env'] },
  { name: 'clear then keep', args: ['-n', c, '--clear-env', '--keep-env', '--', 'env'] },
  { name: 'set and unset variables in order', args: ['-n', c, '-v', 'A=1', '-v', 'A=2', '-v', 'FOO', '-v', 'container=x', '--', 'env'] },
  { name: 'uid and gid', args: ['-n', c, '-u', '1000', '-g', '0x3e8', '--', 'id'] },
  { name: 'uid reset by 4294967295', args: ['-n', c, '-u', '1000', '-u', '4294967295', '--', 'id', '-u'] },
  { name: 'arch i686', args: ['-n', c, '-a', 'i686', '--', 'uname', '-m'] },
  { name: 'elevate CAP only', args: ['-n', c, '-eCAP', '--', 'grep', 'CapBnd', '/proc/self/status'] },
  { name: 'elevate all', args: ['-n', c, '-e', '--', 'cat', '/proc/self/cgroup'] },
  { name: '-s implies -e', args: ['-n', c, '-s', 'UTSNAME|PID', '--', 'sh', '-c', 'hostname; grep CapBnd /proc/self/status'] },
  { name: '-s then -eCAP moves to the cgroup again', args: ['-n', c, '-s', 'PID|MOUNT', '-eCAP', '--', 'cat', '/proc/self/cgroup'] },
  { name: '-e then -s', args: ['-n', c, '-eCAP', '-s', 'UTSNAME', '--', 'hostname'] },
  { name: '-R with -s PID', args: ['-n', c, '-R', '-s', 'PID', '--', 'cat', '/proc/1/cmdline'] },
  { name: 'exit code', args: ['-n', c, '--', 'sh', '-c', 'exit 42'] },
  { name: 'signal', args: ['-n', c, '--', 'sh', '-c', 'kill -TERM $$'] },
  { name: 'no command runs the shell', args: ['-n', c], input: 'echo $0; id -u\n' },
  { name: 'unprivileged seccomp dropped by -eLSM', args: ['-n', u, '-eLSM', '--', 'grep', '-E', '^(Seccomp|NoNewPrivs):', '/proc/self/status'] },
  { name: 'unprivileged default', args: ['-n', u, '--', 'grep', '-E', '^(Seccomp|NoNewPrivs|CapBnd):', '/proc/self/status'] },
  { name: 'quiet failure', args: ['-q', '-n', c, '--', '/nonexistent'] },
  { name: 'missing command', args: ['-n', c, '--', '/nonexistent'] },
];

describe('argv -> ContainerAttach fields -> argv, judged by the real lxc-attach', () => {
  for (const tc of cases) {
    it(tc.name, () => {
      const want = lxcAttach(tc.args, tc.input);
      const got = lxcAttach(rebuilt(tc.args), tc.input);
      assert.deepEqual(got, want);
    });
  }
});
