// What standalone mode runs against its own API server by default: the ContainerAttach CRD
// (installed or updated to this version's, then Established), the agent's access as the chart
// installs it (RBAC and the node-bound writes policy: agent-identity.ts) and the node agent for
// this host, which runs as the agent's ServiceAccount on this node.
import { hostname } from 'node:os';
import path from 'node:path';
import { containerAttachCrd } from '../../../common/src/containerattach/crd.js';
import { KubeClient } from '../../../common/src/kube/client.js';
import { loadKubeconfig } from '../../../common/src/kube/kubeconfig.js';
import type { StandaloneComponent } from './standalone.js';
import { ensureAttachApiCertificates, standaloneAttachApiComponent } from './standalone-attach-api.js';
import { ensureAgentAccess, writeAgentKubeconfig } from './agent-identity.js';
import { ensureObject } from './ensure-object.js';

interface StandaloneAgentOptions {
  dataDir: string;
  node?: string;
  configFile?: string;
  listen: { host: string; port: number };
  /** serve subresources.lxcattach.io in-process and register it (default true) */
  attachApi?: boolean;
}

const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

interface Crd {
  metadata: { name: string };
  spec: unknown;
  status?: { conditions?: { type: string; status: string }[] };
}

/** Creates the CRD, or replaces its spec when this version's differs, and waits for Established. */
async function ensureCrd(client: KubeClient, timeoutMs = 30_000): Promise<void> {
  const wanted = containerAttachCrd() as unknown as Crd;
  const name = wanted.metadata.name;
  // Replaced only when ours, overlaid on the server's copy, changes it: top-level spec fields the
  // server fills in by default (conversion) must not cause a PUT on every start.
  await ensureObject(client, crdPath, wanted as unknown as Record<string, unknown>, (current) => {
    const spec = current['spec'] as object;
    return JSON.stringify(spec) === JSON.stringify({ ...spec, ...(wanted.spec as object) });
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const crd = await client.request<Crd>('GET', `${crdPath}/${name}`);
    if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    if (Date.now() > deadline) throw new Error(`the CRD ${name} was not Established within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function standaloneAgentComponents(o: StandaloneAgentOptions): StandaloneComponent[] {
  const certs = o.attachApi === false ? undefined : ensureAttachApiCertificates(o.dataDir);
  return [
    {
      async start({ kubeconfig }) {
        const admin = new KubeClient(loadKubeconfig({ kubeconfig }), 'lxc-attach-agent standalone');
        await ensureCrd(admin);
        await ensureAgentAccess(admin);
        return { stop: async () => undefined };
      },
    },
    {
      async start({ kubeconfig }) {
        // Loaded here, after the server answers: the agent is not needed for the API server's
        // restart time, which is measured.
        const [{ NodeAgent }, { loadConfig }, hostDefaults] = await Promise.all([
          import('../agent/node-agent.js'),
          import('../policy/agent-config.js'),
          import('../agent/host-defaults.js'),
        ]);
        const config = loadConfig(o.configFile);
        const node = o.node ?? hostname();
        const agentKubeconfig = path.join(o.dataDir, 'agent', 'kubeconfig');
        await writeAgentKubeconfig(kubeconfig, agentKubeconfig, node);
        // The agent trusts this host's attach API unless the policy file names another CA.
        if (certs) config.attachApiClientCaFile ??= certs.relayCaFile;
        const agent = new NodeAgent({
          node,
          kubeConfig: loadKubeconfig({ kubeconfig: agentKubeconfig }),
          config,
          dataDir: path.join(o.dataDir, 'agent'),
          listenHost: o.listen.host,
          listenPort: o.listen.port,
          helperPath: hostDefaults.bundledHelperPath,
          defaultLxcPath: hostDefaults.hostDefaultLxcPath(),
        });
        await agent.start();
        return { stop: () => agent.stop() };
      },
    },
    ...(certs ? [standaloneAttachApiComponent(certs)] : []),
  ];
}
