// A single-node "cluster" for agent tests: the standalone API server and one node agent, each a
// real process, the project's CRD applied, and helpers to create and watch ContainerAttaches.
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:https';
import { apiVersion, kind, nodeLabel, type ContainerAttach, type ContainerAttachSpec, type Phase } from '../../common/src/containerattach/types.js';
import { containerAttachPath } from '../../common/src/containerattach/paths.js';
import { KubeClient } from '../../common/src/kube/client.js';
import { loadKubeconfig } from '../../common/src/kube/kubeconfig.js';
import { fdCount } from './leftovers.js';
import {
  agentBin, applyProjectCrd, kubectl, Proc, startAgent, startApiServer, waitFor, type AgentProc, type Standalone,
} from './processes.js';
import { registerAttachApi } from '../../operator/src/standalone/standalone-attach-api.js';
import { makeAggregatorCerts, type AggregatorCerts } from './aggregator-certs.js';
import path from 'node:path';

let counter = 0;

export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${++counter}`;
}

export function sessionToken(): { token: string; hash: string } {
  const token = randomBytes(24).toString('base64url');
  return { token, hash: createHash('sha256').update(token).digest('hex') };
}

export class AgentCluster {
  readonly node: string;
  api!: Standalone;
  agent!: AgentProc;
  client!: KubeClient;
  /** the attach API process, when started with { attachApi: true } */
  attachApi: Proc | undefined;
  #certs: AggregatorCerts | undefined;
  #agentConfig: string | undefined;
  /** the kubeconfig the agent runs with (the admin's unless start() was given another) */
  #agentKubeconfig = '';

  constructor(node = `node-${process.pid}`) {
    this.node = node;
  }

  /** `attachApi`: also run `lxc-attach-agent attach-api` and register it as the chart does (the
   *  agent then trusts its relay certificate), so the plugin's --via=apiserver path works.
   *  `agentKubeconfig`: makes the agent's own kubeconfig from the admin's (and may install its access). */
  async start(agentConfig?: string, serverArgs: string[] = [], opts: {
    attachApi?: boolean; agentKubeconfig?: (adminKubeconfig: string, admin: KubeClient) => Promise<string>;
  } = {}): Promise<this> {
    if (opts.attachApi) {
      this.#certs = makeAggregatorCerts();
      agentConfig = `${agentConfig ?? ''}\nattachApiClientCaFile: ${this.#certs.relayCaFile}\n`;
    }
    this.#agentConfig = agentConfig;
    this.api = await startApiServer(undefined, serverArgs);
    await applyProjectCrd(this.api.kubeconfig);
    this.client = new KubeClient(loadKubeconfig({ kubeconfig: this.api.kubeconfig }), 'lxcat-test');
    this.#agentKubeconfig = opts.agentKubeconfig ? await opts.agentKubeconfig(this.api.kubeconfig, this.client) : this.api.kubeconfig;
    this.agent = await startAgent(this.#agentKubeconfig, this.node, { config: agentConfig });
    await waitFor('the agent to be ready', async () => ((await this.agentGet('/readyz')).status === 200 ? true : undefined));
    if (opts.attachApi) await this.startAttachApi();
    return this;
  }

  /** Starts (or restarts) the attach API process and waits for its APIService to be Available. */
  async startAttachApi(): Promise<void> {
    const certs = this.#certs!;
    const file = (name: string): string => path.join(certs.dir, name);
    this.attachApi = new Proc(process.execPath, [agentBin, 'attach-api', '--listen', '127.0.0.1:0', '--kubeconfig', this.api.kubeconfig,
      '--tls-cert-file', file('serving.crt'), '--tls-private-key-file', file('serving.key'),
      '--relay-client-cert-file', file('relay-client.crt'), '--relay-client-key-file', file('relay-client.key')]);
    const proc = this.attachApi;
    const port = await waitFor('the attach API to start', () => {
      if (proc.child.exitCode !== null) throw new Error(`attach-api exited: ${proc.stderr}`);
      const m = /"msg":"Attach API started"[^\n]*"port":(\d+)/.exec(proc.stderr);
      return m ? Number(m[1]) : undefined;
    });
    await registerAttachApi(this.client, port, certs.servingCa.cert);
    await this.waitForAttachApi('True');
  }

  async stopAttachApi(): Promise<void> {
    await this.attachApi?.stop();
    this.attachApi = undefined;
  }

  /** Waits until the APIService's Available condition has `status`; resolves with its reason. */
  async waitForAttachApi(status: 'True' | 'False', timeoutMs = 30_000): Promise<string> {
    return waitFor(`the attach APIService to be Available=${status}`, async () => {
      const api = await this.client.request<{ status?: { conditions?: { type: string; status: string; reason?: string }[] } }>(
        'GET', '/apis/apiregistration.k8s.io/v1/apiservices/v1alpha1.subresources.lxcattach.io');
      const c = api.status?.conditions?.find((x) => x.type === 'Available');
      return c?.status === status ? (c.reason ?? '') : undefined;
    }, timeoutMs, 100);
  }

  /** Stops the agent and starts it again on the same data dir; `agentConfig` replaces its policy
   *  ('' for none). */
  async restartAgent(signal: NodeJS.Signals = 'SIGKILL', agentConfig = this.#agentConfig): Promise<void> {
    this.#agentConfig = agentConfig;
    await this.agent.proc.stop(signal);
    this.agent = await startAgent(this.#agentKubeconfig, this.node, { config: this.#agentConfig, dataDir: this.agent.dataDir });
  }

  async stop(): Promise<void> {
    await this.attachApi?.stop();
    await this.agent?.proc.stop();
    await this.api?.proc.stop();
  }

  kubectl(args: string[], input?: string) {
    return kubectl(this.api.kubeconfig, args, input);
  }

  /** GET on the agent's HTTPS port (its certificate is self-signed). */
  async agentGet(path: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', port: this.agent.port, path, rejectUnauthorized: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', () => resolve({ status: 0, body: '' }));
      req.end();
    });
  }

  manifest(name: string, spec: Partial<ContainerAttachSpec> & { container: string }, labels: Record<string, string> = {}): ContainerAttach {
    return { apiVersion, kind, metadata: { name, labels }, spec: spec as ContainerAttachSpec };
  }

  async create(obj: ContainerAttach, namespace = 'default'): Promise<ContainerAttach> {
    return this.client.request<ContainerAttach>('POST', containerAttachPath(namespace), { body: obj });
  }

  /** An interactive attach for this node, with its token. */
  async createInteractive(name: string, spec: Partial<ContainerAttachSpec> & { container: string }): Promise<{ obj: ContainerAttach; token: string }> {
    const { token, hash } = sessionToken();
    const obj = await this.create(this.manifest(name, { mode: 'Interactive', stdin: true, sessionTokenHash: hash, ...spec }, { [nodeLabel]: this.node }));
    return { obj, token };
  }

  async get(name: string, namespace = 'default'): Promise<ContainerAttach> {
    return this.client.request<ContainerAttach>('GET', containerAttachPath(namespace, name));
  }

  async waitForPhase(name: string, phases: Phase[], timeoutMs = 20_000, namespace = 'default'): Promise<ContainerAttach> {
    let last: ContainerAttach | undefined;
    try {
      return await waitFor(`${name} to reach ${phases.join('|')}`, async () => {
        last = await this.get(name, namespace);
        return phases.includes(last.status?.phase as Phase) ? last : undefined;
      }, timeoutMs);
    } catch (err) {
      throw new Error(`${(err as Error).message}; last status ${JSON.stringify(last?.status)}; agent log ${this.agent.proc.stderr.slice(-2000)}`, { cause: err });
    }
  }

  /** The phases a watch sees the object in, from now until it is deleted. Polling can miss a
   *  phase that lasts less than one poll (a finished attach with a short ttl). */
  async phasesUntilDeleted(name: string, timeoutMs = 20_000, namespace = 'default'): Promise<string[]> {
    const phases: string[] = [];
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    let deleted = false;
    try {
      await this.client.watch<ContainerAttach>(containerAttachPath(namespace), { fieldSelector: `metadata.name=${name}` }, (e) => {
        if (e.type === 'DELETED') {
          deleted = true;
          abort.abort();
        } else {
          phases.push(e.object.status?.phase ?? '');
        }
      }, abort.signal);
    } finally {
      clearTimeout(timer);
    }
    if (!deleted) throw new Error(`${name} was not deleted within ${timeoutMs / 1000}s; phases seen: ${phases.join(', ')}`);
    return phases;
  }

  /** The agent's descriptor count once it has run one attach (so lazily opened ones, like the API
   *  keep-alive socket, are counted) and settled. Taken again after every restart: a new agent
   *  process has its own count, and comparing with the old one could hide growth. */
  async fdBaseline(container: string): Promise<number> {
    const name = uniqueName('fd-baseline');
    await this.create(this.manifest(name, { container, command: ['true'], nodeName: this.node }));
    await this.waitForPhase(name, ['Succeeded']);
    const pid = this.agent.proc.pid;
    let last = fdCount(pid);
    return waitFor('the agent\'s descriptors to settle', async () => {
      await new Promise((r) => setTimeout(r, 200));
      const now = fdCount(pid);
      const settled = now === last;
      last = now;
      return settled ? now : undefined;
    });
  }

  async metrics(): Promise<string> {
    return (await this.agentGet('/metrics')).body;
  }
}
