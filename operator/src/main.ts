#!/usr/bin/env node
// lxc-attach-agent: wires the commands; each command's work lives in its own module.
import { Command, CommanderError } from 'commander';
import { startStandalone, UsageError } from './standalone/standalone.js';
import { realModules } from './apiserver/modules.js';

async function main(argv: string[]): Promise<number> {
  const program = new Command('lxc-attach-agent').exitOverride();
  let exitCode = 0;
  program
    .command('standalone')
    .description('run a Kubernetes-compatible API server on this host (and, later, the node agent)')
    .requiredOption('--data-dir <dir>', 'where the store, certificate and token are kept')
    .requiredOption('--kubeconfig <file>', 'kubeconfig to write for kubectl and the plugin')
    .option('--listen <host:port>', 'address to serve on (port 0 picks a free port)', '127.0.0.1:6443')
    .option('--no-agent', 'run only the API server')
    .action(async (opts: { dataDir: string; kubeconfig: string; listen: string; agent: boolean }) => {
      if (opts.agent) {
        throw new UsageError('the node agent is not available in this version; run with --no-agent to start only the API server');
      }
      const running = await startStandalone({ dataDir: opts.dataDir, kubeconfig: opts.kubeconfig, listen: opts.listen, modules: realModules() });
      process.stdout.write(`API server listening on ${running.url}\nkubeconfig written to ${running.kubeconfig}\n`);
      await new Promise<void>((resolve) => {
        const onSignal = (sig: NodeJS.Signals) => {
          process.stdout.write(`received ${sig}, stopping\n`);
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
          running.stop().then(resolve, (e: unknown) => {
            process.stderr.write(`error: stopping: ${(e as Error).message}\n`);
            exitCode = 1;
            resolve();
          });
        };
        process.on('SIGTERM', onSignal);
        process.on('SIGINT', onSignal);
      });
    });
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
  return exitCode;
}

process.exitCode = await main(process.argv);
