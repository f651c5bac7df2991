// One ContainerAttach's attach on this node: waiting for its client (interactive), running the
// helper, and how it ended. Sessions are not reconciled state: they live in memory with their own
// timers, and tell the controller (onChange) so it can write the status.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ContainerAttachSpec } from '../../../common/src/containerattach/types.js';
import { HelperProcess, type HelperEvent, type HelperOutcome } from './helper-process.js';
import type { LogDirectories } from './log-confinement.js';
import { OutputTail } from './output-tail.js';
import { setLongTimeout, type LongTimeout } from '../../../common/src/timers/long-timeout.js';

type SessionState = 'waiting' | 'running' | 'finished';

/** How a session ended; `reason` is what status.reason says. */
export interface SessionResult {
  succeeded: boolean;
  reason: string;
  message: string;
  exitCode?: number;
  signal?: number;
  stdoutTail?: string;
  stderrTail?: string;
  stdoutTruncated?: boolean;
  stderrTruncated?: boolean;
}

interface SessionKey {
  namespace: string;
  name: string;
  uid: string;
}

export interface SessionOptions {
  helperPath: string;
  /** interactive: how long to wait for the client */
  connectTimeoutMs?: number;
  /** SIGHUP after this long running, SIGKILL a grace period later */
  deadlineMs?: number;
  /** after a hang-up, how long before the helper kills the attach's whole process tree */
  killGraceMs: number;
  /** the policy's allowed directories, beneath which the helper opens the log files */
  logDirectories: LogDirectories;
  tailBytes: number;
}

/** Output relayed to a client, or kept as tails for a batch attach's status. */
interface OutputSink {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
}

/** How much longer than the grace period the helper has to kill the tree and report: it waits up
 *  to 5 s for the killed processes to go and up to 5 s more to remove their cgroup
 *  (native/supervise.c, native/process-tree.c), so a helper killed sooner could leave it. */
const helperKillMarginMs = 15_000;

export class AttachSession {
  readonly key: SessionKey;
  readonly spec: ContainerAttachSpec;
  readonly createdAt = Date.now();
  #state: SessionState = 'waiting';
  #result: SessionResult | undefined;
  #helper: HelperProcess | undefined;
  #startedAt: number | undefined;
  #clientTaken = false;
  #endReason: { reason: string; message: string } | undefined;
  readonly #timers: LongTimeout[] = [];
  readonly #options: SessionOptions;
  readonly #onChange: () => void;
  readonly #onHelperEvent: (e: HelperEvent) => void;
  readonly #finished: Promise<SessionResult>;
  #resolveFinished!: (r: SessionResult) => void;

  constructor(key: SessionKey, spec: ContainerAttachSpec, options: SessionOptions, hooks: {
    onChange: () => void;
    onHelperEvent?: (e: HelperEvent) => void;
  }) {
    this.key = key;
    this.spec = spec;
    this.#options = options;
    this.#onChange = hooks.onChange;
    this.#onHelperEvent = hooks.onHelperEvent ?? (() => undefined);
    this.#finished = new Promise((resolve) => (this.#resolveFinished = resolve));
    if (options.connectTimeoutMs !== undefined && spec.mode === 'Interactive') {
      this.#timers.push(setLongTimeout(() => {
        if (this.#state !== 'waiting') return;
        this.#finish({
          succeeded: false,
          reason: 'ClientConnectTimeout',
          message: `no client connected within ${Math.round(options.connectTimeoutMs! / 1000)}s`,
        });
      }, options.connectTimeoutMs));
    }
  }

  get state(): SessionState {
    return this.#state;
  }

  get result(): SessionResult | undefined {
    return this.#result;
  }

  get startedAt(): number | undefined {
    return this.#startedAt;
  }

  get helper(): HelperProcess | undefined {
    return this.#helper;
  }

  /** Checks a presented token against spec.sessionTokenHash in constant time. */
  tokenMatches(token: string): boolean {
    const want = Buffer.from(this.spec.sessionTokenHash ?? '', 'hex');
    const got = createHash('sha256').update(token).digest();
    return want.length === got.length && timingSafeEqual(want, got);
  }

  /** The token is single use: the first caller to take the session gets it. */
  takeClientSlot(): boolean {
    if (this.#clientTaken || this.#state !== 'waiting') return false;
    this.#clientTaken = true;
    return true;
  }

  /** Starts the helper; output goes to `sink`. Undefined when it could not be started: the
   *  session has then finished as a failure. */
  start(sink: OutputSink): HelperProcess | undefined {
    if (this.#state !== 'waiting') throw new Error(`session ${this.key.namespace}/${this.key.name} is ${this.#state}`);
    this.#state = 'running';
    this.#startedAt = Date.now();
    let helper: HelperProcess;
    try {
      helper = new HelperProcess(this.#options.helperPath, this.spec, {
        hangupGraceMs: this.#options.killGraceMs,
        logDirectories: this.#options.logDirectories,
      }, (e) => this.#onHelperEvent(e));
    } catch (err) {
      // spawn throws synchronously for some errors, e.g. E2BIG for an argv over the kernel's limit.
      this.#finish({ succeeded: false, reason: 'HelperFailed', message: `the attach helper could not be started: ${(err as Error).message}` });
      return undefined;
    }
    this.#helper = helper;
    const stdoutTail = new OutputTail(this.#options.tailBytes);
    const stderrTail = new OutputTail(this.#options.tailBytes);
    helper.stdout.on('data', (chunk: Buffer) => {
      stdoutTail.push(chunk);
      sink.stdout(chunk);
    });
    helper.stderr.on('data', (chunk: Buffer) => {
      stderrTail.push(chunk);
      sink.stderr(chunk);
    });
    if (this.#options.deadlineMs !== undefined) {
      this.#timers.push(setLongTimeout(() => this.end('DeadlineExceeded', `activeDeadlineSeconds (${this.#options.deadlineMs! / 1000}s) exceeded`), this.#options.deadlineMs));
    }
    this.#onChange();
    void helper.done.then((outcome) => {
      const batch = this.spec.mode !== 'Interactive';
      this.#finish(resultOf(outcome, this.#endReason, batch ? { stdoutTail, stderrTail } : undefined));
    });
    return helper;
  }

  /** Ends the session from outside (client gone, deadline, object deleted, agent shutdown): the
   *  process group gets SIGHUP, and the helper kills the whole process tree after the grace period.
   *  The helper itself is killed only if it has not ended well after that. */
  end(reason: string, message: string): void {
    if (this.#state === 'finished') return;
    this.#endReason ??= { reason, message };
    if (this.#state === 'waiting') {
      this.#finish({ succeeded: false, reason, message });
      return;
    }
    const helper = this.#helper;
    if (!helper) {
      this.#finish({ succeeded: false, reason, message });
      return;
    }
    helper.hangup();
    this.#timers.push(setLongTimeout(() => {
      if (this.#state === 'running') helper.child.kill('SIGKILL');
    }, this.#options.killGraceMs + helperKillMarginMs));
  }

  /** Resolves once the session has finished. */
  finished(): Promise<SessionResult> {
    return this.#finished;
  }

  #finish(result: SessionResult): void {
    if (this.#state === 'finished') return;
    this.#state = 'finished';
    this.#result = result;
    for (const t of this.#timers) t.clear();
    this.#resolveFinished(result);
    this.#onChange();
  }
}

function resultOf(
  outcome: HelperOutcome,
  ended: { reason: string; message: string } | undefined,
  tails: { stdoutTail: OutputTail; stderrTail: OutputTail } | undefined,
): SessionResult {
  const exited = outcome.events.find((e) => e.event === 'exited');
  const attachFailed = outcome.events.find((e) => e.event === 'attach-failed');
  const execFailed = outcome.events.find((e) => e.event === 'exec-failed');
  const output = tails
    ? {
      stdoutTail: tails.stdoutTail.text(),
      stderrTail: tails.stderrTail.text(),
      stdoutTruncated: tails.stdoutTail.truncated,
      stderrTruncated: tails.stderrTail.truncated,
    }
    : {};
  const lastLine = outcome.diagnostics.trim().split('\n').pop() ?? '';
  // Whatever the helper reported, a session ended from outside ended for that reason.
  if (ended && !exited) return { succeeded: false, ...ended, exitCode: outcome.code, ...output };
  if (attachFailed && attachFailed.event === 'attach-failed') {
    return { succeeded: false, reason: attachFailed.reason, message: attachFailed.message || lastLine, exitCode: outcome.code, ...output };
  }
  if (!exited || exited.event !== 'exited') {
    return {
      succeeded: false,
      reason: 'HelperFailed',
      message: `the attach helper ended with code ${outcome.code} without reporting an exit${lastLine ? `: ${lastLine}` : ''}`,
      ...output,
    };
  }
  const base = { exitCode: exited.code, ...(exited.signal ? { signal: exited.signal } : {}), ...output };
  if (ended) return { succeeded: false, ...ended, ...base };
  if (execFailed && execFailed.event === 'exec-failed') {
    return { succeeded: false, reason: 'ExecFailed', message: execFailed.message, ...base };
  }
  if (exited.code === 0) return { succeeded: true, reason: 'Completed', message: 'the command exited with 0', ...base };
  if (exited.signal) {
    return { succeeded: false, reason: 'Signaled', message: `the command was killed by signal ${exited.signal}`, ...base };
  }
  return { succeeded: false, reason: 'NonZeroExitCode', message: `the command exited with ${exited.code}`, ...base };
}
