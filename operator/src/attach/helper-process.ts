// Runs one native lxc-attach-helper: its argv from the spec (the option table's builder), the
// remote "caller environment", and the helper-only fds: 3 = status (JSON lines from the helper),
// 4 = control (resize and signal lines to the helper). See native/README.md for the protocol.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { lxcAttachArgv } from '../../../common/src/options/to-argv.js';
import type { ContainerAttachSpec } from '../../../common/src/containerattach/types.js';
import { confinementArgs, withExplicitLogFile, type LogDirectories } from './log-confinement.js';

/** PATH lxc-attach --clear-env gives; also the remote caller's PATH (see README, "Environment"). */
export const defaultPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export type HelperEvent =
  | { event: 'attached'; pid: number }
  | { event: 'attach-failed'; reason: string; errno: number; message: string }
  | { event: 'exec-failed'; errno: number; message: string }
  | { event: 'exited'; code: number; signal?: number };

export interface HelperOutcome {
  /** the helper's own exit code (equal to lxc-attach's) */
  code: number;
  /** what the status fd said; undefined if the helper died before reporting */
  events: HelperEvent[];
  /** stderr of the helper (liblxc and helper diagnostics; with a pty the process's stderr is in stdout) */
  diagnostics: string;
}

/** The environment the attached process sees as "the caller's": the agent's own environment never
 *  reaches a container, and nothing of the user's workstation is sent silently. */
function callerEnvironment(spec: ContainerAttachSpec): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: defaultPath };
  if (spec.tty && spec.terminal?.term) env.TERM = spec.terminal.term;
  return env;
}

export interface HelperLimits {
  /** after a hang-up, how long the attach's processes have before the helper kills them all */
  hangupGraceMs: number;
  /** the allowed directories the log files are opened beneath */
  logDirectories: LogDirectories;
}

export function helperArgv(spec: ContainerAttachSpec, limits: HelperLimits): string[] {
  return [
    '--status-fd', '3', '--control-fd', '4', ...(spec.tty ? ['--pty'] : []),
    '--hangup-grace-ms', String(Math.round(limits.hangupGraceMs)),
    ...confinementArgs(spec, limits.logDirectories),
    ...lxcAttachArgv(withExplicitLogFile(spec)),
  ];
}

/** After the helper exited, how long its stdout/stderr may stay open without anything coming
 *  through: a process its command left running on purpose (a daemon) can hold them, and must not
 *  keep the session from ending. Output still flowing, or held back by a slow client, is waited for. */
const outputIdleMs = 2_000;

/** Destroys `stream` once it has been idle (nothing read, not paused for backpressure) for
 *  outputIdleMs; stops when it closes. */
function closeWhenIdle(stream: Readable): void {
  if (stream.closed || stream.destroyed) return;
  let last = Date.now();
  const seen = (): void => {
    last = Date.now();
  };
  stream.on('data', seen);
  const timer = setInterval(() => {
    if (stream.isPaused()) seen();
    else if (Date.now() - last >= outputIdleMs) stream.destroy();
  }, outputIdleMs / 4);
  timer.unref();
  stream.once('close', () => clearInterval(timer));
}

export class HelperProcess {
  readonly child: ChildProcess;
  readonly stdin: Writable | null;
  readonly stdout: Readable;
  readonly stderr: Readable;
  readonly #control: Writable;
  readonly #events: HelperEvent[] = [];
  #diagnostics = '';
  readonly done: Promise<HelperOutcome>;

  constructor(helperPath: string, spec: ContainerAttachSpec, limits: HelperLimits, onEvent: (e: HelperEvent) => void) {
    const wantsStdin = Boolean(spec.stdin || spec.tty);
    this.child = spawn(helperPath, helperArgv(spec, limits), {
      cwd: '/',
      env: callerEnvironment(spec),
      stdio: [wantsStdin ? 'pipe' : 'ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      // NB: a process group of its own, so the agent's terminal signals (none in a DaemonSet, ^C
      // in a developer's shell) do not reach the helper; the agent ends sessions itself.
      detached: true,
    });
    this.stdin = this.child.stdin;
    this.stdout = this.child.stdout as Readable;
    this.stderr = this.child.stderr as Readable;
    this.#control = this.child.stdio[4] as Writable;
    // NB: writes to a helper that already exited fail with EPIPE; its exit is reported anyway.
    this.#control.on('error', () => undefined);
    this.stdin?.on('error', () => undefined);
    const status = this.child.stdio[3] as Readable;
    const statusLines = createInterface({ input: status });
    statusLines.on('line', (line) => {
      let e: HelperEvent;
      try {
        e = JSON.parse(line) as HelperEvent;
      } catch {
        this.#diagnostics += `unparsable status line: ${line}\n`;
        return;
      }
      this.#events.push(e);
      onEvent(e);
    });
    // NB: no setEncoding here: the session reads the same stream as Buffers.
    this.stderr.on('data', (d: Buffer) => {
      if (this.#diagnostics.length < 65536) this.#diagnostics += d.toString('utf8');
    });
    const statusClosed = new Promise<void>((resolve) => statusLines.on('close', resolve));
    const exited = new Promise<number>((resolve) => {
      this.child.on('error', (err) => {
        this.#diagnostics += `cannot run ${helperPath}: ${err.message}\n`;
        resolve(1);
      });
      // A helper killed by a signal reports as a process killed by it would: 128+N.
      this.child.on('close', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
      this.child.on('exit', () => {
        closeWhenIdle(this.stdout);
        closeWhenIdle(this.stderr);
      });
    });
    this.done = Promise.all([exited, statusClosed]).then(([code]) => ({
      code,
      events: this.#events,
      diagnostics: this.#diagnostics,
    }));
  }

  resize(width: number, height: number): void {
    this.#control.write(`resize ${width} ${height}\n`);
  }

  signal(signo: number): void {
    this.#control.write(`signal ${signo}\n`);
  }

  /** Closing the control fd hangs the session up (SIGHUP to the process group). */
  hangup(): void {
    this.#control.end();
  }
}
