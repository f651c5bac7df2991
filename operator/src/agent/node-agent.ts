// The node agent assembled: informers on this node's and on unclaimed ContainerAttach objects feed
// the work queue; the reconciler admits and tracks attaches; the HTTPS server streams them and
// serves metrics and health. node-command.ts (and standalone-agent.ts) only build the options and
// call start()/stop().
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AgentError } from '../agent-error.js';
import { nodeLabel, type ContainerAttach } from '../../../common/src/containerattach/types.js';
import { SessionRegistry } from '../attach/session-registry.js';
import { ContainerAttachReconciler, objectKey } from '../reconciler/containerattach-reconciler.js';
import { Informer } from '../../../common/src/kube/informer.js';
import type { RequestSigner } from '../../../common/src/kube/client.js';
import { AdmissionSeal } from '../reconciler/admission-seal.js';
import { WorkQueue } from '../../../common/src/queue/work-queue.js';
import { KubeClient } from '../../../common/src/kube/client.js';
import { ContainerAttachApi } from '../api-calls/containerattach-writes.js';
import { containerAttachPath } from '../../../common/src/containerattach/paths.js';
import { EventRecorder } from '../api-calls/event-recorder.js';
import { AgentServer } from '../stream/agent-server.js';
import { defaultBridgeOptions } from '../stream/ws-bridge.js';
import { ensureSelfSignedCertificate } from '../../../common/src/tls/self-signed-certificate.js';
import type { AgentConfig } from '../policy/agent-config.js';
import { AgentMetrics } from '../metrics/agent-metrics.js';

interface NodeAgentOptions {
  node: string;
  /** how to reach and sign requests to the API server (a kubeconfig or in-cluster credentials) */
  kubeConfig: RequestSigner;
  config: AgentConfig;
  dataDir: string;
  listenHost: string;
  listenPort: number;
  /** host put into status.endpoint (default: listenHost, 127.0.0.1 for 0.0.0.0) */
  advertiseAddress?: string;
  helperPath: string;
  defaultLxcPath: string;
  tailBytes?: number;
  killGraceMs?: number;
  log?(message: string, fields?: Record<string, unknown>): void;
}

function defaultLog(message: string, fields?: Record<string, unknown>): void {
  console.error(JSON.stringify({ time: new Date().toISOString(), msg: message, ...fields }));
}

export class NodeAgent {
  readonly metrics = new AgentMetrics(['own', 'unclaimed']);
  readonly sessions = new SessionRegistry();
  readonly #options: NodeAgentOptions;
  #server: AgentServer | undefined;
  #queue: WorkQueue | undefined;
  #reconciler: ContainerAttachReconciler | undefined;
  #informers: Informer<ContainerAttach>[] = [];
  #port = 0;

  constructor(options: NodeAgentOptions) {
    this.#options = options;
  }

  /** The port the stream server listens on (after start). */
  get port(): number {
    return this.#port;
  }

  /** Both informers have listed and are watching now: an agent whose watches are down (the API
   *  server restarting) would not see new objects, and says so. */
  get ready(): boolean {
    return this.#informers.length > 0 && this.#informers.every((i) => i.synced && i.watching);
  }

  async start(): Promise<void> {
    const o = this.#options;
    const log = o.log ?? defaultLog;
    this.metrics.sessionLimit.set(o.config.policy.maxSessions);
    const advertise = o.advertiseAddress ?? (o.listenHost === '0.0.0.0' ? '127.0.0.1' : o.listenHost);
    const tls = ensureSelfSignedCertificate(o.dataDir, 'agent', `lxc-attach-agent ${o.node}`, altNames(advertise));
    const client = new KubeClient(o.kubeConfig, `lxc-attach-agent (node ${o.node})`);
    const api = new ContainerAttachApi(client);

    let reconciler!: ContainerAttachReconciler;
    this.#server = new AgentServer({
      tls,
      relay: {
        requireAttachApi: o.config.requireAttachApi ?? false,
        clientCaPem: o.config.attachApiClientCaFile ? readCa(o.config.attachApiClientCaFile) : undefined,
      },
      sessions: this.sessions,
      metrics: () => this.metrics.text(),
      ready: () => this.ready,
      beforeStart: (session) => reconciler.markStarted(session),
      bridgeOptions: { ...defaultBridgeOptions, onBytes: (direction, n) => this.metrics.relayedBytes.inc({ direction }, n) },
      limits: o.config.stream,
      refused: (reason) => this.metrics.streamRefusals.inc({ reason }),
      log,
    });
    const address = await this.#server.listen(o.listenHost, o.listenPort);
    this.#port = address.port;

    const own = `${nodeLabel}=${o.node}`;
    const unclaimed = `!${nodeLabel}`;
    const lookup = (namespace: string, name: string): ContainerAttach | undefined =>
      this.#informers.map((i) => i.get(namespace, name)).find((x) => x !== undefined);
    this.#queue = new WorkQueue((key) => reconciler.reconcile(key), {
      concurrency: 4,
      baseDelayMs: 100,
      maxDelayMs: 30_000,
      onError: (key, err) => {
        this.metrics.reconcileErrors.inc();
        log('Failed to reconcile ContainerAttach', { key, err: (err as Error).message });
      },
    });
    const queue = this.#queue;
    reconciler = new ContainerAttachReconciler({
      identity: {
        node: o.node,
        agentId: `${o.node}/${randomUUID()}`,
        endpointBase: `wss://${hostForUrl(advertise)}:${this.#port}`,
        tlsFingerprint: tls.fingerprint,
      },
      config: o.config,
      defaultLxcPath: o.defaultLxcPath,
      helperPath: o.helperPath,
      tailBytes: o.tailBytes ?? 16 << 10,
      killGraceMs: o.killGraceMs ?? o.config.hangupGraceSeconds * 1000,
      api,
      events: new EventRecorder(client, o.node, log),
      sessions: this.sessions,
      metrics: this.metrics,
      seal: new AdmissionSeal(tls.key, o.node),
      lookup,
      enqueue: (key) => queue.add(key),
      log,
    });
    this.#reconciler = reconciler;

    const enqueueObject = (obj: ContainerAttach): void => queue.add(objectKey(obj.metadata.namespace ?? 'default', obj.metadata.name ?? ''));
    for (const [name, selector] of [['own', own], ['unclaimed', unclaimed]] as const) {
      this.#informers.push(new Informer<ContainerAttach>(client, containerAttachPath(), selector, {
        onChange: enqueueObject,
        onDelete: enqueueObject,
        onError: (err, retryInMs) => {
          this.metrics.watchRestarts.inc({ informer: name });
          log('Restarting informer', { informer: name, err: (err as Error)?.message, retryInMs });
        },
      }));
    }
    await Promise.all(this.#informers.map((i) => i.start()));
    log('Agent started', { node: o.node, port: this.#port, fingerprint: tls.fingerprint });
  }

  /** Graceful: stop taking work, hang up every session, write their statuses, close the port. */
  async stop(): Promise<void> {
    await Promise.all(this.#informers.map((i) => i.stop()));
    this.#queue?.shutdown();
    await this.#reconciler?.shutdown();
    await this.#server?.close();
  }
}

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new AgentError('AGENT_ERR_CONFIG', `cannot read attachApiClientCaFile ${file}`, { cause: err });
  }
}

function isIp(host: string): boolean {
  return /^[0-9.]+$/.test(host) || host.includes(':');
}

function altNames(advertise: string): string[] {
  const names = ['DNS:localhost', 'IP:127.0.0.1'];
  const entry = isIp(advertise) ? `IP:${advertise}` : `DNS:${advertise}`;
  if (!names.includes(entry)) names.push(entry);
  return names;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
