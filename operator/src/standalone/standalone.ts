// `lxc-attach-agent standalone`: the API server on one host, with its certificate, token and a
// kubeconfig, plus the in-process components that run against it once it is ready (the CRD and the
// node agent: standalone-agent.ts).
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiServer } from '../../../apiserver/src/server.js';
import { ensureSelfSignedCertificate } from '../../../common/src/tls/self-signed-certificate.js';
import { ensureToken } from './token.js';
import { writeKubeconfig } from './write-kubeconfig.js';

interface StandaloneOptions {
  dataDir: string;
  kubeconfig: string;
  /** port 0 picks a free port (on restart the previous one again, if it is free) */
  listen: { host: string; port: number };
  /** append one JSON line per resource request to this file */
  auditLog?: string;
  /** kube-apiserver's --token-auth-file (token,user,uid,"group1,group2"): users besides the admin */
  tokenAuthFile?: string;
  /** kube-apiserver's --request-timeout: requests that are not long-running are cut after it */
  requestTimeoutMs?: number;
  /** started in order once the server answers, stopped in reverse order */
  components?: StandaloneComponent[];
  log?: (message: string) => void;
}

export interface StandaloneComponent {
  start(env: { kubeconfig: string }): Promise<{ stop(): Promise<void> }>;
}

export interface RunningStandalone {
  server: ApiServer;
  url: string;
  kubeconfig: string;
  stop(): Promise<void>;
}

export async function startStandalone(o: StandaloneOptions): Promise<RunningStandalone> {
  const { host, port } = o.listen;
  const dataDir = path.resolve(o.dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const tls = ensureSelfSignedCertificate(dataDir, 'apiserver', 'lxc-attach-standalone', ['IP:127.0.0.1', 'IP:::1', 'DNS:localhost']);
  const token = await ensureToken(dataDir);
  const audit = o.auditLog ? createWriteStream(o.auditLog, { flags: 'a' }) : undefined;
  const server = await ApiServer.open({
    dataDir: path.join(dataDir, 'store'), pkiDir: dataDir, token, tls, log: o.log, tokenAuthFile: o.tokenAuthFile && path.resolve(o.tokenAuthFile),
    requestTimeoutMs: o.requestTimeoutMs,
    audit: audit && ((entry) => audit.write(`${JSON.stringify(entry)}\n`)),
  });
  let addr;
  try {
    addr = await listenKeepingPort(server, dataDir, host, port);
  } catch (e) {
    await server.close();
    throw e;
  }
  const hostPart = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `https://${hostPart}:${addr.port}`;
  const kubeconfig = path.resolve(o.kubeconfig);
  const started: Array<{ stop(): Promise<void> }> = [];
  const stop = async () => {
    for (const c of started.reverse()) await c.stop();
    await server.close();
    await new Promise<void>((resolve) => (audit ? audit.end(resolve) : resolve()));
  };
  try {
    await writeKubeconfig(kubeconfig, { server: url, caPem: tls.cert, token });
    for (const c of o.components ?? []) started.push(await c.start({ kubeconfig }));
  } catch (e) {
    await stop();
    throw e;
  }
  return { server, url, kubeconfig, stop };
}

/**
 * Port 0 picks a free port the first time; later starts on the same data directory try that port
 * again first, so clients holding the old kubeconfig (informers, agents) reconnect after a restart.
 */
async function listenKeepingPort(server: ApiServer, dataDir: string, host: string, port: number) {
  const portFile = path.join(dataDir, 'port');
  if (port === 0) {
    const previous = Number((await readFile(portFile, 'utf8').catch(() => '')).trim());
    if (previous > 0) {
      try {
        return await server.listen(host, previous);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      }
    }
  }
  const addr = await server.listen(host, port);
  await writeFile(portFile, `${addr.port}\n`);
  return addr;
}
