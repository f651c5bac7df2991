// kubectl lxc-attach against the real lxc-attach, over the helper's whole side-by-side table: the
// same argv through the plugin (standalone API server, node agent, helper) and through lxc-attach on
// the host must give the same exit code, the same stdout and stderr empty on both or neither.
//
// What a remote attach does differently on purpose (README, "What a remote attach does
// differently") is handled, not hidden:
// - the caller environment of a remote attach is PATH (and TERM with a terminal), never the
//   workstation's: lxc-attach runs here with exactly that environment, so env cases still compare;
// - node paths must be absolute and allowed by the agent policy: the policy allows this test's
//   scratch and fixture directories, so log, pty-log and rcfile cases still compare;
// - the remote working directory is "/";
// - the agent's helper runs each attach in a cgroup of its own, one level below the one lxc-attach
//   uses, so that the whole process tree can be ended (native/README.md, "Process tree"): that last
//   path component is taken off the remote /proc/self/cgroup before comparing;
// and every remaining difference is listed in `exceptions` with its reason.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { cases, type SideBySideCase } from '../native/side-by-side-cases.js';
import {
  baseEnv, expandTokens, lxcAttachPath, runAttach, shellQuote, type ExtraContainers, type ScratchDirs, writeFixtures,
} from '../native/support/attach-runner.js';
import { defaultPath } from '../../operator/src/attach/helper-process.js';
import { AgentCluster } from '../support/agent-cluster.js';
import { repoPath } from '../support/paths.js';
import { pluginBin, tempDir } from '../support/processes.js';

type Field = 'status' | 'stdout' | 'stderr';

/** Cases where the plugin differs from lxc-attach on purpose, and why. */
export const exceptions: Record<string, { differs: Field[]; reason: string }> = {
  '--help': { differs: ['stdout', 'stderr'], reason: 'kubectl convention: --help prints the plugin\'s help (lxc-attach\'s plus the kubectl options) on stdout' },
  '-h': { differs: ['stdout', 'stderr'], reason: 'kubectl convention: -h prints the plugin\'s help on stdout' },
  '--version': { differs: ['stdout'], reason: 'the plugin prints its own version, not the node\'s LXC version' },
  '--version acts as soon as it is parsed': { differs: ['stdout'], reason: 'the plugin prints its own version' },
  'cwd /tmp is kept': { differs: ['stdout'], reason: 'a remote attach has no caller working directory: it starts in /' },
  'cwd /usr/lib is kept': { differs: ['stdout'], reason: 'a remote attach has no caller working directory: it starts in /' },
  'without -- ls -l eats -l as the log priority': { differs: ['stderr'], reason: 'the plugin warns on stderr that permutation took an option after the command (the "-n c1 echo -n hi" trap)' },
  'options after the command without --': { differs: ['stderr'], reason: 'the plugin warns on stderr that permutation took an option after the command' },
  '>file becomes mode 0700': { differs: ['stdout'], reason: 'lxc-attach chmods the caller\'s redirected stdout file (fix_stdio_permissions); remotely the process writes to the agent\'s pipe and the user\'s file keeps its mode' },
  '>file with -u 1000 is owned by 1000': { differs: ['stdout'], reason: 'lxc-attach chowns the caller\'s redirected stdout file; remotely the user\'s file is not touched' },
  'unprivileged: >file with -u 1000': { differs: ['stdout'], reason: 'lxc-attach chowns the caller\'s redirected stdout file; remotely the user\'s file is not touched' },
  'tty: stdout to a file keeps fd 1': { differs: ['stdout'], reason: 'a remote pty replaces all three std fds or none: with stdout not a terminal the plugin uses pipes (no pty)' },
  'tty: piped stdin is not a tty': { differs: ['stdout'], reason: 'a remote pty replaces all three std fds or none: with stdin not a terminal the plugin uses pipes, so lines end in \\n, not the pty\'s \\r\\n' },
  'tty: stty shows raw-mode-free defaults inside': { differs: ['stdout'], reason: 'a terminal without a size (0x0 under script with piped input) gets the helper\'s 80x24 remotely; lxc-attach copies 0x0' },
  '-f rcfile: a failing lxc.proc.* exits 1 but the command still runs': { differs: ['stdout'], reason: 'lxc-attach exits 1 yet leaves the command running unwaited; through the agent it runs only if the attached process reported before liblxc failed, and its output may come or not' },
  '-c with -s': { differs: ['stderr'], reason: '--context is kubectl\'s kubeconfig context in the plugin; both fail with exit 1, for different reasons (-c is the SELinux context there)' },
  'tty: command not found': { differs: ['stdout'], reason: 'liblxc\'s own messages reach a remote user on stderr (channel 2), not through the container pty: the same text without the pty\'s extra \\r' },
};

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Like runAttach's `script -qec` for tty cases, but script's own stdin stays open until the
 *  command is done: at EOF, script types the terminal's EOF character into the pty, and a raw-mode
 *  reader (the plugin, later than lxc-attach) would relay it as a keystroke. */
async function runUnderTerminal(c: SideBySideCase, argv: string[], env: Record<string, string>, scratch: ScratchDirs, extra: ExtraContainers): Promise<Outcome> {
  const expand = (s: string) => expandTokens(s, scratch, extra);
  fs.rmSync(scratch.dir, { recursive: true, force: true });
  fs.mkdirSync(scratch.dir, { recursive: true });
  const commandLine = [pluginBin, ...argv.map(expand)].map(shellQuote).join(' ');
  const shellCommand = expand((c.wrap ?? '{cmd}').replaceAll('{cmd}', () => commandLine));
  const child = spawn('script', ['-qec', shellCommand, '/dev/null'], { env, cwd: '/', stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('latin1').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('latin1').on('data', (d: string) => (stderr += d));
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  child.stdin.end();
  return { status, stdout, stderr };
}

/** The remote process's cgroup as lxc-attach would have left it (see the header). */
function withoutAttachCgroup(stdout: string): string {
  return stdout.replace(/^(0::.*?)\/lxc-attach-helper\.\d+$/gm, (_, parent: string) => (parent === '0::' ? '0::/' : parent));
}

function comparable(r: Outcome, normalize: (s: string) => string): Record<Field, unknown> {
  return { status: r.status, stdout: normalize(r.stdout), stderr: r.stderr === '' ? 'empty' : 'not empty' };
}

// Both stream paths run the whole table: straight to the agent, and through the API server's
// aggregated attach API (which relays to the agent); their results must be lxc-attach's alike.
for (const via of ['direct', 'apiserver'] as const) describe(`kubectl lxc-attach --via=${via} side by side with lxc-attach (the helper table)`, function () {
  this.timeout(120_000);
  const extra: ExtraContainers = { stopped: `lxcat-${process.pid}-pstopped` };
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `lxcat-${process.pid}-plugin-`));
  const scratch: ScratchDirs = { dir: path.join(root, 'scratch'), fixtures: path.join(root, 'fixtures') };
  const cluster = new AgentCluster();
  const home = tempDir('plugin-home');

  before(async () => {
    writeFixtures(scratch.fixtures);
    execFileSync(repoPath('scripts/lxc-test-container.sh'), ['create', extra.stopped, '--stopped']);
    const lxcpath = execFileSync('lxc-config', ['lxc.lxcpath'], { encoding: 'utf8' }).trim();
    await cluster.start([
      'policy:',
      `  allowedLxcPaths: [${lxcpath}]`,
      `  rcFileDirectories: [${scratch.fixtures}, ${scratch.dir}]`,
      `  logFileDirectories: [${scratch.dir}, /var/log/lxc]`,
      `  ptyLogDirectories: [${scratch.dir}]`,
      '  elevatedPrivileges: [CGROUP, CAP, LSM]',
      '  allowNamespaceSelection: true',
      '  allowedSelinuxContexts: [unconfined, x]',
      '  maxSessions: 0',
      '  maxSessionsPerNamespace: 0',
      '',
    ].join('\n'), [], { attachApi: via === 'apiserver' });
  });

  after(async () => {
    await cluster.stop();
    execFileSync(repoPath('scripts/lxc-test-container.sh'), ['destroy', extra.stopped]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  for (const c of cases) {
    it(c.name, async () => {
      const caseEnv = c.env ?? { ...baseEnv };
      // lxc-attach gets the environment a remote attach has (see the header).
      const remoteEnv: Record<string, string> = { PATH: defaultPath };
      if (c.tty && caseEnv.TERM) remoteEnv.TERM = caseEnv.TERM;
      if (caseEnv.POSIXLY_CORRECT !== undefined) remoteEnv.POSIXLY_CORRECT = caseEnv.POSIXLY_CORRECT;
      const local = runAttach(lxcAttachPath, { ...c, env: remoteEnv, cwd: '/' }, scratch, extra);
      const pluginArgv = [`--node=${cluster.node}`, `--via=${via}`, ...c.argv];
      const pluginEnv = { ...caseEnv, KUBECONFIG: cluster.api.kubeconfig, HOME: home };
      const remote = c.tty
        ? await runUnderTerminal(c, pluginArgv, pluginEnv, scratch, extra)
        : runAttach(pluginBin, { ...c, argv: pluginArgv, env: pluginEnv }, scratch, extra);
      const normalize = c.normalize ?? ((s: string) => s);
      const want = comparable(local, normalize);
      const got = comparable({ ...remote, stdout: withoutAttachCgroup(remote.stdout) }, normalize);
      const skip = new Set(exceptions[c.name]?.differs ?? []);
      for (const field of ['status', 'stdout', 'stderr'] as const) {
        if (skip.has(field)) continue;
        assert.deepEqual(got[field], want[field], `${field} differs; plugin stderr: ${remote.stderr.slice(0, 500)}`);
      }
    });
  }

  if (via === 'apiserver') {
    it('went through the attach API (its relay log names the attaches)', () => {
      assert.ok((cluster.attachApi?.stderr.match(/"msg":"Attach relay ended"/g) ?? []).length > 0, cluster.attachApi?.stderr.slice(-2000));
    });
  }

  it('lists only exceptions that exist in the table', () => {
    const known = new Set(cases.map((c) => c.name));
    for (const name of Object.keys(exceptions)) assert.ok(known.has(name), name);
  });
});
