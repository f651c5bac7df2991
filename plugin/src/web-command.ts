// kubectl lxc-attach --web: starts the local proxy (web-proxy.ts) and prints the URL of the
// terminal page the attach API serves for the namespace, then serves until Ctrl-C. The page itself
// creates the ContainerAttach and streams, with the kubeconfig user's own RBAC.
import { terminalPagePath } from '../../common/src/containerattach/paths.js';
import { attachApiAvailable, connect } from './cluster.js';
import type { PluginFlags } from './command-line.js';
import type { IOStreams } from './io-streams.js';
import { UsageError } from './plugin-errors.js';
import { WebProxy } from './web-proxy.js';

export class WebOptions {
  readonly #io: IOStreams;
  readonly #flags: PluginFlags;
  readonly #container: string | undefined;
  #proxy: WebProxy | undefined;
  #stop: (() => void) | undefined;
  #interrupted = false;

  constructor(io: IOStreams, flags: PluginFlags, container: string | undefined) {
    this.#io = io;
    this.#flags = flags;
    this.#container = container;
  }

  validate(): void {
    const f = this.#flags;
    const others = [f.dryRun && '--dry-run', f.batch && '--batch', f.detach && '--detach', f.keep && '--keep', f.via !== 'auto' && '--via', f.timeoutMs !== undefined && '--timeout'].filter(Boolean);
    if (others.length) throw new UsageError(`--web opens the terminal page; ${others.join(', ')} ${others.length > 1 ? 'are' : 'is'} for attaching from this terminal`);
  }

  async run(): Promise<number> {
    const cluster = connect(this.#flags, this.#io);
    const served = await attachApiAvailable(cluster);
    if (!served.available) {
      throw new UsageError(`--web: the API server does not serve the attach API subresources.lxcattach.io/v1alpha1 (${served.why}); ` +
        'the terminal page comes with it (the chart\'s attachApi.enabled, or standalone mode)');
    }
    this.#proxy = new WebProxy(cluster.client.signer, cluster.namespace);
    const origin = await this.#proxy.listen();
    const query = new URLSearchParams();
    if (this.#container) query.set('container', this.#container);
    if (this.#flags.node) query.set('node', this.#flags.node);
    const url = `${origin}${terminalPagePath(cluster.namespace)}${query.size ? `?${query}` : ''}`;
    this.#io.stdout.write(`${url}\n`);
    this.#io.stderr.write('Serving the terminal page on 127.0.0.1 until Ctrl-C.\n');
    if (!this.#interrupted) await new Promise<void>((resolve) => (this.#stop = resolve));
    await this.#proxy.close();
    return 0;
  }

  interrupt(): void {
    this.#interrupted = true;
    this.#stop?.();
  }
}
