// A tiny aggregated API server for the aggregation tests: real HTTPS on port 0 with a certificate
// for <svc>.<ns>.svc from its own CA (the APIService's caBundle), asking for a client certificate
// from the front-proxy CA. It serves the APIResourceList of /apis/G/V, records what every request
// carried (headers, the client certificate's CN and whether it chained to the CA), and accepts
// WebSocket upgrades (subprotocol v5.channel.k8s.io) that echo every message back. With
// `aggregated`, /apis also answers aggregated discovery (apidiscovery v2, listing `gadgets` where
// the APIResourceList lists `widgets`, so a test can tell which one the aggregator used). A request
// or upgrade whose path has a segment `hang` is never answered.
import { execFileSync } from 'node:child_process';
import https from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { tempDir } from './harness.js';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  clientCn: string | undefined;
  clientAuthorized: boolean;
  upgrade: boolean;
}

export interface AggregatedBackend {
  port: number;
  caPem: string;
  seen: SeenRequest[];
  stop(): Promise<void>;
}

/** a CA and a server certificate for `dnsName` signed by it */
function serverCertificate(dnsName: string): { ca: string; cert: string; key: string } {
  const dir = tempDir('aggregated-backend-pki');
  const f = (n: string) => path.join(dir, n);
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=backend-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign', '-keyout', f('ca.key'), '-out', f('ca.crt')]);
  run(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${dnsName}`, '-keyout', f('s.key'), '-out', f('s.csr')]);
  execFileSync('sh', ['-c', `printf 'subjectAltName=DNS:${dnsName}\\nextendedKeyUsage=serverAuth\\n' > ${f('s.ext')}`]);
  run(['x509', '-req', '-in', f('s.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', f('s.ext'), '-out', f('s.crt')]);
  return { ca: readFileSync(f('ca.crt'), 'utf8'), cert: readFileSync(f('s.crt'), 'utf8'), key: readFileSync(f('s.key'), 'utf8') };
}

const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

export async function startAggregatedBackend(o: { group: string; version: string; dnsName: string; requestHeaderCa: string; aggregated?: boolean }): Promise<AggregatedBackend> {
  const pki = serverCertificate(o.dnsName);
  const seen: SeenRequest[] = [];
  const record = (req: IncomingMessage, upgrade: boolean) => {
    const socket = req.socket as TLSSocket;
    const peer = socket.getPeerCertificate();
    seen.push({
      method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders,
      clientCn: peer && peer.subject ? String(peer.subject.CN) : undefined, clientAuthorized: socket.authorized, upgrade,
    });
  };
  const server = https.createServer({ cert: pki.cert, key: pki.key, ca: o.requestHeaderCa, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    record(req, false);
    req.resume();
    const path = req.url?.split('?')[0] ?? '';
    if (path.split('/').includes('hang')) return;
    if (o.aggregated && path === '/apis' && (req.headers.accept ?? '').includes(AGGREGATED_V2)) {
      const etag = '"gadgets-1"';
      if (req.headers['if-none-match'] === etag) { res.writeHead(304, { ETag: etag }); res.end(); return; }
      res.writeHead(200, { 'Content-Type': AGGREGATED_V2, ETag: etag });
      res.end(JSON.stringify({
        kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {},
        items: [{ metadata: { name: o.group }, versions: [{ version: o.version, freshness: 'Current', resources: [
          { resource: 'gadgets', responseKind: { group: o.group, version: o.version, kind: 'Gadget' }, scope: 'Namespaced', singularResource: 'gadget', verbs: ['get', 'list'] },
        ] }] }],
      }));
      return;
    }
    if (path === `/apis/${o.group}/${o.version}`) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({
        kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${o.group}/${o.version}`,
        resources: [{ name: 'widgets', singularName: 'widget', namespaced: true, kind: 'Widget', verbs: ['get', 'list'] }, { name: 'containerattaches/attach', singularName: '', namespaced: true, kind: 'ContainerAttach', verbs: ['create', 'get'] }],
      }));
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not here\n');
  });
  const upgraded = new Set<Duplex>();
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has('v5.channel.k8s.io') ? 'v5.channel.k8s.io' : false) });
  server.on('upgrade', (req, socket, head) => {
    record(req, true);
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    socket.on('error', () => socket.destroy());
    if ((req.url?.split('?')[0] ?? '').split('/').includes('hang')) return;
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data, isBinary) => ws.send(isBinary ? Buffer.concat([Buffer.from('echo:'), data as Buffer]) : `echo:${String(data)}`));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    caPem: pki.ca,
    seen,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      for (const s of upgraded) s.destroy();
    }),
  };
}
