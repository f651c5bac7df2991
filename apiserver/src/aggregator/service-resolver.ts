// Aggregator routing (--enable-aggregator-routing): an APIService's Service port resolved to one
// ready endpoint of its EndpointSlices, picked at random
// (staging/src/k8s.io/apiserver/pkg/util/proxy/proxy.go ResolveEndpoint, read from EndpointSlices
// here as the 1.32 proxy reads Endpoints).
import { randomInt } from 'node:crypto';
import type { Obj } from '../objects.js';
import { objectKey, peekMeta } from '../objects.js';
import type { DurableStore } from '../store/durable-store.js';
import { SERVICE_NAME_LABEL } from '../builtins/index.js';

export const APISERVICES_BUCKET = 'apiregistration.k8s.io/apiservices';
const SERVICES_BUCKET = 'core/services';
const SLICES_BUCKET = 'discovery.k8s.io/endpointslices';

export interface ServiceRef { namespace: string; name: string; port: number }

/** why no endpoint could be picked; reason is the Available condition's */
export class ResolveError extends Error {
  readonly code = 'APISERVER_ERR_RESOLVE';
  constructor(readonly reason: 'ServiceNotFound' | 'ServicePortError' | 'EndpointsNotFound' | 'MissingEndpoints', message: string) {
    super(message);
  }
}

type Rec = Record<string, unknown>;
const list = (v: unknown): Rec[] => (Array.isArray(v) ? (v as Rec[]) : []);

export function serviceRefOf(apiService: Obj): ServiceRef | undefined {
  const s = (apiService['spec'] as Rec | undefined)?.['service'] as Rec | undefined;
  if (!s) return undefined;
  return { namespace: String(s['namespace'] ?? ''), name: String(s['name'] ?? ''), port: Number(s['port'] ?? 443) };
}

/** the ready endpoint addresses of a Service port, as host:port pairs */
export function readyEndpoints(store: DurableStore, ref: ServiceRef): Array<{ host: string; port: number }> {
  const svcText = `service/${ref.name} in ${JSON.stringify(ref.namespace)}`;
  const svc = store.get(SERVICES_BUCKET, objectKey(ref.namespace, ref.name));
  if (!svc) throw new ResolveError('ServiceNotFound', `${svcText} is not present`);
  const svcPort = list((svc['spec'] as Rec | undefined)?.['ports']).find((p) => p['port'] === ref.port);
  if (!svcPort) throw new ResolveError('ServicePortError', `${svcText} is not listening on port ${ref.port}`);
  const portName = String(svcPort['name'] ?? '');
  const slices = [...store.list(SLICES_BUCKET)].filter((s) => peekMeta(s).namespace === ref.namespace && peekMeta(s).labels?.[SERVICE_NAME_LABEL] === ref.name);
  if (slices.length === 0) throw new ResolveError('EndpointsNotFound', `cannot find endpoints for ${svcText}`);
  const out: Array<{ host: string; port: number }> = [];
  for (const slice of slices) {
    const port = list(slice['ports']).find((p) => String(p['name'] ?? '') === portName);
    if (!port || typeof port['port'] !== 'number') continue;
    for (const e of list(slice['endpoints'])) {
      const ready = (e['conditions'] as Rec | undefined)?.['ready'];
      if (ready === false) continue;
      for (const a of Array.isArray(e['addresses']) ? e['addresses'] : []) out.push({ host: String(a), port: port['port'] });
    }
  }
  if (out.length === 0) throw new ResolveError('MissingEndpoints', `endpoints for ${svcText} have no addresses with port name ${JSON.stringify(portName)}`);
  return out;
}

export function resolveEndpoint(store: DurableStore, ref: ServiceRef): { host: string; port: number } {
  const all = readyEndpoints(store, ref);
  return all[randomInt(all.length)]!;
}

/** host:port as a URL authority (IPv6 in brackets) */
export function authority(e: { host: string; port: number }): string {
  return e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}
