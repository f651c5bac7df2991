// JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7386) over plain JSON values. Failures throw
// PatchFailed; the handler answers them as kube-apiserver does (a generic 422 for JSON Patch).
import { deepClone, deepEqual, isObj } from './objects.js';

export class PatchFailed extends Error {
  readonly code = 'APISERVER_ERR_PATCH';
}

export interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw new PatchFailed(`invalid JSON pointer: ${p}`);
  return p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

function walk(doc: unknown, tokens: string[]): { parent: Container; key: string } {
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const i = arrayIndex(t, cur.length - 1);
      cur = cur[i];
    } else if (isObj(cur)) {
      if (!Object.prototype.hasOwnProperty.call(cur, t)) throw new PatchFailed(`missing value: ${t}`);
      cur = cur[t];
    } else {
      throw new PatchFailed(`cannot traverse into ${t}`);
    }
  }
  if (!Array.isArray(cur) && !isObj(cur)) throw new PatchFailed('path parent is not a container');
  return { parent: cur, key: tokens[tokens.length - 1]! };
}

function arrayIndex(t: string, max: number): number {
  if (!/^(0|[1-9]\d*)$/.test(t)) throw new PatchFailed(`invalid array index: ${t}`);
  const i = Number(t);
  if (i > max) throw new PatchFailed(`array index out of bounds: ${t}`);
  return i;
}

function getAt(doc: unknown, path: string): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return doc;
  const { parent, key } = walk(doc, tokens);
  if (Array.isArray(parent)) return parent[arrayIndex(key, parent.length - 1)];
  if (!Object.prototype.hasOwnProperty.call(parent, key)) throw new PatchFailed(`missing value: ${path}`);
  return parent[key];
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = walk(doc, tokens);
  if (Array.isArray(parent)) {
    if (key === '-') parent.push(value);
    else parent.splice(arrayIndex(key, parent.length), 0, value);
  } else {
    parent[key] = value;
  }
  return doc;
}

function remove(doc: unknown, path: string): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) throw new PatchFailed('cannot remove the whole document');
  const { parent, key } = walk(doc, tokens);
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(key, parent.length - 1), 1);
  } else {
    if (!Object.prototype.hasOwnProperty.call(parent, key)) throw new PatchFailed(`Unable to remove nonexistent key: ${key}: missing value`);
    delete parent[key];
  }
  return doc;
}

function replace(doc: unknown, path: string, value: unknown): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = walk(doc, tokens);
  if (Array.isArray(parent)) parent[arrayIndex(key, parent.length - 1)] = value;
  else {
    if (!Object.prototype.hasOwnProperty.call(parent, key)) throw new PatchFailed(`replace operation does not apply: doc is missing key: ${path}: missing value`);
    parent[key] = value;
  }
  return doc;
}

/** Applies ops to a copy of doc. */
export function applyJsonPatch(doc: unknown, ops: JsonPatchOp[]): unknown {
  let out = deepClone(doc);
  for (const op of ops) {
    switch (op.op) {
      case 'add': out = add(out, op.path, deepClone(op.value)); break;
      case 'remove': out = remove(out, op.path); break;
      case 'replace': out = replace(out, op.path, deepClone(op.value)); break;
      case 'move': {
        if (op.from === undefined) throw new PatchFailed('move operation missing from');
        const v = getAt(out, op.from);
        out = remove(out, op.from);
        out = add(out, op.path, v);
        break;
      }
      case 'copy': {
        if (op.from === undefined) throw new PatchFailed('copy operation missing from');
        out = add(out, op.path, deepClone(getAt(out, op.from)));
        break;
      }
      case 'test': {
        let v: unknown;
        try {
          v = getAt(out, op.path);
        } catch (e) {
          throw new PatchFailed(`testing value ${op.path} failed: ${(e as Error).message}`, { cause: e });
        }
        if (!deepEqual(v, op.value ?? null)) throw new PatchFailed(`testing value ${op.path} failed: test failed`);
        break;
      }
      default:
        throw new PatchFailed(`Unexpected kind: ${op.op}`);
    }
  }
  return out;
}

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return deepClone(patch);
  const out: Record<string, unknown> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}
