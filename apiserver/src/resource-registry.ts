// The served resource types: built-in kinds, the CRD kind, and the versions of CRDs whose names
// are accepted (a CRD's resources are unknown paths until then, as on a real server).
import type { Obj } from './objects.js';
import { builtinResourceType, type ResourceType } from './resource-type.js';
import { crdConditionTrue, crdResourceType, crdSpec, customResourceType } from './crd-resource-types.js';
import { peekMeta } from './objects.js';
import { builtinKinds } from './builtins/index.js';

interface GroupVersions {
  group: string;
  versions: string[];
  preferred: string;
}

export class Registry {
  #types = new Map<string, ResourceType>();
  #builtinGroups: string[] = [];
  #crdTypes = new Map<string, ResourceType[]>();
  /** CRD name -> time its Established condition turned true (ms) */
  readonly establishedAt = new Map<string, number>();
  readonly crdType: ResourceType;
  constructor() {
    for (const b of builtinKinds) this.#add(builtinResourceType(b));
    this.crdType = crdResourceType();
    this.#add(this.crdType);
    for (const t of this.#types.values()) if (!this.#builtinGroups.includes(t.group)) this.#builtinGroups.push(t.group);
  }

  #key(group: string, version: string, resource: string): string {
    return `${group}/${version}/${resource}`;
  }

  #add(t: ResourceType): void {
    this.#types.set(this.#key(t.group, t.version, t.resource), t);
  }

  lookup(group: string, version: string, resource: string): ResourceType | undefined {
    return this.#types.get(this.#key(group, version, resource));
  }

  all(): ResourceType[] {
    return [...this.#types.values()];
  }

  /** Any served version of a bucket (for controllers that work on storage). */
  byBucket(bucket: string): ResourceType | undefined {
    for (const t of this.#types.values()) if (t.bucket === bucket) return t;
    return undefined;
  }

  /** Resolves an ownerReference / involvedObject style apiVersion + kind. */
  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [g, v] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    for (const t of this.#types.values()) if (t.group === g && t.version === v && t.kind === kind) return t;
    return undefined;
  }

  /** Groups in discovery order: built-in groups first, then CRD groups by name. */
  groups(): GroupVersions[] {
    const byGroup = new Map<string, Set<string>>();
    for (const t of this.#types.values()) {
      if (!byGroup.has(t.group)) byGroup.set(t.group, new Set());
      byGroup.get(t.group)!.add(t.version);
    }
    const crdGroups = [...byGroup.keys()].filter((g) => !this.#builtinGroups.includes(g)).sort();
    return [...this.#builtinGroups, ...crdGroups].filter((g) => byGroup.has(g)).map((g) => {
      const versions = sortVersions([...byGroup.get(g)!]);
      return { group: g, versions, preferred: versions[0]! };
    });
  }

  typesOf(group: string, version: string): ResourceType[] {
    return [...this.#types.values()].filter((t) => t.group === group && t.version === version);
  }

  /** Brings the CR types of one CRD in line with its stored state (null: deleted). */
  syncCrd(name: string, crd: Obj | null): void {
    const old = this.#crdTypes.get(name) ?? [];
    for (const t of old) this.#types.delete(this.#key(t.group, t.version, t.resource));
    this.#crdTypes.delete(name);
    if (crd && (crdConditionTrue(crd, 'NamesAccepted') || crdConditionTrue(crd, 'Established'))) {
      const types: ResourceType[] = [];
      for (const v of crdSpec(crd).versions) {
        if (!v.served) continue;
        const t = customResourceType(crd, v.name);
        types.push(t);
        this.#add(t);
      }
      this.#crdTypes.set(name, types);
    }
    if (!crd) this.establishedAt.delete(name);
  }

  crdTypes(name: string): ResourceType[] {
    return this.#crdTypes.get(name) ?? [];
  }

  isCrdTerminating(crd: Obj): boolean {
    return crdConditionTrue(crd, 'Terminating') || !!peekMeta(crd).deletionTimestamp;
  }
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first, then other strings. */
function sortVersions(vs: string[]): string[] {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return { rank: 3, major: 0, minor: 0, v };
    return { rank: m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2, major: Number(m[1]), minor: Number(m[3] ?? 0), v };
  };
  return vs.map(parse).sort((a, b) => a.rank - b.rank || b.major - a.major || b.minor - a.minor || (a.v < b.v ? -1 : 1)).map((x) => x.v);
}
