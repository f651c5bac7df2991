// Drives one supervised native/lxc-attach-helper the way the node agent does: stdin/stdout pipes,
// a status fd (3) and a control fd (4), plus a marker in the environment for leftover checks.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { baseEnv, helperPath } from './attach-runner.js';

export const statusFd = 3;
export const controlFd = 4;

export interface StatusEvent {
  event: 'attached' | 'attach-failed' | 'exec-failed' | 'exited';
  pid?: number;
  reason?: string;
  errno?: number;
  message?: string;
  code?: number;
  signal?: number;
}

export interface SessionOptions {
  /** pass --status-fd 3 (default true) */
  status?: boolean;
  /** pass --control-fd 4 (default true) */
  control?: boolean;
  env?: Record<string, string>;
  /** extra open fds the caller passes down (after 3 and 4) */
  extraFds?: number[];
  /** a command that runs the helper (its argv follows), e.g. to give it a namespace of its own */
  wrapper?: string[];
}

export class HelperSession {
  readonly child: ChildProcess;
  readonly marker = `LXCAT_RUN=${randomUUID()}`;
  stdout = '';
  stderr = '';
  readonly events: StatusEvent[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #statusBuffer = '';
  #waiters: (() => void)[] = [];

  constructor(args: string[], options: SessionOptions = {}) {
    const helperArgs = [
      ...(options.status !== false ? ['--status-fd', String(statusFd)] : []),
      ...(options.control !== false ? ['--control-fd', String(controlFd)] : []),
      ...args,
    ];
    const [key, value] = this.marker.split('=') as [string, string];
    const [program, ...argv] = [...(options.wrapper ?? []), helperPath, ...helperArgs];
    this.child = spawn(program!, argv, {
      env: { ...(options.env ?? baseEnv), [key]: value },
      stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe', ...(options.extraFds ?? [])],
    });
    // 'close' comes after 'exit' and after every stdio stream ended, so all output is in.
    this.exited = once(this.child, 'close').then(([code, signal]) => ({ code, signal }));
    this.child.stdout!.setEncoding('latin1').on('data', (d: string) => this.#got(() => (this.stdout += d)));
    this.child.stderr!.setEncoding('latin1').on('data', (d: string) => this.#got(() => (this.stderr += d)));
    (this.child.stdio[statusFd] as Readable).setEncoding('latin1').on('data', (d: string) => this.#got(() => this.#status(d)));
    // NB: the helper may exit before reading everything written here; EPIPE is then expected.
    this.child.stdin!.on('error', () => undefined);
    (this.child.stdio[controlFd] as Writable).on('error', () => undefined);
  }

  #status(data: string): void {
    this.#statusBuffer += data;
    let nl: number;
    while ((nl = this.#statusBuffer.indexOf('\n')) >= 0) {
      this.events.push(JSON.parse(this.#statusBuffer.slice(0, nl)) as StatusEvent);
      this.#statusBuffer = this.#statusBuffer.slice(nl + 1);
    }
  }

  #got(update: () => void): void {
    update();
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Resolves once `ready()` is true, checked after every piece of output; rejects after `ms`. */
  async until(what: string, ready: () => boolean, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!ready()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; stdout=${JSON.stringify(this.stdout)} stderr=${JSON.stringify(this.stderr)} events=${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async attached(): Promise<number> {
    await this.until('the attached event', () => this.events.some((e) => e.event === 'attached' || e.event === 'attach-failed'));
    const ev = this.events.find((e) => e.event === 'attached');
    if (!ev) throw new Error(`attach failed: ${JSON.stringify(this.events)} ${this.stderr}`);
    return ev.pid!;
  }

  output(text: string, ms?: number): Promise<void> {
    return this.until(JSON.stringify(text), () => this.stdout.includes(text), ms);
  }

  write(data: string): void {
    this.child.stdin!.write(data);
  }

  closeStdin(): void {
    this.child.stdin!.end();
  }

  control(line: string): void {
    (this.child.stdio[controlFd] as Writable).write(line);
  }

  closeControl(): void {
    (this.child.stdio[controlFd] as Writable).end();
  }

  /** Waits for the helper to exit and returns its exit code with the status events. */
  async finish(ms = 15_000): Promise<{ code: number | null; events: StatusEvent[] }> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), ms);
    const { code } = await this.exited;
    clearTimeout(timer);
    return { code, events: this.events };
  }
}
