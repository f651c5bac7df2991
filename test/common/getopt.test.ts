import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { parseCommandLine, type CommandLine } from '../../common/src/options/parse-command-line.js';

function parse(args: string[], posixlyCorrect = false): CommandLine {
  return parseCommandLine(args, { progname: 'lxc-attach', posixlyCorrect });
}

function attach(args: string[], posixlyCorrect = false) {
  const r = parse(args, posixlyCorrect);
  assert.equal(r.kind, 'attach', JSON.stringify(r));
  return r as Extract<CommandLine, { kind: 'attach' }>;
}

describe('parseCommandLine (lxc-attach 5.0.2 grammar)', () => {
  const cases: { name: string; args: string[]; posix?: boolean; fields: object; command: string[] }[] = [
    { name: 'name and command after --', args: ['-n', 'c', '--', 'ls', '-l'], fields: { container: 'c' }, command: ['ls', '-l'] },
    { name: 'attached short value', args: ['-nc', 'true'], fields: { container: 'c' }, command: ['true'] },
    { name: 'first operand is the name without -n', args: ['c', '--', 'true'], fields: { container: 'c' }, command: ['true'] },
    { name: '-- true makes "true" the name', args: ['--', 'true'], fields: { container: 'true' }, command: [] },
    { name: 'permutation eats -n after the command', args: ['-n', 'c1', 'echo', '-n', 'hi'], fields: { container: 'hi' }, command: ['echo'] },
    { name: 'POSIXLY_CORRECT stops at the first operand', args: ['-n', 'c1', 'echo', '-n', 'hi'], posix: true, fields: { container: 'c1' }, command: ['echo', '-n', 'hi'] },
    { name: 'POSIXLY_CORRECT keeps a later --', args: ['c', '--', 'x'], posix: true, fields: { container: 'c' }, command: ['--', 'x'] },
    { name: 'last -n wins', args: ['-n', 'a', '-n', 'b'], fields: { container: 'b' }, command: [] },
    { name: '-e alone elevates all', args: ['-n', 'c', '-e'], fields: { container: 'c', elevatedPrivileges: ['CGROUP', 'CAP', 'LSM'] }, command: [] },
    { name: '-e value must be attached: -e CAP runs CAP', args: ['-n', 'c', '-e', 'CAP'], fields: { container: 'c', elevatedPrivileges: ['CGROUP', 'CAP', 'LSM'] }, command: ['CAP'] },
    { name: '-eCAP|LSM', args: ['-n', 'c', '-eCAP|LSM'], fields: { container: 'c', elevatedPrivileges: ['CAP', 'LSM'] }, command: [] },
    { name: 'empty -e value elevates nothing', args: ['-n', 'c', '--elevated-privileges='], fields: { container: 'c' }, command: [] },
    { name: '-s implies -e', args: ['-n', 'c', '-s', 'PID'], fields: { container: 'c', namespaces: ['PID'], elevatedPrivileges: ['CGROUP', 'CAP', 'LSM'] }, command: [] },
    { name: 'a later -e overrides -s', args: ['-n', 'c', '-s', 'PID', '-eCAP'], fields: { container: 'c', namespaces: ['PID'], elevatedPrivileges: ['CAP'] }, command: [] },
    { name: 'a later -s overrides -e', args: ['-n', 'c', '-eCAP', '-s', 'PID'], fields: { container: 'c', namespaces: ['PID'], elevatedPrivileges: ['CGROUP', 'CAP', 'LSM'] }, command: [] },
    { name: 'last -s wins', args: ['-n', 'c', '-s', 'PID', '-s', 'NET|uts'], fields: { container: 'c', namespaces: ['UTSNAME', 'NETWORK'], elevatedPrivileges: ['CGROUP', 'CAP', 'LSM'] }, command: [] },
    { name: '-s names: MOUNT, mnt, Mnt, CGROUP, TIME', args: ['-n', 'c', '-s', 'MOUNT|Mnt|CGROUP|TIME||'], fields: { container: 'c', namespaces: ['MOUNT', 'CGROUP', 'TIME'], elevatedPrivileges: ['CGROUP', 'CAP', 'LSM'] }, command: [] },
    { name: "-s '' enters nothing", args: ['-n', 'c', '-s', ''], fields: { container: 'c', namespaces: [], elevatedPrivileges: ['CGROUP', 'CAP', 'LSM'] }, command: [] },
    { name: 'env options', args: ['-n', 'c', '--clear-env', '--keep-var', 'A', '-v', 'X=1', '-v', 'Y', '--keep-var=B'], fields: { container: 'c', env: { policy: 'Clear', keep: ['A', 'B'], set: ['X=1', 'Y'] } }, command: [] },
    { name: 'last of --clear-env/--keep-env wins', args: ['-n', 'c', '--clear-env', '--keep-env'], fields: { container: 'c', env: {} }, command: [] },
    { name: 'uid in hex and octal, as strtoul base 0', args: ['-n', 'c', '-u', '0x3e8', '-g', '01750'], fields: { container: 'c', uid: 1000, gid: 1000 }, command: [] },
    { name: '4294967295 means not given', args: ['-n', 'c', '-u', '5', '-u', '4294967295'], fields: { container: 'c' }, command: [] },
    { name: '-P strips trailing slashes', args: ['-n', 'c', '-P', '/var/lib/lxc//'], fields: { container: 'c', lxcPath: '/var/lib/lxc' }, command: [] },
    { name: 'log options', args: ['-n', 'c', '-q', '-o', '/tmp/x.log', '-l', 'debug'], fields: { container: 'c', log: { quiet: true, file: '/tmp/x.log', priority: 'debug' } }, command: [] },
    { name: 'abbreviated long options', args: ['--name=c', '--remount', '--ar', 'i686'], fields: { container: 'c', remountSysProc: true, arch: 'i686' }, command: [] },
    { name: 'cluster of flags and value', args: ['-Rqnc'], fields: { container: 'c', remountSysProc: true, log: { quiet: true } }, command: [] },
    { name: 'required value may start with a dash', args: ['-n', '-x'], fields: { container: '-x' }, command: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = attach(c.args, c.posix);
      assert.deepEqual(r.fields, c.fields);
      assert.deepEqual(r.command, c.command);
    });
  }

  const stops: { name: string; args: string[]; stop: object; getopt?: string; quiet?: boolean }[] = [
    { name: 'unknown long option', args: ['--bogus'], stop: { stop: 'help', code: 1 }, getopt: "lxc-attach: unrecognized option '--bogus'" },
    { name: 'unknown short option', args: ['-x'], stop: { stop: 'help', code: 1 }, getopt: "lxc-attach: invalid option -- 'x'" },
    { name: 'ambiguous --keep', args: ['--keep'], stop: { stop: 'help', code: 1 }, getopt: "lxc-attach: option '--keep' is ambiguous; possibilities: '--keep-env' '--keep-var'" },
    { name: 'ambiguous --he (two help entries)', args: ['--he'], stop: { stop: 'help', code: 1 }, getopt: "lxc-attach: option '--he' is ambiguous; possibilities: '--help' '--help'" },
    { name: 'missing value', args: ['-n'], stop: { stop: 'help', code: 1 }, getopt: "lxc-attach: option requires an argument -- 'n'" },
    { name: 'value on a flag', args: ['--quiet=1'], stop: { stop: 'help', code: 1 }, getopt: "lxc-attach: option '--quiet' doesn't allow an argument" },
    { name: '-? exits 1 with help', args: ['-?'], stop: { stop: 'help', code: 1 } },
    { name: '-h exits 0 with help', args: ['-h', '-n', 'c'], stop: { stop: 'help', code: 0 } },
    { name: '--version acts where it stands', args: ['--version', '-n', 'nosuch', '--bogus'], stop: { stop: 'version' } },
    { name: '--usage', args: ['--usage'], stop: { stop: 'usage' } },
    { name: 'bad -e value', args: ['-n', 'c', '-eFOO'], stop: { stop: 'error', message: 'could not parse command line' } },
    { name: 'case-sensitive -e value', args: ['-n', 'c', '-ecap'], stop: { stop: 'error', message: 'could not parse command line' } },
    { name: 'bad -s value', args: ['-n', 'c', '-s', 'mount'], stop: { stop: 'error', message: 'could not parse command line' } },
    { name: '-s takes -- as its value', args: ['-n', 'c', '-s', '--', 'true'], stop: { stop: 'error', message: 'could not parse command line' } },
    { name: 'bad arch', args: ['-n', 'c', '-a', 'I686'], stop: { stop: 'error', message: 'could not parse command line' } },
    { name: 'negative uid', args: ['-n', 'c', '-u', '-1'], stop: { stop: 'error', message: 'could not parse command line' } },
    { name: 'uid above 2^32-1', args: ['-n', 'c', '-g', '4294967296'], stop: { stop: 'error', message: 'could not parse command line' } },
    { name: 'trailing space after uid', args: ['-n', 'c', '-u', '1000 '], stop: { stop: 'error', message: 'could not parse command line' } },
    { name: '-P twice', args: ['-P', '/a', '-P', '/b', '-n', 'c'], stop: { stop: 'fatal', line: 'This command only accepts 1 -P,--lxcpath arguments' } },
    { name: 'no name', args: [], stop: { stop: 'error', message: 'No container name specified' } },
    { name: '-q before an error silences it', args: ['-q', '-eX'], stop: { stop: 'error', message: 'could not parse command line' }, quiet: true },
  ];
  for (const c of stops) {
    it(`stops: ${c.name}`, () => {
      const r = parse(c.args);
      assert.equal(r.kind, 'stop');
      if (r.kind !== 'stop') return;
      assert.deepEqual(r.stop, c.stop);
      assert.equal(r.getoptMessage, c.getopt);
      assert.equal(r.quiet, c.quiet ?? false);
    });
  }

  it('words getopt errors as the real lxc-attach does', () => {
    for (const c of stops.filter((s) => s.getopt)) {
      const real = spawnSync('lxc-attach', c.args, { encoding: 'utf8' });
      assert.equal(real.status, 1, c.name);
      assert.equal(real.stderr.split('\n')[0], c.getopt, c.name);
    }
  });

  it('reports options that permutation moved after the command', () => {
    const r = attach(['-n', 'c1', 'echo', '-n', 'hi']);
    assert.deepEqual(r.trapped.map((o) => o.text), ['-n hi']);
    assert.deepEqual(attach(['-n', 'c1', '--', 'echo', '-n', 'hi']).trapped, []);
  });

  it('matches plugin-only long options only when spelled exactly', () => {
    const seen: string[] = [];
    const r = parseCommandLine(['-n', 'c', '--keep', '--context', 'kind', '--conte=ctx'], {
      progname: 'kubectl lxc-attach',
      posixlyCorrect: false,
      extension: {
        options: [{ name: 'keep', hasArg: 'none', key: 'keep' }, { name: 'context', hasArg: 'required', key: 'kube-context' }],
        apply: (o) => { seen.push(`${o.key}=${o.value}`); },
      },
    });
    assert.equal(r.kind, 'attach');
    assert.deepEqual(seen, ['keep=undefined', 'kube-context=kind']);
    // "--conte" is still lxc-attach's abbreviation of --context (the SELinux context).
    assert.equal(r.kind === 'attach' && r.fields.selinuxContext, 'ctx');
  });
});
