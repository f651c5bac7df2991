// Standalone mode's attach API: the aggregated server of subresources.lxcattach.io started as a
// child process after the agent, on 127.0.0.1, and registered with the embedded API server exactly as the
// chart registers it in a cluster (Service, EndpointSlice, APIService with the caBundle), so that
// `kubectl lxc-attach` on this host goes through the same path as on a cluster.
import path from 'node:path';
import { caFiles, ensureCertificateAuthority, ensureSignedCertificate } from '../../../common/src/tls/certificate-authority.js';
import { KubeClient, isConflict, isNotFound } from '../../../common/src/kube/client.js';
import { loadKubeconfig } from '../../../common/src/kube/kubeconfig.js';
import type { StandaloneComponent } from './standalone.js';
import { startAttachApiProcess } from './attach-api-process.js';

const attachApiNamespace = 'lxc-attach';
const attachApiService = 'lxc-attach-api';
const apiServiceName = 'v1alpha1.subresources.lxcattach.io';

interface AttachApiCertificates {
  servingCaPem: string;
  serving: { cert: string; key: string; certFile: string; keyFile: string };
  relayClient: { cert: string; key: string; certFile: string; keyFile: string };
  /** the agent's attachApiClientCaFile */
  relayCaFile: string;
}

/** Made once in DATA/attach-api and kept: the APIService caBundle and the agent's trust stay valid. */
export function ensureAttachApiCertificates(dataDir: string): AttachApiCertificates {
  const dir = path.join(dataDir, 'attach-api');
  const servingCa = ensureCertificateAuthority(dir, 'serving-ca', 'lxc-attach-api serving CA');
  const serving = ensureSignedCertificate(dir, 'serving', caFiles(dir, 'serving-ca'), {
    commonName: `${attachApiService}.${attachApiNamespace}.svc`,
    usage: 'serverAuth',
    altNames: [`DNS:${attachApiService}.${attachApiNamespace}.svc`, `DNS:${attachApiService}.${attachApiNamespace}.svc.cluster.local`, 'IP:127.0.0.1'],
  });
  ensureCertificateAuthority(dir, 'relay-ca', 'lxc-attach-api relay CA');
  const relayClient = ensureSignedCertificate(dir, 'relay-client', caFiles(dir, 'relay-ca'), { commonName: 'lxc-attach-api', usage: 'clientAuth' });
  const files = (name: string) => ({ certFile: path.join(dir, `${name}.crt`), keyFile: path.join(dir, `${name}.key`) });
  return {
    servingCaPem: servingCa.cert,
    serving: { ...serving, ...files('serving') },
    relayClient: { ...relayClient, ...files('relay-client') },
    relayCaFile: caFiles(dir, 'relay-ca').certFile,
  };
}

/** Creates the object, or replaces it keeping its resourceVersion. */
async function apply(client: KubeClient, collection: string, obj: { metadata: { name: string; [key: string]: unknown } } & Record<string, unknown>): Promise<void> {
  try {
    await client.request('POST', collection, { body: obj });
  } catch (err) {
    if (!isConflict(err)) throw err;
    const current = await client.request<{ metadata: { resourceVersion?: string } }>('GET', `${collection}/${obj.metadata.name}`);
    await client.request('PUT', `${collection}/${obj.metadata.name}`, {
      body: { ...obj, metadata: { ...obj.metadata, resourceVersion: current.metadata.resourceVersion } },
    });
  }
}

export async function registerAttachApi(client: KubeClient, port: number, caBundlePem: string): Promise<void> {
  try {
    await client.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: attachApiNamespace } } });
  } catch (err) {
    if (!isConflict(err)) throw err;
  }
  const ns = `/api/v1/namespaces/${attachApiNamespace}`;
  await apply(client, `${ns}/services`, {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: attachApiService, namespace: attachApiNamespace },
    spec: { ports: [{ name: 'https', port: 443, targetPort: port, protocol: 'TCP' }] },
  });
  await apply(client, `/apis/discovery.k8s.io/v1/namespaces/${attachApiNamespace}/endpointslices`, {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: `${attachApiService}-local`, namespace: attachApiNamespace, labels: { 'kubernetes.io/service-name': attachApiService } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
    ports: [{ name: 'https', port, protocol: 'TCP' }],
  });
  await apply(client, '/apis/apiregistration.k8s.io/v1/apiservices', {
    apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService',
    metadata: { name: apiServiceName },
    spec: {
      group: 'subresources.lxcattach.io', version: 'v1alpha1',
      service: { namespace: attachApiNamespace, name: attachApiService, port: 443 },
      caBundle: Buffer.from(caBundlePem).toString('base64'),
      groupPriorityMinimum: 1000, versionPriority: 15,
    },
  });
}

export function standaloneAttachApiComponent(certs: AttachApiCertificates): StandaloneComponent {
  return {
    async start({ kubeconfig }) {
      const api = await startAttachApiProcess({
        kubeconfig, port: 0,
        servingCertFile: certs.serving.certFile, servingKeyFile: certs.serving.keyFile,
        relayClientCertFile: certs.relayClient.certFile, relayClientKeyFile: certs.relayClient.keyFile,
      });
      try {
        await registerAttachApi(new KubeClient(loadKubeconfig({ kubeconfig }), 'lxc-attach-agent standalone'), api.port, certs.servingCaPem);
      } catch (err) {
        await api.stop();
        if (isNotFound(err)) {
          throw new Error(`the API server does not serve what the attach API registers (${(err as Error).message})`, { cause: err });
        }
        throw err;
      }
      return { stop: () => api.stop() };
    },
  };
}
