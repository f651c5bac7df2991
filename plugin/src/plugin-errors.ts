// What the plugin's entry point turns into a message and an exit code.

/** A command-line mistake: "error: MESSAGE" and exit 1 (lxc-attach's code for parse errors). */
export class UsageError extends Error {
  readonly code = 'PLUGIN_ERR_USAGE';

  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The command line ends with this exit code after printing `stdout`/`stderr` (help, version,
 *  lxc-attach's own parse errors, the remote command's exit code). */
export class ExitError extends Error {
  readonly code = 'PLUGIN_ERR_EXIT';
  readonly exitCode: number;
  readonly stderr: string;
  readonly stdout: string;

  constructor(exitCode: number, output: { stdout?: string; stderr?: string } = {}) {
    super(`exit ${exitCode}`);
    this.name = 'ExitError';
    this.exitCode = exitCode;
    this.stdout = output.stdout ?? '';
    this.stderr = output.stderr ?? '';
  }
}
