// Decoding `metadata` into metav1.ObjectMeta and back, as the CR handler does for the resource
// root and for x-kubernetes-embedded-resource fields (objectmeta.GetObjectMetaWithOptions and
// SetObjectMeta): unknown fields are dropped and reported as "metadata.foo", empty fields vanish
// (omitempty), and a value of the wrong JSON type is a decode error worded like encoding/json's.

type Obj = Record<string, unknown>;

type FieldKind = 'string' | 'int64' | 'time' | 'bool' | 'stringMap' | 'stringList' | 'raw' | { list: StructDef } ;
interface StructDef { goName: string; fields: Record<string, FieldKind> }

const ownerReference: StructDef = {
  goName: 'OwnerReference',
  fields: { apiVersion: 'string', kind: 'string', name: 'string', uid: 'string', controller: 'bool', blockOwnerDeletion: 'bool' },
};
const managedFieldsEntry: StructDef = {
  goName: 'ManagedFieldsEntry',
  fields: { manager: 'string', operation: 'string', apiVersion: 'string', time: 'time', fieldsType: 'string', fieldsV1: 'raw', subresource: 'string' },
};
const objectMeta: StructDef = {
  goName: 'ObjectMeta',
  fields: {
    name: 'string', generateName: 'string', namespace: 'string', selfLink: 'string', uid: 'string',
    resourceVersion: 'string', generation: 'int64', creationTimestamp: 'time', deletionTimestamp: 'time',
    deletionGracePeriodSeconds: 'int64', labels: 'stringMap', annotations: 'stringMap',
    ownerReferences: { list: ownerReference }, finalizers: 'stringList', managedFields: { list: managedFieldsEntry },
  },
};

export class MetadataDecodeError extends Error {
  readonly code = 'METADATA_DECODE';
  constructor(message: string) {
    super(message);
    this.name = 'MetadataDecodeError';
  }
}

function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

interface Ctx { unknown: string[]; prefix: string }

function typeError(v: unknown, struct: string, fieldStack: string[], goType: string): MetadataDecodeError {
  let what = jsonKind(v);
  if (what === 'number' && goType === 'int64') what = `number ${String(v)}`;
  return new MetadataDecodeError(`json: cannot unmarshal ${what} into Go struct field ${struct}.${fieldStack.join('.')} of type ${goType}`);
}

function decodeStruct(v: unknown, def: StructDef, ctx: Ctx, jsonPath: string, fieldStack: string[]): Obj | undefined {
  if (v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) {
    if (fieldStack.length === 0) throw new MetadataDecodeError(`json: cannot unmarshal ${jsonKind(v)} into Go value of type v1.${def.goName}`);
    throw typeError(v, def.goName, fieldStack, `v1.${def.goName}`);
  }
  const out: Obj = {};
  for (const [k, val] of Object.entries(v as Obj)) {
    const kind = def.fields[k];
    const path = jsonPath ? `${jsonPath}.${k}` : k;
    if (kind === undefined) {
      ctx.unknown.push(`${ctx.prefix}.${path}`);
      continue;
    }
    const stack = [...fieldStack, k];
    const decoded = decodeField(val, kind, def.goName, ctx, path, stack);
    if (decoded !== undefined) out[k] = decoded;
  }
  return out;
}

function decodeField(val: unknown, kind: FieldKind, struct: string, ctx: Ctx, path: string, stack: string[]): unknown {
  if (val === null) return undefined;
  if (typeof kind === 'object') {
    if (!Array.isArray(val)) throw typeError(val, struct, stack, `[]v1.${kind.list.goName}`);
    const items = val.map((item, i) => decodeStruct(item, kind.list, ctx, `${path}[${i}]`, stack) ?? {});
    return items.length > 0 ? items : undefined;
  }
  switch (kind) {
    case 'string':
      if (typeof val !== 'string') throw typeError(val, struct, stack, 'string');
      return val === '' ? undefined : val;
    case 'bool':
      if (typeof val !== 'boolean') throw typeError(val, struct, stack, 'bool');
      return val;
    case 'int64':
      if (typeof val === 'bigint') return val === 0n && stack[stack.length - 1] === 'generation' ? undefined : val;
      if (typeof val !== 'number' || !Number.isInteger(val)) throw typeError(val, struct, stack, 'int64');
      return val === 0 && stack[stack.length - 1] === 'generation' ? undefined : val;
    case 'time':
      if (typeof val !== 'string') throw typeError(val, struct, stack, 'v1.Time');
      if (!rfc3339.test(val)) {
        throw new MetadataDecodeError(`parsing time ${JSON.stringify(val)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(val)} as "2006"`);
      }
      return val.replace(/\.\d+/, '').replace(/\+00:00$/, 'Z');
    case 'stringMap': {
      if (typeof val !== 'object' || Array.isArray(val)) throw typeError(val, struct, stack, 'map[string]string');
      const out: Record<string, string> = {};
      for (const [k, s] of Object.entries(val as Obj)) {
        if (s === null) { out[k] = ''; continue; }
        if (typeof s !== 'string') throw typeError(s, struct, stack, 'string');
        out[k] = s;
      }
      return Object.keys(out).length > 0 ? out : undefined;
    }
    case 'stringList': {
      if (!Array.isArray(val)) throw typeError(val, struct, stack, '[]string');
      const out = val.map((s) => {
        if (s === null) return '';
        if (typeof s !== 'string') throw typeError(s, struct, stack, 'string');
        return s;
      });
      return out.length > 0 ? out : undefined;
    }
    case 'raw':
      return val;
  }
}

/** Decode `meta` as metav1.ObjectMeta would: returns the normalized metadata (omitempty applied;
 *  no creationTimestamp unless set) and the unknown field paths ("<prefix>.foo", prefix defaults
 *  to "metadata"). Throws MetadataDecodeError on a wrong JSON type. */
export function coerceObjectMeta(meta: unknown, prefix = 'metadata'): { meta: Record<string, unknown> | undefined; unknownFields: string[] } {
  const ctx: Ctx = { unknown: [], prefix };
  const out = decodeStruct(meta, objectMeta, ctx, '', []);
  return { meta: out, unknownFields: ctx.unknown };
}
