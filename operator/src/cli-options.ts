// Option parsing and signal handling shared by the lxc-attach-agent subcommands (kept free of heavy
// imports: each subcommand loads only what it needs).
import { InvalidArgumentError } from 'commander';

export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new InvalidArgumentError('expected HOST:PORT, e.g. 0.0.0.0:8443 (port 0 picks a free port)');
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

/** Resolves after SIGTERM or SIGINT has been handled by `stop`. */
export function stopOnSignal(stop: () => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    const handler = (): void => {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
      stop().then(resolve, reject);
    };
    process.on('SIGTERM', handler);
    process.on('SIGINT', handler);
  });
}
