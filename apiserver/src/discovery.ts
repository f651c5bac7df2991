// API discovery: aggregated (apidiscovery.k8s.io v2, what kubectl 1.32 asks for first) and the
// legacy documents (/api, /apis, /apis/<g>, /apis/<g>/<v>) that client-node and older clients read.
import { createHash } from 'node:crypto';
import type { Obj } from './objects.js';
import type { Registry } from './resource-registry.js';
import type { ResourceType } from './resource-type.js';
import { parseAccept } from './http/negotiate.js';

const DISCOVERY_GROUP = 'apidiscovery.k8s.io';

/** The aggregated discovery version the Accept header asks for (v2 or v2beta1), if any. */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const r of parseAccept(accept)) {
    if (r.q <= 0) continue;
    if (`${r.type}/${r.subtype}` !== 'application/json') continue;
    if (r.params.g === DISCOVERY_GROUP && r.params.as === 'APIGroupDiscoveryList' && (r.params.v === 'v2' || r.params.v === 'v2beta1')) return r.params.v;
    if (!r.params.as && !r.params.g) return undefined;
  }
  return undefined;
}

export function aggregatedContentType(v: string): string {
  return `application/json;g=${DISCOVERY_GROUP};v=${v};as=APIGroupDiscoveryList`;
}

function storageVersionHash(t: ResourceType): string {
  return createHash('sha256').update(`${t.group}/${t.version}/${t.kind}`).digest().subarray(0, 8).toString('base64');
}

function gvk(t: ResourceType) {
  return { group: t.group, version: t.version, kind: t.kind };
}

function byName(a: ResourceType, b: ResourceType): number {
  return a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0;
}

function aggregatedResource(t: ResourceType): Obj {
  const r: Obj = {
    resource: t.resource,
    responseKind: gvk(t),
    scope: t.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: t.singular,
    verbs: t.verbs,
  };
  if (t.shortNames.length) r.shortNames = t.shortNames;
  if (t.categories.length) r.categories = t.categories;
  if (t.subresources.length) r.subresources = t.subresources.map((s) => ({ subresource: s.name, responseKind: gvk(t), verbs: s.verbs }));
  return r;
}

export function aggregatedDiscovery(reg: Registry, core: boolean, version: string): Obj {
  const items = reg.groups().filter((g) => (g.group === '') === core).map((g) => ({
    metadata: core ? { creationTimestamp: null } : { name: g.group, creationTimestamp: null },
    versions: g.versions.map((v) => ({
      version: v,
      resources: reg.typesOf(g.group, v).sort(byName).map(aggregatedResource),
      freshness: 'Current',
    })),
  }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `${DISCOVERY_GROUP}/${version}`, metadata: {}, items };
}

export function legacyApiVersions(serverAddress: string): Obj {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupDoc(g: { group: string; versions: string[]; preferred: string }): Obj {
  const gv = (v: string) => ({ groupVersion: `${g.group}/${v}`, version: v });
  return { name: g.group, versions: g.versions.map(gv), preferredVersion: gv(g.preferred) };
}

export function legacyGroupList(reg: Registry): Obj {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: reg.groups().filter((g) => g.group !== '').map(groupDoc) };
}

export function legacyGroup(reg: Registry, group: string): Obj | undefined {
  const g = reg.groups().find((x) => x.group === group);
  return g && group !== '' ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(g) } : undefined;
}

/** APIResourceList: each resource, then its status subresource right after it. */
export function legacyResourceList(reg: Registry, group: string, version: string): Obj | undefined {
  const types = reg.typesOf(group, version).sort(byName);
  if (types.length === 0) return undefined;
  const resources: Obj[] = [];
  for (const t of types) {
    const r: Obj = { name: t.resource, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: t.verbs };
    if (t.shortNames.length) r.shortNames = t.shortNames;
    if (t.categories.length) r.categories = t.categories;
    if (!t.review) r.storageVersionHash = storageVersionHash(t);
    resources.push(r);
    for (const s of t.subresources) resources.push({ name: `${t.resource}/${s.name}`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: s.verbs });
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

export function etagOf(text: string): string {
  return `"${createHash('sha512').update(text).digest('hex').toUpperCase()}"`;
}
