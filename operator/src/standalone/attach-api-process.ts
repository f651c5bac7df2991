// Standalone mode runs the attach API as its own process, as a cluster runs it in its own pods:
// the relay then costs the API server's process one TLS hop, not two, and runs on another core.
// The child is `lxc-attach-agent attach-api` itself; it is restarted when it dies, as its
// Deployment's pods would be, and its log lines go to this process's stderr. Its stdin is a pipe
// from this process: when this process dies, even by SIGKILL, the child sees it end and stops.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface AttachApiProcessOptions {
  kubeconfig: string;
  servingCertFile: string;
  servingKeyFile: string;
  relayClientCertFile: string;
  relayClientKeyFile: string;
  /** the port to listen on (0 the first time: the child picks one, kept for its restarts) */
  port: number;
}

class AttachApiProcessError extends Error {
  readonly code = 'STANDALONE_ERR_ATTACH_API_PROCESS';
}

const mainScript = fileURLToPath(new URL('../main.js', import.meta.url));
const RESTART_DELAY_MS = 1000;

function spawnAttachApi(o: AttachApiProcessOptions, port: number): { child: ChildProcess; port: Promise<number> } {
  const child = spawn(process.execPath, [
    mainScript, 'attach-api', '--listen', `127.0.0.1:${port}`, '--kubeconfig', o.kubeconfig,
    '--tls-cert-file', o.servingCertFile, '--tls-private-key-file', o.servingKeyFile,
    '--relay-client-cert-file', o.relayClientCertFile, '--relay-client-key-file', o.relayClientKeyFile,
    '--stop-when-stdin-closes',
  ], { stdio: ['pipe', 'inherit', 'pipe'] });
  const listening = new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr! });
    const tail: string[] = [];
    lines.on('line', (line) => {
      process.stderr.write(`${line}\n`);
      tail.push(line);
      if (tail.length > 5) tail.shift();
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'Attach API started' && typeof entry.port === 'number') resolve(entry.port);
      } catch {
        // a line that is not the JSON log: passed on only
      }
    });
    child.once('error', (err) => reject(new AttachApiProcessError(`cannot start the attach API process: ${err.message}`, { cause: err })));
    child.once('exit', (code, signal) => reject(new AttachApiProcessError(
      `the attach API process exited (${signal ?? `code ${code}`}) before it listened: ${tail.join(' | ')}`)));
  });
  return { child, port: listening };
}

/** Starts the child and resolves once it listens; stop() ends it and its restarts. */
export async function startAttachApiProcess(o: AttachApiProcessOptions): Promise<{ port: number; stop(): Promise<void> }> {
  let stopping = false;
  let first = spawnAttachApi(o, o.port);
  let current = first.child;
  const port = await first.port.catch((err: Error) => {
    current.kill('SIGKILL');
    throw err;
  });
  const supervise = (child: ChildProcess): void => {
    child.once('exit', (code, signal) => {
      if (stopping) return;
      process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), msg: 'Attach API process exited; restarting', code, signal })}\n`);
      setTimeout(() => {
        if (stopping) return;
        first = spawnAttachApi(o, port);
        current = first.child;
        first.port.catch(() => undefined);
        supervise(current);
      }, RESTART_DELAY_MS).unref();
    });
  };
  supervise(current);
  return {
    port,
    stop: async () => {
      stopping = true;
      if (current.exitCode !== null || current.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
      current.kill('SIGTERM');
      const timer = setTimeout(() => current.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
