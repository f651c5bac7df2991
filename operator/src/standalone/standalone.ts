// `lxc-attach-agent standalone`: the API server on one host, with its certificate, token and a
// kubeconfig, plus the in-process components that run against it once it is ready (the node agent
// joins them when it exists; `components` is that seam).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ApiServer } from '../apiserver/server.js';
import type { ApiServerModules } from '../apiserver/ports.js';
import { ensureCertificate } from './tls.js';
import { ensureToken } from './token.js';
import { writeKubeconfig } from './kubeconfig.js';

export interface StandaloneOptions {
  dataDir: string;
  kubeconfig: string;
  /** "127.0.0.1:0" picks a free port */
  listen: string;
  modules: ApiServerModules;
  /** started in order once the server answers, stopped in reverse order */
  components?: StandaloneComponent[];
  log?: (message: string) => void;
}

export interface StandaloneComponent {
  name: string;
  start(env: { kubeconfig: string; server: string }): Promise<{ stop(): Promise<void> }>;
}

export class UsageError extends Error {
  readonly code = 'STANDALONE_ERR_USAGE';
}

export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(listen);
  if (!m) throw new UsageError(`--listen must be HOST:PORT (e.g. 127.0.0.1:6443), got ${JSON.stringify(listen)}`);
  const port = Number(m[3]);
  if (port > 65535) throw new UsageError(`--listen port out of range: ${port}`);
  return { host: m[1] ?? m[2]!, port };
}

export interface RunningStandalone {
  server: ApiServer;
  url: string;
  kubeconfig: string;
  stop(): Promise<void>;
}

export async function startStandalone(o: StandaloneOptions): Promise<RunningStandalone> {
  const { host, port } = parseListen(o.listen);
  const dataDir = path.resolve(o.dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const tls = await ensureCertificate(dataDir);
  const token = await ensureToken(dataDir);
  const server = await ApiServer.open({ dataDir: path.join(dataDir, 'store'), modules: o.modules, token, tls, log: o.log });
  let addr;
  try {
    addr = await server.listen(host, port);
  } catch (e) {
    await server.close();
    throw e;
  }
  const hostPart = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `https://${hostPart}:${addr.port}`;
  const kubeconfig = path.resolve(o.kubeconfig);
  const started: Array<{ name: string; stop(): Promise<void> }> = [];
  const stop = async () => {
    for (const c of started.reverse()) await c.stop();
    await server.close();
  };
  try {
    await writeKubeconfig(kubeconfig, { server: url, caPem: tls.cert, token });
    for (const c of o.components ?? []) started.push({ name: c.name, ...(await c.start({ kubeconfig, server: url })) });
  } catch (e) {
    await stop();
    throw e;
  }
  return { server, url, kubeconfig, stop };
}
