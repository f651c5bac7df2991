// Runs one attach command line with the real lxc-attach or with native/lxc-attach-helper, the same
// way for both: same argv, environment, stdin, working directory and the same scratch directory
// path (recreated empty for each side), so that even paths in messages are identical.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { containerNames } from '../../support/containers.js';
import { repoPath } from '../../support/paths.js';

export const lxcAttachPath = '/usr/bin/lxc-attach';
export const helperPath = repoPath('native/lxc-attach-helper');

/** The environment most cases use (section 5 of the behaviour notes calls it `E`). */
export const baseEnv: Readonly<Record<string, string>> = {
  PATH: '/usr/bin:/bin:/usr/sbin:/sbin',
  HOME: '/root',
  TERM: 'xterm',
  FOO: 'bar',
};

export interface AttachInvocation {
  /** argv after the program name; tokens are replaced, see expandTokens() */
  argv: string[];
  env?: Record<string, string>;
  stdin?: string;
  cwd?: string;
  /** run under `script -qec` so that fds 0-2 are a terminal (stdin is ignored) */
  tty?: boolean;
  /** shell wrapper run by /bin/sh; `{cmd}` is replaced by the quoted command line */
  wrap?: string;
  /** absolute paths (tokens allowed) removed before the run and described after it */
  watchFiles?: string[];
}

export interface AttachResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** `path kind mode` of every file under the scratch dir and of the watched files */
  files: string[];
  /** contents of the files under the scratch dir, by path */
  contents: Map<string, string>;
}

export interface ScratchDirs {
  /** one path for both sides; emptied before each run */
  dir: string;
  /** shared read-only fixtures (rcfiles) */
  fixtures: string;
}

export interface ExtraContainers {
  stopped: string;
}

/**
 * Tokens: @priv, @unpriv (the suite's containers), @stopped (a defined, stopped container),
 * @nosuch (a name no container has), @tmp (the scratch dir), @fixtures (rcfiles), @pid.
 */
export function expandTokens(s: string, scratch: ScratchDirs, extra: ExtraContainers): string {
  const names = containerNames();
  return s
    .replaceAll('@priv', names.privileged)
    .replaceAll('@unpriv', names.unprivileged)
    .replaceAll('@stopped', extra.stopped)
    .replaceAll('@nosuch', `lxcat-${process.pid}-nosuch`)
    .replaceAll('@tmp', scratch.dir)
    .replaceAll('@fixtures', scratch.fixtures)
    .replaceAll('@pid', String(process.pid));
}

export function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", '\'\\\'\'')}'`;
}

/** The rcfiles the table's -f cases name under @fixtures. */
export function writeFixtures(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'env.conf'), 'lxc.environment = FROMRC=rc\nlxc.environment = HOME\n');
  fs.writeFileSync(path.join(dir, 'prlimit.conf'), 'lxc.prlimit.nofile = 123\n');
  fs.writeFileSync(path.join(dir, 'bad.conf'), 'lxc.no.such.key = 1\n');
  fs.writeFileSync(path.join(dir, 'proc.conf'), 'lxc.proc.oom_score_adj = 10\n');
  fs.writeFileSync(path.join(dir, 'proc-bad.conf'), 'lxc.proc.no_such_file = 1\n');
}

function describeFile(file: string): string {
  const st = fs.lstatSync(file);
  const kind = st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
  return `${file} ${kind} ${(st.mode & 0o7777).toString(8)}`;
}

function walk(dir: string, out: string[], contents: Map<string, string>): void {
  for (const entry of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    out.push(describeFile(full));
    const st = fs.lstatSync(full);
    if (st.isDirectory()) walk(full, out, contents);
    else if (st.isFile()) contents.set(full, fs.readFileSync(full, 'latin1'));
  }
}

function resetDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}

/** Runs `program` (lxc-attach or the helper) for one invocation. */
export function runAttach(program: string, inv: AttachInvocation, scratch: ScratchDirs, extra: ExtraContainers): AttachResult {
  const expand = (s: string) => expandTokens(s, scratch, extra);
  const argv = inv.argv.map(expand);
  const watched = (inv.watchFiles ?? []).map(expand);
  resetDir(scratch.dir);
  for (const f of watched) fs.rmSync(f, { force: true });

  const env = inv.env ?? { ...baseEnv };
  const commandLine = [program, ...argv].map(shellQuote).join(' ');
  let file = program;
  let args = argv;
  if (inv.wrap !== undefined || inv.tty) {
    // A replacer function: a replacement string would treat "$$" in the command as "$".
    const shellCommand = (inv.wrap ?? '{cmd}').replaceAll('{cmd}', () => commandLine);
    const wrapped = inv.tty ? ['script', '-qec', expand(shellCommand), '/dev/null'] : ['/bin/sh', '-c', expand(shellCommand)];
    file = wrapped[0]!;
    args = wrapped.slice(1);
  }

  const res = spawnSync(file, args, {
    // getopt prints argv[0] in its messages; lxc-attach normally runs as "lxc-attach".
    argv0: inv.wrap !== undefined || inv.tty ? file : 'lxc-attach',
    env,
    cwd: inv.cwd ? expand(inv.cwd) : '/',
    input: inv.stdin ?? '',
    encoding: 'latin1',
    timeout: 30_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.error) throw new Error(`running ${commandLine}`, { cause: res.error });

  const files: string[] = [];
  const contents = new Map<string, string>();
  walk(scratch.dir, files, contents);
  for (const f of watched) files.push(fs.existsSync(f) ? describeFile(f) : `${f} absent`);
  return { status: res.status, signal: res.signal, stdout: res.stdout, stderr: res.stderr, files, contents };
}
