// The plugin's view of the cluster: the kubeconfig as kubectl would resolve it (KUBECONFIG,
// --kubeconfig, --context, --cluster, --user, --namespace), and the ContainerAttach calls it makes.
import { KubeConfig, Watch } from '@kubernetes/client-node';
import type { ContainerAttach } from '../../common/src/containerattach/types.js';
import { containerAttachPath } from '../../common/src/containerattach/paths.js';
import { KubeClient, KubeApiError, isNotFound } from '../../common/src/kube/client.js';
import type { PluginFlags } from './command-line.js';
import { UsageError } from './errors.js';

export interface Cluster {
  kc: KubeConfig;
  namespace: string;
  client: KubeClient;
  requestTimeoutMs?: number;
}

export function connect(flags: PluginFlags): Cluster {
  const kc = new KubeConfig();
  try {
    if (flags.kubeconfig) kc.loadFromFile(flags.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    throw new UsageError(`cannot load the kubeconfig: ${(err as Error).message}`);
  }
  if (flags.context) {
    if (!kc.getContextObject(flags.context)) throw new UsageError(`context "${flags.context}" does not exist`);
    kc.setCurrentContext(flags.context);
  }
  const current = kc.getContextObject(kc.getCurrentContext());
  if (flags.cluster || flags.user) {
    if (flags.cluster && !kc.getCluster(flags.cluster)) throw new UsageError(`cluster "${flags.cluster}" does not exist`);
    if (flags.user && !kc.getUser(flags.user)) throw new UsageError(`user "${flags.user}" does not exist`);
    const name = 'kubectl-lxc_attach-override';
    kc.addContext({
      name,
      cluster: flags.cluster ?? current?.cluster ?? '',
      user: flags.user ?? current?.user ?? '',
      namespace: current?.namespace,
    });
    kc.setCurrentContext(name);
  }
  if (!kc.getCurrentCluster()) throw new UsageError('no cluster: set --kubeconfig, KUBECONFIG or a current context');
  return {
    kc,
    namespace: flags.namespace ?? current?.namespace ?? 'default',
    client: new KubeClient(kc),
    requestTimeoutMs: flags.requestTimeoutMs || undefined,
  };
}

export async function createAttach(c: Cluster, obj: ContainerAttach): Promise<ContainerAttach> {
  return c.client.request<ContainerAttach>('POST', containerAttachPath(c.namespace), { body: obj, timeoutMs: c.requestTimeoutMs });
}

export async function getAttach(c: Cluster, name: string): Promise<ContainerAttach> {
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
  c: Cluster, name: string, done: (o: ContainerAttach) => boolean, timeoutMs: number | undefined, onTimeout: () => Error,
): Promise<ContainerAttach> {
  const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
  for (;;) {
    const current = await getAttach(c, name);
    if (done(current)) return current;
    const left = deadline - Date.now();
    if (left <= 0) throw onTimeout();
    const found = await new Promise<ContainerAttach | 'again'>((resolve, reject) => {
      let controller: AbortController | undefined;
      const timer = left === Infinity ? undefined : setTimeout(() => {
        controller?.abort();
        resolve('again');
      }, left);
      const finish = (v: ContainerAttach | 'again' | Error): void => {
        clearTimeout(timer);
        controller?.abort();
        if (v instanceof Error) reject(v);
        else resolve(v);
      };
      new Watch(c.kc).watch(
        containerAttachPath(c.namespace),
        { fieldSelector: `metadata.name=${name}`, resourceVersion: current.metadata.resourceVersion, allowWatchBookmarks: false },
        (type, obj: ContainerAttach) => {
          if (type === 'DELETED') finish(new KubeApiError('WATCH', name, 404, { message: `containerattaches.lxcattach.io "${name}" was deleted` }));
          else if ((type === 'ADDED' || type === 'MODIFIED') && done(obj)) finish(obj);
        },
        // NB: a watch that ends (timeout, server restart, 410) just means: read again.
        () => finish('again'),
      ).then((ctl) => (controller = ctl), () => finish('again'));
    });
    if (found !== 'again') return found;
    await new Promise((r) => setTimeout(r, 50));
  }
}
