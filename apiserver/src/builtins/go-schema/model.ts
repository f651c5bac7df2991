// A description of the k8s.io/api Go structs behind the built-in kinds: JSON names and tags,
// protobuf field numbers (generated.proto), Go struct field order, and strategic-merge-patch tags.
//
// One description drives four things a Go server gets from its types for free: the JSON it stores
// and prints (normalize), the unknown fields strict decoding reports, the patch metadata strategic
// merge patch looks up, and the protobuf wire decoding.

export type GoType =
  | { kind: 'string' }
  | { kind: 'bool' }
  | { kind: 'int32' }
  | { kind: 'int64' }
  /** []byte: base64 in JSON, length-delimited on the wire */
  | { kind: 'bytes' }
  /** metav1.Time: RFC 3339 with whole seconds; JSON null when zero */
  | { kind: 'time' }
  /** metav1.MicroTime: RFC 3339 with exactly 6 fractional digits; JSON null when zero */
  | { kind: 'microtime' }
  | GoStruct
  | { kind: 'slice'; elem: GoType }
  /** map[string]T */
  | { kind: 'map'; value: GoType }
  /** a named []string type (ExtraValue): a JSON array, a wrapper message {repeated string items = 1} on the wire */
  | { kind: 'stringList' }
  /** FieldsV1: any JSON, a wrapper message {bytes Raw = 1} on the wire */
  | { kind: 'rawJson' }
  /** intstr.IntOrString: a JSON number or string; {type = 1, intVal = 2, strVal = 3} on the wire */
  | { kind: 'intOrString' };

export interface GoStruct {
  kind: 'struct';
  /** the Go type name, as reflect and error messages print it */
  name: string;
  fields: GoField[];
}

export interface GoField {
  /** JSON name */
  json: string;
  /** protobuf field number; 0 for fields that are never on the wire (TypeMeta of a top-level object) */
  proto: number;
  type: GoType;
  omitEmpty: boolean;
  /** a Go pointer: nil is distinct from the zero value */
  pointer?: boolean;
  /** the Go field name when it is not the JSON name capitalised (protobuf errors name it) */
  goName?: string;
  /** the patchStrategy struct tag, e.g. "merge" or "merge,retainKeys" */
  patchStrategy?: string;
  patchMergeKey?: string;
}

export const STRING: GoType = { kind: 'string' };
export const BOOL: GoType = { kind: 'bool' };
export const INT32: GoType = { kind: 'int32' };
export const INT64: GoType = { kind: 'int64' };
export const BYTES: GoType = { kind: 'bytes' };
export const TIME: GoType = { kind: 'time' };
export const MICRO_TIME: GoType = { kind: 'microtime' };
export const STRING_LIST: GoType = { kind: 'stringList' };
export const RAW_JSON: GoType = { kind: 'rawJson' };
export const INT_OR_STRING: GoType = { kind: 'intOrString' };

export const sliceOf = (elem: GoType): GoType => ({ kind: 'slice', elem });
export const mapOf = (value: GoType): GoType => ({ kind: 'map', value });

export function struct(name: string, fields: GoField[]): GoStruct {
  return { kind: 'struct', name, fields };
}

/** `json:"<name>,omitempty"` */
export function opt(json: string, proto: number, type: GoType, extra: Partial<GoField> = {}): GoField {
  return { json, proto, type, omitEmpty: true, ...extra };
}

/** `json:"<name>"` (no omitempty: the zero value is always written) */
export function req(json: string, proto: number, type: GoType, extra: Partial<GoField> = {}): GoField {
  return { json, proto, type, omitEmpty: false, ...extra };
}

/** the fields every top-level object starts with (metav1.TypeMeta, inlined) */
export const TYPE_META_FIELDS: GoField[] = [opt('kind', 0, STRING), opt('apiVersion', 0, STRING)];

/** Go's reflect Kind name for a type, as strategic merge patch errors print it */
export function reflectKindName(type: GoType): string {
  switch (type.kind) {
    case 'struct': return 'struct';
    case 'slice': case 'bytes': case 'stringList': return 'slice';
    case 'map': return 'map';
    case 'time': case 'microtime': case 'rawJson': case 'intOrString': return 'struct';
    default: return type.kind;
  }
}

/** the Go struct field name generated code uses in its errors */
export function goFieldName(field: GoField): string {
  if (field.goName) return field.goName;
  if (field.json === 'metadata') return 'ObjectMeta';
  if (field.json === 'uid') return 'UID';
  if (field.json === 'apiVersion') return 'APIVersion';
  return field.json.charAt(0).toUpperCase() + field.json.slice(1);
}
