// Benchmark of the standalone API server's aggregation proxy (run through bench/aggregator):
// sequential GET /apis/G/V of an APIService backed by a real HTTPS server on port 0, through the
// proxy and straight to the backend (with the front-proxy certificate, as the proxy calls it),
// beside an anchor measured in the same run: a discovery document the server answers itself.
// Printed as microseconds per request and as ratios. --quick: fewer requests.
import https from 'node:https';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startStandalone } from '../operator/src/standalone/standalone.js';
import { startAggregatedBackend } from '../test/apiserver/aggregated-backend.js';
import { endpointOf, request, tempDir } from '../test/apiserver/harness.js';

const quick = process.argv.includes('--quick');
const REQUESTS = quick ? 100 : 2000;
const GROUP = 'bench.example.io';

function get(url: string, agent: https.Agent, headers: Record<string, string>, servername?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https.get(url, { agent, headers, servername }, (r) => { r.resume(); r.on('end', () => resolve(r.statusCode ?? 0)); }).on('error', reject);
  });
}

async function perRequestMicros(label: string, url: string, agent: https.Agent, headers: Record<string, string>, servername?: string): Promise<number> {
  for (let i = 0; i < 50; i++) await get(url, agent, headers, servername);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < REQUESTS; i++) {
    const code = await get(url, agent, headers, servername);
    if (code !== 200) throw new Error(`${label}: HTTP ${code}`);
  }
  const micros = Number(process.hrtime.bigint() - t0) / 1000 / REQUESTS;
  process.stdout.write(`${label.padEnd(34)} ${micros.toFixed(0).padStart(6)} us/request\n`);
  return micros;
}

const dir = tempDir('aggregator-bench');
const running = await startStandalone({ dataDir: path.join(dir, 'data'), kubeconfig: path.join(dir, 'kubeconfig'), listen: { host: '127.0.0.1', port: 0 }, log: () => undefined });
const s = endpointOf(running.kubeconfig);
const cm = (await request(s, 'GET', '/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication')).json<{ data: Record<string, string> }>();
const backend = await startAggregatedBackend({ group: GROUP, version: 'v1', dnsName: 'bench.bench.svc', requestHeaderCa: cm.data['requestheader-client-ca-file']! });
try {
  const post = (p: string, body: unknown) => request(s, 'POST', p, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  await post('/api/v1/namespaces', { metadata: { name: 'bench' } });
  await post('/api/v1/namespaces/bench/services', { metadata: { name: 'bench' }, spec: { ports: [{ port: 443 }] } });
  await post('/apis/discovery.k8s.io/v1/namespaces/bench/endpointslices', {
    metadata: { name: 'bench-1', labels: { 'kubernetes.io/service-name': 'bench' } }, addressType: 'IPv4',
    endpoints: [{ addresses: ['127.0.0.1'] }], ports: [{ port: backend.port }],
  });
  await post('/apis/apiregistration.k8s.io/v1/apiservices', {
    metadata: { name: `v1.${GROUP}` },
    spec: { group: GROUP, version: 'v1', service: { namespace: 'bench', name: 'bench' }, caBundle: Buffer.from(backend.caPem).toString('base64'), groupPriorityMinimum: 100, versionPriority: 10 },
  });
  for (let i = 0; ; i++) {
    const a = (await request(s, 'GET', `/apis/apiregistration.k8s.io/v1/apiservices/v1.${GROUP}`)).json<{ status?: { conditions?: Array<{ status: string }> } }>();
    if (a.status?.conditions?.[0]?.status === 'True') break;
    if (i > 200) throw new Error('the APIService never became Available');
    await new Promise((r) => setTimeout(r, 50));
  }
  const toServer = new https.Agent({ keepAlive: true, ca: s.ca });
  const toBackend = new https.Agent({
    keepAlive: true, ca: backend.caPem,
    cert: readFileSync(path.join(dir, 'data', 'front-proxy-client.crt')), key: readFileSync(path.join(dir, 'data', 'front-proxy-client.key')),
  });
  const auth = { Authorization: `Bearer ${s.token}` };
  const anchor = await perRequestMicros('anchor: local /apis/rbac.../v1', `${s.url}/apis/rbac.authorization.k8s.io/v1`, toServer, auth);
  const direct = await perRequestMicros('straight to the backend', `https://127.0.0.1:${backend.port}/apis/${GROUP}/v1`, toBackend, { 'X-Remote-User': 'bench' }, 'bench.bench.svc');
  const proxied = await perRequestMicros('through the aggregator', `${s.url}/apis/${GROUP}/v1`, toServer, auth);
  process.stdout.write(`ratio proxied/direct ${(proxied / direct).toFixed(2)}, proxied/anchor ${(proxied / anchor).toFixed(2)}\n`);
  toServer.destroy();
  toBackend.destroy();
} finally {
  await running.stop();
  await backend.stop();
}
