// The local terminal during a session: raw mode only when stdin is a terminal, always restored
// (the caller restores on every exit path: normal end, error, remote close and signals).
import type { TerminalSize } from '../../common/src/stream/channels.js';
import type { IOStreams } from './io-streams.js';

export class LocalTerminal {
  readonly #io: IOStreams;
  #raw = false;

  constructor(io: IOStreams) {
    this.#io = io;
  }

  /** A remote pty is used when both stdin and stdout are terminals (see README: lxc-attach uses
   *  one when any std fd is, but a remote pty cannot replace only some of them). */
  get wantsPty(): boolean {
    return Boolean(this.#io.stdin.isTTY && this.#io.stdout.isTTY);
  }

  size(): TerminalSize | undefined {
    const { columns, rows } = this.#io.stdout;
    return columns && rows ? { width: columns, height: rows } : undefined;
  }

  term(): string | undefined {
    const term = this.#io.env.TERM;
    return term && /^[A-Za-z0-9._+-]{1,64}$/.test(term) ? term : undefined;
  }

  enterRawMode(): void {
    if (!this.#io.stdin.isTTY || !this.#io.stdin.setRawMode) return;
    this.#io.stdin.setRawMode(true);
    this.#raw = true;
  }

  restore(): void {
    if (!this.#raw) return;
    this.#raw = false;
    this.#io.stdin.setRawMode?.(false);
  }

  /** Calls `cb` on every SIGWINCH (Node emits 'resize' on a TTY stdout); returns the unsubscribe. */
  onResize(cb: (size: TerminalSize) => void): () => void {
    const handler = (): void => {
      const size = this.size();
      if (size) cb(size);
    };
    this.#io.stdout.on('resize', handler);
    return () => this.#io.stdout.off('resize', handler);
  }
}
