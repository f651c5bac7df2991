// The plugin's standard streams and environment, injected so tests can use their own.
import type { Readable, Writable } from 'node:stream';

export interface IOStreams {
  stdin: Readable & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  stdout: Writable & { isTTY?: boolean; columns?: number; rows?: number };
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export function processStreams(): IOStreams {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
}
