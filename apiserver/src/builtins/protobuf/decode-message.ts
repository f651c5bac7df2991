// Request bodies sent as application/vnd.kubernetes.protobuf (kubectl 1.32 does for create secret,
// create namespace, create token and auth can-i): the "k8s\0" magic, the runtime.Unknown envelope
// (pkg/runtime/generated.proto), then the k8s.io/api message, read with the field numbers of the
// go-schema descriptions and turned into exactly the JSON a JSON client would have sent.
import { PROTO_TYPES } from './message-types.js';
import { encodeStruct, type GoStructValue, type GoValue } from '../go-schema/go-json.js';
import { goFieldName, type GoField, type GoStruct, type GoType } from '../go-schema/model.js';
import { ProtobufDecodeError, WIRE_LEN, WIRE_VARINT, WireReader, wrongWireType } from './wire.js';

export { ProtobufDecodeError } from './wire.js';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const utf8 = new TextDecoder('utf-8');

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

function wireTypeOf(type: GoType): number {
  return type.kind === 'bool' || type.kind === 'int32' || type.kind === 'int64' ? WIRE_VARINT : WIRE_LEN;
}

/** a varint as the Go field type holds it */
function scalar(type: GoType, raw: bigint): GoValue {
  switch (type.kind) {
    case 'bool': return raw !== 0n;
    case 'int32': return Number(BigInt.asIntN(32, raw));
    default: {
      const n = BigInt.asIntN(64, raw);
      // NB: JSON numbers beyond 2^53 lose precision here as they would in any JavaScript client.
      return Number(n);
    }
  }
}

/** metav1.Time / MicroTime from a google.protobuf.Timestamp-shaped message; empty = zero time */
function decodeTimestamp(bytes: Uint8Array, micro: boolean): bigint | undefined {
  if (bytes.length === 0) return undefined;
  const r = new WireReader(bytes, 'Timestamp');
  let seconds = 0n;
  let nanos = 0;
  while (!r.done) {
    const { fieldNum, wireType } = r.tag();
    if (fieldNum === 1 || fieldNum === 2) {
      if (wireType !== WIRE_VARINT) throw wrongWireType(wireType, fieldNum === 1 ? 'Seconds' : 'Nanos');
      const v = r.varint();
      if (fieldNum === 1) seconds = BigInt.asIntN(64, v);
      else nanos = Number(BigInt.asIntN(32, v));
    } else {
      r.skip(wireType);
    }
  }
  // Time keeps whole seconds (time_proto.go ignores nanos); MicroTime truncates to microseconds.
  return seconds * 1_000_000n + (micro ? BigInt(Math.trunc(nanos / 1000)) : 0n);
}

/** one length-delimited value of `type` (a string, bytes, a message, a wrapper) */
function decodeLen(type: GoType, bytes: Uint8Array, existing: GoValue | undefined): GoValue | undefined {
  switch (type.kind) {
    case 'string': return utf8.decode(bytes);
    case 'bytes': return Buffer.from(bytes);
    case 'time': return decodeTimestamp(bytes, false);
    case 'microtime': return decodeTimestamp(bytes, true);
    case 'struct': return decodeMessage(type, bytes, (existing as GoStructValue | undefined) ?? {});
    case 'stringList': return decodeWrapper(bytes, 'ExtraValue', (r) => utf8.decode(r.bytes()), 'Items') as GoValue[];
    case 'rawJson': {
      const raw = decodeWrapper(bytes, 'FieldsV1', (r) => Buffer.from(r.bytes()), 'Raw');
      const last = raw[raw.length - 1] as Buffer | undefined;
      if (last === undefined) return undefined;
      try {
        return { raw: JSON.parse(last.toString('utf8')) as unknown };
      } catch (err) {
        throw new ProtobufDecodeError('managedFields fieldsV1 is not JSON', undefined, { cause: err });
      }
    }
    case 'intOrString': return decodeIntOrString(bytes);
    default: throw new ProtobufDecodeError(`proto: wrong wireType = ${WIRE_LEN} for field value`);
  }
}

/** intstr.IntOrString {int64 type = 1; int32 intVal = 2; string strVal = 3} */
function decodeIntOrString(bytes: Uint8Array): GoValue {
  const r = new WireReader(bytes, 'IntOrString');
  let type = 0n;
  let intVal = 0;
  let strVal = '';
  while (!r.done) {
    const { fieldNum, wireType } = r.tag();
    if (fieldNum === 1 && wireType === 0) type = r.varint();
    else if (fieldNum === 2 && wireType === 0) intVal = Number(BigInt.asIntN(32, r.varint()));
    else if (fieldNum === 3 && wireType === WIRE_LEN) strVal = utf8.decode(r.bytes());
    else r.skip(wireType);
  }
  return { raw: type === 1n ? strVal : intVal };
}

/** a message whose only field (1) is repeated or a single LEN value */
function decodeWrapper(bytes: Uint8Array, name: string, read: (r: WireReader) => GoValue, goField: string): GoValue[] {
  const r = new WireReader(bytes, name);
  const out: GoValue[] = [];
  while (!r.done) {
    const { fieldNum, wireType } = r.tag();
    if (fieldNum !== 1) {
      r.skip(wireType);
      continue;
    }
    if (wireType !== WIRE_LEN) throw wrongWireType(wireType, goField);
    out.push(read(r));
  }
  return out;
}

/** a map<string, V> entry message; like the generated code it reads key and value as length-delimited */
function decodeMapEntry(valueType: GoType, bytes: Uint8Array): [string, GoValue] {
  const r = new WireReader(bytes, 'MapEntry');
  let key = '';
  let value: GoValue | undefined;
  while (!r.done) {
    const { fieldNum, wireType } = r.tag();
    if (fieldNum === 1) key = utf8.decode(r.bytes());
    else if (fieldNum === 2) value = decodeLen(valueType, r.bytes(), undefined);
    else r.skip(wireType);
  }
  return [key, value ?? zeroValue(valueType)];
}

function zeroValue(type: GoType): GoValue {
  switch (type.kind) {
    case 'string': return '';
    case 'bytes': return Buffer.alloc(0);
    case 'struct': return {};
    default: return [];
  }
}

function decodeField(field: GoField, r: WireReader, wireType: number, out: GoStructValue): void {
  const type = field.type;
  if (type.kind === 'slice') {
    if (wireTypeOf(type.elem) !== wireType) throw wrongWireType(wireType, goFieldName(field));
    const list = (out[field.json] as GoValue[] | undefined) ?? [];
    const item = wireType === WIRE_VARINT ? scalar(type.elem, r.varint()) : decodeLen(type.elem, r.bytes(), undefined);
    list.push(item ?? zeroValue(type.elem));
    out[field.json] = list;
    return;
  }
  if (type.kind === 'map') {
    if (wireType !== WIRE_LEN) throw wrongWireType(wireType, goFieldName(field));
    const map = (out[field.json] as Map<string, GoValue> | undefined) ?? new Map<string, GoValue>();
    const [key, value] = decodeMapEntry(type.value, r.bytes());
    map.set(key, value);
    out[field.json] = map;
    return;
  }
  if (wireTypeOf(type) !== wireType) throw wrongWireType(wireType, goFieldName(field));
  const value = wireType === WIRE_VARINT ? scalar(type, r.varint()) : decodeLen(type, r.bytes(), out[field.json]);
  // a non-pointer field left at Go's zero value is as good as absent; a pointer once set stays set
  if (value === undefined || (!field.pointer && isZeroScalar(value))) delete out[field.json];
  else out[field.json] = value;
}

function isZeroScalar(value: GoValue): boolean {
  return value === '' || value === 0 || value === false;
}

/** Unmarshal one message into `into` (the generated code merges repeated appearances) */
function decodeMessage(type: GoStruct, bytes: Uint8Array, into: GoStructValue = {}): GoStructValue {
  const r = new WireReader(bytes, type.name);
  while (!r.done) {
    const { fieldNum, wireType } = r.tag();
    const field = type.fields.find((f) => f.proto === fieldNum);
    if (!field) r.skip(wireType);
    else decodeField(field, r, wireType, into);
  }
  return into;
}

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
}

/** runtime.Unknown {TypeMeta typeMeta = 1; bytes raw = 2; string contentEncoding = 3; string contentType = 4} */
function decodeEnvelope(bytes: Uint8Array): Envelope {
  const r = new WireReader(bytes, 'Unknown');
  const out: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array() };
  while (!r.done) {
    const { fieldNum, wireType } = r.tag();
    const names = ['', 'TypeMeta', 'Raw', 'ContentEncoding', 'ContentType'];
    if (fieldNum < 1 || fieldNum > 4) {
      r.skip(wireType);
      continue;
    }
    if (wireType !== WIRE_LEN) throw wrongWireType(wireType, names[fieldNum]!);
    const value = r.bytes();
    if (fieldNum === 1) {
      const meta = new WireReader(value, 'TypeMeta');
      while (!meta.done) {
        const tag = meta.tag();
        if (tag.fieldNum !== 1 && tag.fieldNum !== 2) {
          meta.skip(tag.wireType);
          continue;
        }
        if (tag.wireType !== WIRE_LEN) throw wrongWireType(tag.wireType, tag.fieldNum === 1 ? 'APIVersion' : 'Kind');
        const text = utf8.decode(meta.bytes());
        if (tag.fieldNum === 1) out.apiVersion = text;
        else out.kind = text;
      }
    } else if (fieldNum === 2) {
      out.raw = value;
    }
    // NB: contentEncoding and contentType are carried but, as in the Go serializer, not used.
  }
  return out;
}

function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  if (apiVersion === '') return { group: '', version: '' };
  if (slash < 0) return { group: '', version: apiVersion };
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

const groupVersion = (gvk: GroupVersionKind): string => (gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version);

/**
 * Decode a protobuf request body into the JSON a JSON client would have sent for the same object.
 * The envelope's kind and apiVersion win; missing ones default from `expected`, as the Go
 * serializer's copyKindDefaults does. Throws ProtobufDecodeError with the Go decoder's message.
 */
export function decodeProtobufBody(body: Buffer, expected: GroupVersionKind): Record<string, unknown> {
  if (body.length === 0) throw new ProtobufDecodeError('empty data');
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new ProtobufDecodeError('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  if (body.length === MAGIC.length) throw new ProtobufDecodeError('empty body');
  const envelope = decodeEnvelope(body.subarray(MAGIC.length));

  const actual: GroupVersionKind = { ...parseApiVersion(envelope.apiVersion), kind: envelope.kind };
  if (actual.kind === '') actual.kind = expected.kind;
  if (actual.version === '' && expected.version !== '') {
    actual.group = expected.group;
    actual.version = expected.version;
  }
  const type = PROTO_TYPES.get(`${groupVersion(actual)}/${actual.kind}`);
  if (!type) {
    throw new ProtobufDecodeError(`no kind ${JSON.stringify(actual.kind)} is registered for version ${JSON.stringify(groupVersion(actual))} in scheme "pkg/api/legacyscheme/scheme.go:30"`, actual);
  }
  let value: GoStructValue;
  try {
    value = decodeMessage(type, envelope.raw);
  } catch (err) {
    if (err instanceof ProtobufDecodeError && !err.gvk) throw new ProtobufDecodeError(err.message, actual, { cause: err });
    throw err;
  }
  value['kind'] = actual.kind;
  value['apiVersion'] = groupVersion(actual);
  return encodeStruct(type, value);
}
