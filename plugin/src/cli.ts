// The program: commander is the shell (name, description, dispatch, exit override), but the
// command line itself is parsed with lxc-attach's exact grammar from the raw argv, because
// commander drops a leading "--" and cannot reproduce getopt's permutation rules.
import { Command } from 'commander';
import { lxcAttachUsage } from '../../common/src/options/help-text.js';
import type { ParseStop } from '../../common/src/options/lxc-attach-options.js';
import { AttachOptions } from './attach-command.js';
import { parsePluginCommandLine } from './command-line.js';
import { ExitError } from './plugin-errors.js';
import { WebOptions } from './web-command.js';
import { pluginHelp, pluginVersion } from './help.js';
import type { IOStreams } from './io-streams.js';

const progname = 'kubectl lxc-attach';

/** Parses argv and runs the attach; resolves with the exit code. `onSignal` lets the entry point
 *  route SIGINT/SIGTERM/SIGHUP to the running command. */
export async function main(argv: readonly string[], io: IOStreams, onSignal?: (handler: () => void) => void): Promise<number> {
  let code = 0;
  const program = new Command(progname)
    .description('lxc-attach into an LXC container on a Kubernetes node')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]')
    .exitOverride()
    .action(async () => {
      code = await runCommandLine(argv, io, onSignal);
    });
  await program.parseAsync([...argv], { from: 'user' });
  return code;
}

async function runCommandLine(argv: readonly string[], io: IOStreams, onSignal?: (handler: () => void) => void): Promise<number> {
  let options: AttachOptions | undefined;
  try {
    const parsed = parsePluginCommandLine(argv, io.env);
    if (parsed.kind === 'stop') throw stopToExit(parsed.stop, parsed.quiet, parsed.getoptMessage);
    if (parsed.kind === 'web') {
      const web = new WebOptions(io, parsed.flags, parsed.container);
      web.validate();
      onSignal?.(() => web.interrupt());
      return await web.run();
    }
    for (const w of parsed.warnings) io.stderr.write(`${w}\n`);
    options = new AttachOptions(io, parsed.fields, parsed.flags);
    onSignal?.(() => options?.interrupt());
    options.complete();
    options.validate();
    return await options.run();
  } catch (err) {
    if (err instanceof ExitError) {
      io.stdout.write(err.stdout);
      io.stderr.write(err.stderr);
      return err.exitCode;
    }
    io.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await options?.cleanup().catch((err: Error) => io.stderr.write(`warning: could not delete the ContainerAttach: ${err.message}\n`));
  }
}

function stopToExit(stop: ParseStop, quiet: boolean, getoptMessage?: string): ExitError {
  switch (stop.stop) {
    case 'help':
      // -h and --help: kubectl's habit (stdout, 0); -? and parse errors: lxc-attach's (stderr, 1).
      if (stop.code === 0) return new ExitError(0, { stdout: pluginHelp() });
      return new ExitError(1, { stderr: (getoptMessage ? `${getoptMessage}\n` : '') + pluginHelp() });
    case 'usage':
      return new ExitError(0, { stderr: lxcAttachUsage(progname) });
    case 'version':
      return new ExitError(0, { stdout: `kubectl-lxc_attach ${pluginVersion} (the lxc-attach 5.0.2 command line)\n` });
    case 'error':
      return new ExitError(1, { stderr: quiet ? '' : `${progname}: ${stop.message}\n` });
    case 'fatal':
      return new ExitError(1, { stderr: `${stop.line}\n` });
  }
}
