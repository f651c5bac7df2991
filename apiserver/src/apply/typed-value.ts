// The walks structured-merge-diff v4 does over a value and its schema (typed/tofieldset.go,
// compare.go, merge.go, remove.go, validate.go; fieldpath.Set.EnsureNamedFieldsAreMembers). Absent
// is `undefined`; JSON null is a present value, as in the Go code.
import { deepEqual } from '../objects.js';
import { FieldSet } from './field-set.js';
import { pathElementString, serializePathElement, type Path, type PathElement } from './field-path.js';
import { fieldType, resolve, type ResolvedNode, type TypeNode } from './type-node.js';

type ListNode = ResolvedNode & { kind: 'list' };
type MapNode = ResolvedNode & { kind: 'map' };
type Json = Record<string, unknown>;

const isMap = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A value that does not fit its schema (typed.ValidationErrors). */
class TypedValueError extends Error {
  readonly code = 'TYPED_VALUE_INVALID';
  constructor(readonly errors: string[]) {
    // ValidationErrors.Error: one error alone, else "errors:" and each indented
    super(errors.length === 1 ? errors[0]! : ['errors:', ...errors.map((e) => `  ${e}`)].join('\n'));
  }
}

/** listItemToPathElement (typed/helpers.go) */
function listItemElement(t: ListNode, item: unknown): PathElement {
  if (t.keys.length > 0) {
    if (item === null) throw new Error('associative list with keys may not have a null element');
    if (!isMap(item)) throw new Error('associative list with keys may not have non-map elements');
    const k: [string, unknown][] = [];
    for (const f of t.keys) {
      if (!(f in item)) throw new Error(`associative list with keys has an element that omits key field ${JSON.stringify(f)} (and doesn't have default value)`);
      k.push([f, item[f]]);
    }
    k.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return { k };
  }
  if (isMap(item)) throw new Error('associative list without keys has an element that\'s a map type');
  if (Array.isArray(item)) throw new Error('not supported: associative list with lists as elements');
  if (item === null) throw new Error('associative list without keys has an element that\'s an explicit null');
  return { v: item };
}

function emptyish(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) ? v.length === 0 : isMap(v) && Object.keys(v).length === 0);
}

/** ObjectToTyped's validation: undeclared fields, list keys, duplicates (allowed on live objects). */
export function validateTyped(value: unknown, t: TypeNode, allowDuplicates: boolean): void {
  const errs: string[] = [];
  const walk = (v: unknown, node: TypeNode, path: string) => {
    const r = resolve(node, v);
    if (r.kind === 'map' && isMap(v)) {
      for (const [k, x] of Object.entries(v)) {
        const ft = fieldType(r, k);
        if (!ft) errs.push(`${path}.${k}: field not declared in schema`);
        else walk(x, ft, `${path}.${k}`);
      }
    } else if (r.kind === 'list' && Array.isArray(v)) {
      const seen = new Set<string>();
      v.forEach((item, i) => {
        if (r.relation === 'associative') {
          let pe: PathElement;
          try {
            pe = listItemElement(r, item);
          } catch (e) {
            errs.push(`${path}: element ${i}: ${(e as Error).message}`);
            return;
          }
          const key = serializePathElement(pe);
          if (seen.has(key) && !allowDuplicates) errs.push(`${path}: duplicate entries for key ${pathElementString(pe)}`);
          seen.add(key);
          walk(item, r.elem, `${path}${pathElementString(pe)}`);
        } else {
          walk(item, r.elem, `${path}[${i}]`);
        }
      });
    }
  };
  walk(value, t, '');
  if (errs.length) throw new TypedValueError(errs);
}

/** TypedValue.ToFieldSet */
export function toFieldSet(value: unknown, t: TypeNode): FieldSet {
  const set = new FieldSet();
  const walk = (v: unknown, node: TypeNode, path: Path) => {
    const r = resolve(node, v);
    if (r.kind === 'scalar') {
      set.insert(path);
    } else if (r.kind === 'list') {
      if (r.relation === 'atomic') {
        set.insert(path);
        return;
      }
      if (!Array.isArray(v)) return;
      const pes = v.map((item) => listItemElement(r, item));
      const count = new Map<string, number>();
      for (const pe of pes) count.set(serializePathElement(pe), (count.get(serializePathElement(pe)) ?? 0) + 1);
      const dupDone = new Set<string>();
      v.forEach((item, i) => {
        const pe = pes[i]!;
        const key = serializePathElement(pe);
        const child = [...path, pe];
        if (count.get(key)! > 1) {
          // a duplicated item is owned as a whole (typed/tofieldset.go)
          if (!dupDone.has(key)) set.insert(child);
          dupDone.add(key);
          return;
        }
        walk(item, r.elem, child);
        set.insert(child);
      });
    } else {
      if (r.relation === 'atomic') {
        set.insert(path);
        return;
      }
      if (!isMap(v)) return;
      for (const [k, x] of Object.entries(v)) {
        const child = [...path, { f: k }];
        walk(x, fieldType(r, k) ?? { kind: 'deduced' }, child);
        if (x === null || (isMap(x) && Object.keys(x).length === 0) || !r.fields.has(k)) set.insert(child);
      }
    }
  };
  walk(value, t, []);
  return set;
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** TypedValue.Compare */
export function compare(lhs: unknown, rhs: unknown, t: TypeNode): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  const leaf = (l: unknown, r: unknown, path: Path) => {
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
    else if (!deepEqual(l, r)) c.modified.insert(path);
  };
  const walk = (l: unknown, r: unknown, node: TypeNode, path: Path) => {
    const rl = resolve(node, l === undefined ? r : l);
    const rr = resolve(node, r === undefined ? l : r);
    let inLeaf = false;
    if (rl.kind !== rr.kind || rl.kind === 'scalar') {
      leaf(l, r, path);
      inLeaf = true;
    } else if (rl.kind === 'list') {
      const lt = rl as ListNode;
      if (lt.relation === 'atomic' || (emptyish(l) && emptyish(r))) {
        leaf(l, r, path);
        inLeaf = true;
      } else {
        compareLists(Array.isArray(l) ? l : [], Array.isArray(r) ? r : [], lt, path);
      }
    } else {
      const mt = rl as MapNode;
      if (mt.relation === 'atomic' || (emptyish(l) && emptyish(r))) {
        leaf(l, r, path);
        inLeaf = true;
      } else {
        const lm = isMap(l) ? l : {};
        const rm = isMap(r) ? r : {};
        for (const k of new Set([...Object.keys(lm), ...Object.keys(rm)])) {
          walk(lm[k], rm[k], fieldType(mt, k) ?? { kind: 'deduced' }, [...path, { f: k }]);
        }
      }
    }
    if (!inLeaf) {
      if (l === undefined) c.added.insert(path);
      else if (r === undefined) c.removed.insert(path);
    }
  };
  const compareLists = (l: unknown[], r: unknown[], t: ListNode, path: Path) => {
    const order: PathElement[] = [];
    const lv = new Map<string, unknown[]>();
    const rv = new Map<string, unknown[]>();
    for (const item of l) {
      const pe = listItemElement(t, item);
      const k = serializePathElement(pe);
      if (!lv.has(k)) order.push(pe);
      lv.set(k, [...(lv.get(k) ?? []), item]);
    }
    for (const item of r) {
      const pe = listItemElement(t, item);
      const k = serializePathElement(pe);
      if (!rv.has(k) && !lv.has(k)) order.push(pe);
      rv.set(k, [...(rv.get(k) ?? []), item]);
    }
    for (const pe of order) {
      const k = serializePathElement(pe);
      const ll = lv.get(k) ?? [];
      const rl = rv.get(k) ?? [];
      const child = [...path, pe];
      if (ll.length <= 1 && rl.length <= 1) walk(ll[0], rl[0], t.elem, child);
      else if (ll.length >= 2 && rl.length >= 2) {
        if (!deepEqual(ll, rl)) c.modified.insert(child);
      } else if (ll.length >= 2) {
        if (rl.length) walk(undefined, rl[0], t.elem, child);
        c.removed.insert(child);
      } else {
        if (ll.length) walk(ll[0], undefined, t.elem, child);
        c.added.insert(child);
      }
    }
  };
  walk(lhs, rhs, t, []);
  return c;
}

/** TypedValue.Merge with ruleKeepRHS: the applied configuration wins at every leaf. */
export function merge(lhs: unknown, rhs: unknown, t: TypeNode): unknown {
  const walk = (l: unknown, r: unknown, node: TypeNode): unknown => {
    const rl = resolve(node, l === undefined ? r : l);
    const rr = resolve(node, r === undefined ? l : r);
    const keep = () => (r !== undefined ? r : l);
    if (r === undefined) return l;
    if (rl.kind !== rr.kind || rr.kind === 'scalar') return keep();
    if (rr.kind === 'list') {
      if (rr.relation === 'atomic' || (emptyish(l) && emptyish(r))) return keep();
      const out = mergeLists(Array.isArray(l) ? l : [], Array.isArray(r) ? r : [], rr);
      return out.length ? out : undefined;
    }
    if (rr.relation === 'atomic' || (emptyish(l) && emptyish(r))) return keep();
    const lm = isMap(l) ? l : {};
    const rm = isMap(r) ? r : {};
    const out: Json = {};
    for (const k of new Set([...Object.keys(lm), ...Object.keys(rm)])) {
      const v = walk(lm[k], rm[k], fieldType(rr, k) ?? { kind: 'deduced' });
      if (v !== undefined) out[k] = v;
    }
    return Object.keys(out).length ? out : undefined;
  };
  // mergingWalker.visitListItems: live order, with the applied items placed in the applied order.
  const mergeLists = (l: unknown[], r: unknown[], t: ListNode): unknown[] => {
    const rPEs = r.map((x) => listItemElement(t, x));
    const rObs = new Map<string, unknown>();
    rPEs.forEach((pe, i) => {
      const k = serializePathElement(pe);
      if (rObs.has(k)) throw new TypedValueError([`duplicate entries for key ${pathElementString(pe)}`]);
      rObs.set(k, r[i]);
    });
    const lPEs = l.map((x) => listItemElement(t, x));
    const lObs = new Map<string, unknown>();
    lPEs.forEach((pe, i) => {
      const k = serializePathElement(pe);
      lObs.set(k, lObs.has(k) ? null : l[i]);
    });
    const lk = lPEs.map(serializePathElement);
    const rk = rPEs.map(serializePathElement);
    const shared = rk.filter((k) => lObs.has(k));
    let nextShared: string | undefined = shared.shift();
    const merged = new Set<string>();
    const out: unknown[] = [];
    const push = (v: unknown) => {
      if (v !== undefined) out.push(v);
    };
    for (let li = 0, ri = 0; li < lk.length || ri < rk.length;) {
      if (li < lk.length && ri < rk.length) {
        if (lk[li] === rk[ri]) {
          merged.add(lk[li]!);
          push(walk(lObs.get(lk[li]!), rObs.get(rk[ri]!), t.elem));
          li++;
          ri++;
          nextShared = shared.shift();
          continue;
        }
        if (rObs.has(lk[li]!) && nextShared !== undefined && nextShared !== lk[li]) {
          li++;
          continue;
        }
      }
      if (li < lk.length) {
        if (!rObs.has(lk[li]!)) {
          push(walk(l[li], undefined, t.elem));
          li++;
          continue;
        } else if (merged.has(lk[li]!)) {
          li++;
        }
      }
      if (ri < rk.length) {
        merged.add(rk[ri]!);
        push(walk(lObs.get(rk[ri]!), rObs.get(rk[ri]!), t.elem));
        if (nextShared !== undefined && nextShared === rk[ri]) nextShared = shared.shift();
        ri++;
      }
    }
    return out;
  };
  return walk(lhs, rhs, t);
}

/** TypedValue.RemoveItems: drops every path of the set (and what is below it); a map or list left
 *  empty by the removal is dropped too (the Go walker leaves a null that decoding then drops). */
export function removeItems(value: unknown, set: FieldSet, t: TypeNode): unknown {
  const walk = (v: unknown, s: FieldSet, node: TypeNode): unknown => {
    const r = resolve(node, v);
    if (r.kind === 'scalar') return v;
    if (r.kind === 'list') {
      if (!Array.isArray(v) || v.length === 0 || r.relation === 'atomic') return undefined;
      const out: unknown[] = [];
      for (const item of v) {
        const pe = listItemElement(r, item);
        if (s.has([pe])) continue;
        const sub = s.withPrefix(pe);
        out.push(sub.empty() ? item : walk(item, sub, r.elem));
      }
      return out.length ? out : undefined;
    }
    if (!isMap(v) || Object.keys(v).length === 0 || r.relation === 'atomic') return undefined;
    const out: Json = {};
    for (const [k, x] of Object.entries(v)) {
      const pe = { f: k };
      if (s.has([pe])) continue;
      const sub = s.withPrefix(pe);
      const next = sub.empty() ? x : walk(x, sub, fieldType(r, k) ?? { kind: 'deduced' });
      if (next !== undefined) out[k] = next;
    }
    return Object.keys(out).length ? out : undefined;
  };
  return walk(value, set, t);
}

/** Set.EnsureNamedFieldsAreMembers: a struct field with owned children counts as owned itself. */
export function ensureNamedFieldsAreMembers(s: FieldSet, t: TypeNode, value?: unknown): FieldSet {
  const out = new FieldSet();
  const r = resolve(t, value);
  for (const [k, pe] of s.members) out.members.set(k, pe);
  for (const [k, c] of s.children) {
    if ('f' in c.pe && r.kind === 'map' && r.fields.has(c.pe.f)) out.members.set(k, c.pe);
    let childType: TypeNode = { kind: 'deduced' };
    let childValue: unknown;
    if (r.kind === 'map' && 'f' in c.pe) {
      childType = fieldType(r, c.pe.f) ?? childType;
      childValue = isMap(value) ? value[c.pe.f] : undefined;
    } else if (r.kind === 'list') {
      childType = r.elem;
    }
    out.children.set(k, { pe: c.pe, set: ensureNamedFieldsAreMembers(c.set, childType, childValue) });
  }
  return out;
}
