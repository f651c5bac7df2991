// `lxc-attach-agent node`: the agent for one node, against a cluster (kubeconfig or in-cluster).
import { inClusterConfig, loadKubeconfig } from '../../../common/src/kube/kubeconfig.js';
import { Command } from 'commander';
import { parseListen, stopOnSignal } from '../cli-options.js';
import { loadConfig } from '../policy/agent-config.js';
import { NodeAgent } from './node-agent.js';
import { bundledHelperPath, hostDefaultLxcPath } from './host-defaults.js';

export function nodeCommand(): Command {
  return new Command('node')
    .description('run the agent for one node of a cluster')
    .requiredOption('--node <name>', 'this node\'s name (objects are routed with the label lxcattach.io/node)')
    .option('--kubeconfig <file>', 'kubeconfig to use (default: in-cluster service account)')
    .option('--config <file>', 'policy file (YAML)')
    .option('--data-dir <dir>', 'where the agent keeps its TLS certificate', '/var/lib/lxc-attach-agent')
    .option('--listen <host:port>', 'HTTPS address for the stream, /metrics, /healthz, /readyz', parseListen, parseListen('0.0.0.0:8443'))
    .option('--advertise-address <host>', 'host or IP clients use to reach this agent (status.endpoint)')
    .option('--helper <path>', 'the lxc-attach-helper binary', bundledHelperPath)
    .option('--default-lxc-path <dir>', 'the lxc path used when an object names none (default: lxc-config lxc.lxcpath)')
    .action(async (opts: {
      node: string; kubeconfig?: string; config?: string; dataDir: string; listen: { host: string; port: number };
      advertiseAddress?: string; helper: string; defaultLxcPath?: string;
    }) => {
      const agent = new NodeAgent({
        node: opts.node,
        // --kubeconfig FILE, else the pod's service account (in-cluster).
        kubeConfig: opts.kubeconfig ? loadKubeconfig({ kubeconfig: opts.kubeconfig }) : inClusterConfig(),
        config: loadConfig(opts.config),
        dataDir: opts.dataDir,
        listenHost: opts.listen.host,
        listenPort: opts.listen.port,
        advertiseAddress: opts.advertiseAddress,
        helperPath: opts.helper,
        defaultLxcPath: opts.defaultLxcPath ?? hostDefaultLxcPath(),
      });
      await agent.start();
      await stopOnSignal(() => agent.stop());
    });
}
