// `lxc-attach-agent standalone`: the embedded API server for a host without a cluster.
import { Command, InvalidArgumentError } from 'commander';
import { parseDuration } from '../../../common/src/duration.js';
import { parseListen, stopOnSignal } from '../cli-options.js';
import { startStandalone } from './standalone.js';

export function standaloneCommand(): Command {
  return new Command('standalone')
    .description('run a Kubernetes-compatible API server on this host and write a kubeconfig for it')
    .requiredOption('--data-dir <dir>', 'where the store, the TLS certificate and the token are kept')
    .requiredOption('--kubeconfig <file>', 'kubeconfig to write (other entries of an existing file are kept)')
    .option('--listen <host:port>', 'HTTPS address; port 0 picks a free port (the same one again on restart when free)', parseListen, parseListen('127.0.0.1:6443'))
    .option('--no-agent', 'run only the API server (no CRD installed, no node agent)')
    .option('--node <name>', 'node name of this host\'s agent (default: the host name)')
    .option('--config <file>', 'agent policy file (YAML), as for lxc-attach-agent node')
    .option('--token-auth-file <file>', 'more users, one per line as kube-apiserver reads them: token,user,uid,"group1,group2" (RBAC decides what they may do)')
    .option('--request-timeout <duration>', 'as kube-apiserver\'s: how long a request that is not long-running (not a watch, attach, exec, log, proxy or portforward) may take, e.g. 60s or 1m0s', parseRequestTimeout, 60_000)
    .option('--audit-log <file>', 'append one JSON line per API request (verb, resource, user agent) to this file')
    .option('--no-attach-api', 'do not serve the aggregated attach API (subresources.lxcattach.io) in this process')
    .option('--agent-listen <host:port>', 'HTTPS address of the agent\'s stream, /metrics and health', parseListen, parseListen('127.0.0.1:0'))
    .action(async (opts: {
      dataDir: string; kubeconfig: string; listen: { host: string; port: number }; agent: boolean;
      node?: string; config?: string; attachApi: boolean; agentListen: { host: string; port: number }; auditLog?: string; tokenAuthFile?: string;
      requestTimeout: number;
    }) => {
      const components = opts.agent
        ? (await import('./standalone-agent.js')).standaloneAgentComponents({
          dataDir: opts.dataDir, node: opts.node, configFile: opts.config, listen: opts.agentListen, attachApi: opts.attachApi,
        })
        : [];
      const running = await startStandalone({ dataDir: opts.dataDir, kubeconfig: opts.kubeconfig, listen: opts.listen, components, auditLog: opts.auditLog, tokenAuthFile: opts.tokenAuthFile,
        requestTimeoutMs: opts.requestTimeout,
      });
      process.stdout.write(`API server listening on ${running.url}\nkubeconfig written to ${running.kubeconfig}\n`);
      if (opts.agent) process.stdout.write('node agent running for this host; try: kubectl lxc-attach -n CONTAINER -- uname -a\n');
      await stopOnSignal(() => running.stop());
    });
}

function parseRequestTimeout(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError(`not a positive duration like 60s or 1m0s: "${text}"`);
  return ms;
}
