// fieldpath.Set (structured-merge-diff v4 fieldpath/set.go, serialize.go): a set of field paths
// as a trie. A path is in the set when its last element is a member of the node its prefix leads
// to; children hold longer paths. Encoded in managedFields as FieldsV1.
import {
  comparePathElements, deserializePathElement, serializePathElement, type Path, type PathElement,
} from './field-path.js';

export class FieldSet {
  readonly members = new Map<string, PathElement>();
  readonly children = new Map<string, { pe: PathElement; set: FieldSet }>();

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  insert(path: Path): void {
    if (path.length === 0) return;
    const node = path.slice(0, -1).reduce<FieldSet>((n, pe) => n.descend(pe), this);
    const last = path[path.length - 1]!;
    node.members.set(serializePathElement(last), last);
  }

  descend(pe: PathElement): FieldSet {
    const key = serializePathElement(pe);
    let c = this.children.get(key);
    if (!c) {
      c = { pe, set: new FieldSet() };
      this.children.set(key, c);
    }
    return c.set;
  }

  has(path: Path): boolean {
    if (path.length === 0) return false;
    const node = path.slice(0, -1).reduce<FieldSet | undefined>((n, pe) => n?.children.get(serializePathElement(pe))?.set, this);
    return !!node && node.members.has(serializePathElement(path[path.length - 1]!));
  }

  /** paths below pe, without pe (Set.WithPrefix) */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(serializePathElement(pe))?.set ?? new FieldSet();
  }

  empty(): boolean {
    if (this.members.size > 0) return false;
    for (const c of this.children.values()) if (!c.set.empty()) return false;
    return true;
  }

  union(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) out.members.set(k, pe);
    for (const [k, pe] of o.members) out.members.set(k, pe);
    const keys = new Set([...this.children.keys(), ...o.children.keys()]);
    for (const k of keys) {
      const a = this.children.get(k);
      const b = o.children.get(k);
      const set = a && b ? a.set.union(b.set) : (a ?? b)!.set.union(new FieldSet());
      if (!set.empty()) out.children.set(k, { pe: (a ?? b)!.pe, set });
    }
    return out;
  }

  intersection(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (o.members.has(k)) out.members.set(k, pe);
    for (const [k, a] of this.children) {
      const b = o.children.get(k);
      if (!b) continue;
      const set = a.set.intersection(b.set);
      if (!set.empty()) out.children.set(k, { pe: a.pe, set });
    }
    return out;
  }

  difference(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!o.members.has(k)) out.members.set(k, pe);
    for (const [k, a] of this.children) {
      const b = o.children.get(k);
      const set = b ? a.set.difference(b.set) : a.set.union(new FieldSet());
      if (!set.empty()) out.children.set(k, { pe: a.pe, set });
    }
    return out;
  }

  /** Set.RecursiveDifference: also drops every path below a member of o */
  recursiveDifference(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!o.members.has(k)) out.members.set(k, pe);
    for (const [k, a] of this.children) {
      if (o.members.has(k)) continue;
      const b = o.children.get(k);
      const set = b ? a.set.recursiveDifference(b.set) : a.set.union(new FieldSet());
      if (!set.empty()) out.children.set(k, { pe: a.pe, set });
    }
    return out;
  }

  equals(o: FieldSet): boolean {
    return this.difference(o).empty() && o.difference(this).empty();
  }

  /** Set.Iterate: members (sorted), then each child's paths, depth first */
  paths(prefix: Path = []): Path[] {
    const out: Path[] = [];
    for (const pe of sorted([...this.members.values()])) out.push([...prefix, pe]);
    for (const c of sortedChildren(this)) out.push(...c.set.paths([...prefix, c.pe]));
    return out;
  }

  /** SetToFields: FieldsV1 JSON, keys in PathElement order, "." marking a member that has children */
  toFieldsV1(): Record<string, unknown> {
    return emit(this, false);
  }

  static fromFieldsV1(v: unknown): FieldSet {
    return readV1(v).children ?? new FieldSet();
  }
}

function sorted(pes: PathElement[]): PathElement[] {
  return pes.sort(comparePathElements);
}

function sortedChildren(s: FieldSet): { pe: PathElement; set: FieldSet }[] {
  return [...s.children.values()].filter((c) => !c.set.empty()).sort((a, b) => comparePathElements(a.pe, b.pe));
}

/** emitContentsV1 */
function emit(s: FieldSet, includeSelf: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const children = sortedChildren(s);
  if (includeSelf && (s.members.size > 0 || children.length > 0)) out['.'] = {};
  const entries: { pe: PathElement; member: boolean; set?: FieldSet }[] = [];
  const byKey = new Map<string, { pe: PathElement; member: boolean; set?: FieldSet }>();
  for (const [k, pe] of s.members) {
    const e = { pe, member: true };
    byKey.set(k, e);
    entries.push(e);
  }
  for (const c of children) {
    const k = serializePathElement(c.pe);
    const e = byKey.get(k);
    if (e) (e as { set?: FieldSet }).set = c.set;
    else entries.push({ pe: c.pe, member: false, set: c.set });
  }
  entries.sort((a, b) => comparePathElements(a.pe, b.pe));
  for (const e of entries) out[serializePathElement(e.pe)] = e.set ? emit(e.set, e.member) : {};
  return out;
}

/** readIterV1: an object with "." or with no keys is a member; unknown element types are skipped */
function readV1(v: unknown): { children?: FieldSet; isMember: boolean } {
  let children: FieldSet | undefined;
  let isMember = false;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new TypeError('FieldsV1 must be a JSON object');
  for (const [key, sub] of Object.entries(v as Record<string, unknown>)) {
    if (key === '.') {
      isMember = true;
      continue;
    }
    const pe = deserializePathElement(key);
    if (!pe) continue;
    const r = readV1(sub);
    if (r.isMember) {
      children ??= new FieldSet();
      children.members.set(serializePathElement(pe), pe);
    }
    if (r.children) {
      children ??= new FieldSet();
      const into = children.descend(pe);
      for (const [k, m] of r.children.members) into.members.set(k, m);
      for (const [k, c] of r.children.children) into.children.set(k, c);
    }
  }
  if (!children) isMember = true;
  return { children, isMember };
}
