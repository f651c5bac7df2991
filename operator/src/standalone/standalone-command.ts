// `lxc-attach-agent standalone`: the embedded API server for a host without a cluster.
import { Command } from 'commander';
import { parseListen, stopOnSignal } from '../cli-options.js';
import { realModules } from '../apiserver/modules.js';
import { startStandalone } from './standalone.js';

export function standaloneCommand(): Command {
  return new Command('standalone')
    .description('run a Kubernetes-compatible API server on this host and write a kubeconfig for it')
    .requiredOption('--data-dir <dir>', 'where the store, the TLS certificate and the token are kept')
    .requiredOption('--kubeconfig <file>', 'kubeconfig to write (other entries of an existing file are kept)')
    .option('--listen <host:port>', 'HTTPS address; port 0 picks a free port (the same one again on restart when free)', parseListen, parseListen('127.0.0.1:6443'))
    .option('--no-agent', 'run only the API server')
    .action(async (opts: { dataDir: string; kubeconfig: string; listen: { host: string; port: number }; agent: boolean }) => {
      if (opts.agent) {
        // The seam for the node agent is StandaloneOptions.components; until it is wired, say so.
        throw new Error('running the node agent inside standalone is not implemented yet; start it with --no-agent and run `lxc-attach-agent node` against the written kubeconfig');
      }
      const running = await startStandalone({ dataDir: opts.dataDir, kubeconfig: opts.kubeconfig, listen: opts.listen, modules: realModules() });
      process.stdout.write(`API server listening on ${running.url}\nkubeconfig written to ${running.kubeconfig}\n`);
      await stopOnSignal(() => running.stop());
    });
}
