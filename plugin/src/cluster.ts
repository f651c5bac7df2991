// The plugin's view of the cluster: the kubeconfig as kubectl would resolve it (KUBECONFIG,
// --kubeconfig, --context, --cluster, --user, --namespace), and the ContainerAttach calls it makes.
import type { ContainerAttach } from '../../common/src/containerattach/types.js';
import { containerAttachPath, subresourceGroupVersion } from '../../common/src/containerattach/paths.js';
import { KubeClient, KubeApiError, isNotFound } from '../../common/src/kube/client.js';
import { loadKubeconfig, KubeconfigError } from '../../common/src/kube/kubeconfig.js';
import type { PluginFlags } from './command-line.js';
import { withExtraCaCerts } from './extra-ca-certs.js';
import type { IOStreams } from './io-streams.js';
import { UsageError } from './plugin-errors.js';
import { maxTimerDelayMs } from '../../common/src/timers/long-timeout.js';

export interface Cluster {
  namespace: string;
  client: KubeClient;
  requestTimeoutMs?: number;
}

export function connect(flags: PluginFlags, io: Pick<IOStreams, 'env' | 'stderr'>): Cluster {
  try {
    const kc = loadKubeconfig(flags, io.env);
    return {
      namespace: flags.namespace ?? kc.namespace ?? 'default',
      client: new KubeClient(withExtraCaCerts(kc, io.env, (line) => io.stderr.write(`${line}\n`)), 'kubectl-lxc_attach'),
      requestTimeoutMs: flags.requestTimeoutMs || undefined,
    };
  } catch (err) {
    if (err instanceof KubeconfigError) throw new UsageError(err.message);
    throw err;
  }
}

export const crdMissingMessage = 'the ContainerAttach CRD is not installed on this cluster (the API server does not serve ' +
  'containerattaches.lxcattach.io); install it with the Helm chart (charts/lxc-attach-operator) or with ' +
  '`kubectl apply -f crds/containerattaches.lxcattach.io.yaml` from the lxc-attach-operator repository';

export async function createAttach(c: Cluster, obj: ContainerAttach): Promise<ContainerAttach> {
  try {
    return await c.client.request<ContainerAttach>('POST', containerAttachPath(c.namespace), { body: obj, timeoutMs: c.requestTimeoutMs });
  } catch (err) {
    // An unknown resource path gets the mux's plain "404 page not found"; a missing namespace gets
    // a Status (k8s.io/apiserver/pkg/endpoints/handlers/create.go), which stays as it is.
    if (err instanceof KubeApiError && err.statusCode === 404 && err.status?.kind !== 'Status') {
      throw new UsageError(crdMissingMessage);
    }
    throw err;
  }
}

async function getAttach(c: Cluster, name: string): Promise<ContainerAttach> {
  return c.client.request<ContainerAttach>('GET', containerAttachPath(c.namespace, name), { timeoutMs: c.requestTimeoutMs });
}

/** Deletes the object; already gone is fine. */
export async function deleteAttach(c: Cluster, name: string): Promise<void> {
  try {
    await c.client.request('DELETE', containerAttachPath(c.namespace, name), { timeoutMs: c.requestTimeoutMs });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Waits until `done(obj)` holds, watching the object (and re-reading it when the watch ends).
 *  Rejects with a KubeApiError when the object is deleted, and on timeout with `onTimeout()`. */
export async function waitForAttach(
  c: Cluster, created: ContainerAttach, done: (o: ContainerAttach) => boolean, timeoutMs: number | undefined, onTimeout: () => Error,
): Promise<ContainerAttach> {
  const name = created.metadata.name ?? '';
  const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
  // The object as created is the first state: the watch starts from its resourceVersion.
  let current: ContainerAttach | undefined = created;
  for (;;) {
    current ??= await getAttach(c, name);
    if (done(current)) return current;
    const left = deadline - Date.now();
    if (left <= 0) throw onTimeout();
    const abort = new AbortController();
    // NB: a --timeout over 2^31-1 ms would fire at once; the loop re-arms until the deadline.
    const timer = left === Infinity ? undefined : setTimeout(() => abort.abort(), Math.min(left, maxTimerDelayMs));
    let found: ContainerAttach | undefined;
    try {
      await c.client.watch<ContainerAttach>(containerAttachPath(c.namespace), {
        fieldSelector: `metadata.name=${name}`,
        resourceVersion: current.metadata.resourceVersion,
      }, (e) => {
        if (e.type === 'DELETED') {
          throw new KubeApiError('WATCH', name, 404, { message: `containerattaches.lxcattach.io "${name}" was deleted` });
        }
        if ((e.type === 'ADDED' || e.type === 'MODIFIED') && done(e.object)) {
          found = e.object;
          abort.abort();
        }
      }, abort.signal, false);
    } catch (err) {
      // NB: only a deletion ends the wait; a broken or expired watch just means: read again.
      if (err instanceof KubeApiError && err.statusCode === 404 && err.method === 'WATCH') throw err;
    } finally {
      clearTimeout(timer);
    }
    if (found) return found;
    current = undefined;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether the API server serves the aggregated attach API: its discovery answers 200, which
 *  kube-aggregator gives only while the APIService is Available. Resolves with why not otherwise. */
export async function attachApiAvailable(c: Cluster): Promise<{ available: true } | { available: false; why: string }> {
  try {
    await c.client.request('GET', `/apis/${subresourceGroupVersion}`, { timeoutMs: c.requestTimeoutMs ?? 10_000 });
    return { available: true };
  } catch (err) {
    if (!(err instanceof KubeApiError)) throw err;
    const message = err.status?.message?.trim();
    return { available: false, why: err.statusCode ? `${err.statusCode}${message ? `: ${message}` : ''}` : `unreachable: ${message ?? ''}` };
  }
}
