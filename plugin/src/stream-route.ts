// Where the attach stream goes: straight to the agent (status.endpoint, its certificate pinned by
// status.tlsFingerprint, the session token as a bearer token), or through the API server to the
// aggregated attach subresource (the kubeconfig's TLS and credentials, the session token in its own
// header because kube-apiserver strips Authorization before proxying). Both carry the same stream.
import type { RequestOptions } from 'node:https';
import type { PeerCertificate } from 'node:tls';
import type WebSocket from 'ws';
import { sessionTokenHeader, subresourceAttachPath } from '../../common/src/containerattach/paths.js';
import type { Cluster } from './cluster.js';
import { pinnedCertificate } from './pinned-certificate.js';

export interface StreamRoute {
  url: URL;
  options: WebSocket.ClientOptions;
  /** who answers a refused upgrade: the agent (directly or relayed), or the API server */
  refusedBy(headers: Record<string, string | string[] | undefined>): 'agent' | 'apiserver';
}

class RouteError extends Error {
  readonly code = 'PLUGIN_ERR_ROUTE';
}

export async function directRoute(endpoint: string, fingerprint: string, token: string, env: NodeJS.ProcessEnv): Promise<StreamRoute> {
  const url = new URL(endpoint);
  const ca = await pinnedCertificate(url, fingerprint, env);
  const tls = {
    ca,
    // Trust is the pinned certificate itself, not a name in it (the agent's certificate is
    // self-signed for its node address).
    checkServerIdentity: (_host: string, cert: PeerCertificate) =>
      cert.fingerprint256 === fingerprint ? undefined : new RouteError('certificate changed between checks'),
  };
  return {
    url,
    options: { headers: { Authorization: `Bearer ${token}` }, ...(tls as unknown as WebSocket.ClientOptions) },
    refusedBy: () => 'agent',
  };
}

export async function apiserverRoute(c: Cluster, name: string, token: string): Promise<StreamRoute> {
  const server = c.client.signer.getCurrentCluster()?.server;
  if (!server) throw new RouteError('the kubeconfig has no current cluster');
  const url = new URL(server.replace(/\/$/, '') + subresourceAttachPath(c.namespace, name));
  url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';
  const options: RequestOptions & { headers: Record<string, string> } = { headers: {} };
  await c.client.signer.applyToHTTPSOptions(options);
  options.headers[sessionTokenHeader] = token;
  return {
    url,
    options: options as unknown as WebSocket.ClientOptions,
    refusedBy: (headers) => (headers['x-lxcattach-refused-by'] === 'agent' ? 'agent' : 'apiserver'),
  };
}
