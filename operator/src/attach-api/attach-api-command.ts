// `lxc-attach-agent attach-api`: the aggregated API server of subresources.lxcattach.io.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { inClusterConfig, loadKubeconfig } from '../../../common/src/kube/kubeconfig.js';
import { parseListen, stopOnSignal } from '../cli-options.js';
import { AttachApi } from './attach-api.js';

function read(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${what} ${file}: ${(err as Error).message}`, { cause: err });
  }
}

export function attachApiCommand(): Command {
  return new Command('attach-api')
    .description('serve the aggregated API subresources.lxcattach.io (containerattaches/attach through kube-apiserver)')
    .requiredOption('--tls-cert-file <file>', 'serving certificate (PEM), verified by the APIService caBundle')
    .requiredOption('--tls-private-key-file <file>', 'its key (PEM)')
    .option('--listen <host:port>', 'HTTPS address', parseListen, parseListen('0.0.0.0:8443'))
    .option('--kubeconfig <file>', 'kubeconfig to use (default: in-cluster service account)')
    .option('--relay-client-cert-file <file>', 'client certificate presented to the node agents (their attach-API CA signed it)')
    .option('--relay-client-key-file <file>', 'its key')
    .option('--stop-when-stdin-closes', 'stop when standard input ends (standalone mode starts it so: it never outlives its parent)')
    .action(async (opts: {
      tlsCertFile: string; tlsPrivateKeyFile: string; listen: { host: string; port: number }; kubeconfig?: string;
      relayClientCertFile?: string; relayClientKeyFile?: string; stopWhenStdinCloses?: boolean;
    }) => {
      if (!opts.relayClientCertFile !== !opts.relayClientKeyFile) {
        throw new Error('--relay-client-cert-file and --relay-client-key-file go together');
      }
      const api = new AttachApi({
        kubeConfig: opts.kubeconfig ? loadKubeconfig({ kubeconfig: opts.kubeconfig }) : inClusterConfig(),
        tls: { cert: read(opts.tlsCertFile, '--tls-cert-file'), key: read(opts.tlsPrivateKeyFile, '--tls-private-key-file') },
        relayCredential: opts.relayClientCertFile && opts.relayClientKeyFile
          ? { cert: read(opts.relayClientCertFile, '--relay-client-cert-file'), key: read(opts.relayClientKeyFile, '--relay-client-key-file') }
          : undefined,
        listenHost: opts.listen.host,
        listenPort: opts.listen.port,
      });
      await api.start();
      if (opts.stopWhenStdinCloses) {
        process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
        process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
        process.stdin.resume();
      }
      await stopOnSignal(() => api.stop());
      // NB: a resumed stdin would keep the process alive after the stop.
      if (opts.stopWhenStdinCloses) process.stdin.destroy();
    });
}
