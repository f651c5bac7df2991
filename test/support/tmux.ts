// A real terminal for tests: a tmux server of its own (a private socket), one window running bash.
import { execFileSync } from 'node:child_process';
import { waitFor } from './processes.js';

export class Tmux {
  readonly #socket: string;

  constructor(name: string) {
    this.#socket = `lxcat-${process.pid}-${name}`;
  }

  #tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.#socket, ...args], { encoding: 'utf8' });
  }

  /** Starts bash in a window of `width`x`height` with `env`, prompt "$ ". */
  start(width: number, height: number, env: Record<string, string>): void {
    const exports = Object.entries(env).map(([k, v]) => `${k}='${v.replaceAll("'", '\'\\\'\'')}'`).join(' ');
    this.#tmux('-f', '/dev/null', 'new-session', '-d', '-x', String(width), '-y', String(height),
      `env -i ${exports} PS1='$ ' TERM=xterm bash --norc --noprofile`);
    this.#tmux('set-option', '-g', 'window-size', 'manual');
  }

  /** Types `text` literally, then Enter unless told otherwise. */
  type(text: string, enter = true): void {
    this.#tmux('send-keys', '-l', text);
    if (enter) this.#tmux('send-keys', 'Enter');
  }

  key(name: string): void {
    this.#tmux('send-keys', name);
  }

  screen(): string {
    return this.#tmux('capture-pane', '-p', '-J', '-S', '-200');
  }

  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    try {
      return await waitFor(`${pattern} on the screen`, () => this.screen().match(pattern) ?? undefined, timeoutMs);
    } catch (err) {
      throw new Error(`${(err as Error).message}; screen:\n${this.screen()}`, { cause: err });
    }
  }

  /** Lines that are the local shell's prompt ("$ ..."). */
  prompts(): number {
    return this.screen().split('\n').filter((l) => l === '$' || l.startsWith('$ ')).length;
  }

  /** Waits until the local shell prompts more often than `count` times (a command it ran ended). */
  async waitForPrompt(count: number, timeoutMs = 15_000): Promise<void> {
    try {
      await waitFor('the local prompt', () => (this.prompts() > count ? true : undefined), timeoutMs);
    } catch (err) {
      throw new Error(`${(err as Error).message}; screen:\n${this.screen()}`, { cause: err });
    }
  }

  resize(width: number, height: number): void {
    this.#tmux('resize-window', '-x', String(width), '-y', String(height));
  }

  kill(): void {
    try {
      this.#tmux('kill-server');
    } catch {
      // NB: already gone.
    }
  }
}
