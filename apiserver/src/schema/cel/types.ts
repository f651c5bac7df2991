// CEL types and their derivation from a structural schema (apiserver/pkg/cel/common/schemas.go
// SchemaDeclType), including property-name escaping (apiserver/pkg/cel/escaping.go) and the size
// bounds that cost estimation uses.
import type { JSONSchemaProps } from '../structural.js';

export type CelType =
  | { k: 'int' | 'uint' | 'double' | 'bool' | 'string' | 'bytes' | 'null' | 'dyn' | 'timestamp' | 'duration' | 'type' | 'error' }
  | { k: 'list'; elem: CelType }
  | { k: 'map'; key: CelType; val: CelType }
  | { k: 'object'; name: string; fields: Map<string, CelType> }
  | { k: 'optional'; elem: CelType }
  | { k: 'param'; name: string };

export const T = {
  int: { k: 'int' } as CelType, uint: { k: 'uint' } as CelType, double: { k: 'double' } as CelType, bool: { k: 'bool' } as CelType,
  string: { k: 'string' } as CelType, bytes: { k: 'bytes' } as CelType, null: { k: 'null' } as CelType, dyn: { k: 'dyn' } as CelType,
  timestamp: { k: 'timestamp' } as CelType, duration: { k: 'duration' } as CelType, type: { k: 'type' } as CelType, error: { k: 'error' } as CelType,
  list: (elem: CelType): CelType => ({ k: 'list', elem }),
  map: (key: CelType, val: CelType): CelType => ({ k: 'map', key, val }),
  optional: (elem: CelType): CelType => ({ k: 'optional', elem }),
  param: (name: string): CelType => ({ k: 'param', name }),
};

/** cel-go's FormatCELType */
export function typeName(t: CelType): string {
  switch (t.k) {
    case 'list': return `list(${typeName(t.elem)})`;
    case 'map': return `map(${typeName(t.key)}, ${typeName(t.val)})`;
    case 'optional': return `optional_type(${typeName(t.elem)})`;
    case 'object': return t.name;
    case 'param': return t.name;
    case 'null': return 'null';
    case 'timestamp': return 'google.protobuf.Timestamp';
    case 'duration': return 'google.protobuf.Duration';
    default: return t.k;
  }
}

const reserved = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

/** The CEL name of a schema property, or undefined when it cannot be accessed from CEL. */
function escapeProperty(name: string): string | undefined {
  if (name.length === 0 || /^[0-9]/.test(name)) return undefined;
  if (reserved.has(name)) return `__${name}__`;
  if (/[^a-zA-Z0-9_./-]/.test(name)) return undefined;
  if (!/[./-]|__/.test(name)) return name;
  return name.replace(/__|[-./]/g, (m) => ({ __: '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__' } as Record<string, string>)[m]);
}

/** The size bounds cost estimation needs: max elements (runes*4 for strings, items, properties). */
export interface SizedType {
  type: CelType;
  maxElements: number;
  minSerializedSize: number;
  schema?: JSONSchemaProps;
  fields?: Map<string, SizedType>;
  /** CEL field name -> JSON property name */
  propNames?: Map<string, string>;
  elem?: SizedType;
}

export const maxRequestSizeBytes = 3 * 1024 * 1024;

function zeroIfNegative(n: number): number {
  return n < 0 ? 0 : n;
}

/** SchemaDeclType: the CEL type of a schema node; undefined when CEL cannot see it. */
export function schemaType(s: JSONSchemaProps | undefined, isResourceRoot: boolean, path = 'object'): SizedType | undefined {
  if (!s) return undefined;
  if (s['x-kubernetes-int-or-string']) return { type: T.dyn, maxElements: maxRequestSizeBytes - 2, minSerializedSize: 1, schema: s };
  let schema = s;
  if (isResourceRoot) {
    schema = {
      ...s,
      properties: {
        ...(s.properties ?? {}),
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object', properties: { name: { type: 'string' }, generateName: { type: 'string' } } },
      },
    };
  }
  switch (schema.type) {
    case 'array': {
      const itemsSchema = schema.items && !Array.isArray(schema.items) ? schema.items : undefined;
      if (!itemsSchema) return undefined;
      const elem = schemaType(itemsSchema, itemsSchema['x-kubernetes-embedded-resource'] === true, `${path}.@idx`);
      if (!elem) return undefined;
      const max = schema.maxItems !== undefined ? zeroIfNegative(schema.maxItems) : Math.floor((maxRequestSizeBytes - 2) / (elem.minSerializedSize + 1));
      return { type: T.list(elem.type), maxElements: max, minSerializedSize: 2, schema, elem };
    }
    case 'object': {
      const ap = schema.additionalProperties;
      if (ap !== undefined && typeof ap === 'object') {
        const val = schemaType(ap, ap['x-kubernetes-embedded-resource'] === true, `${path}.@elem`);
        if (!val) return undefined;
        const max = schema.maxProperties !== undefined ? zeroIfNegative(schema.maxProperties) : Math.floor((maxRequestSizeBytes - 2) / (val.minSerializedSize + 4 + 2));
        return { type: T.map(T.string, val.type), maxElements: max, minSerializedSize: 2, schema, elem: val };
      }
      const fields = new Map<string, SizedType>();
      const propNames = new Map<string, string>();
      const typeFields = new Map<string, CelType>();
      const required = new Set(schema.required ?? []);
      let minSize = 2;
      for (const [name, prop] of Object.entries(schema.properties ?? {})) {
        const ft = schemaType(prop, prop['x-kubernetes-embedded-resource'] === true, `${path}.${name}`);
        if (!ft) continue;
        const celName = escapeProperty(name);
        if (celName !== undefined) {
          fields.set(celName, ft);
          propNames.set(celName, name);
          typeFields.set(celName, ft.type);
        }
        if (required.has(name) && prop.default === undefined) minSize += name.length + ft.minSerializedSize + 4;
      }
      return { type: { k: 'object', name: path, fields: typeFields }, maxElements: 0, minSerializedSize: minSize, schema, fields, propNames };
    }
    case 'string': {
      const maxStr = maxRequestSizeBytes - 2;
      switch (schema.format) {
        case 'byte': return { type: T.bytes, maxElements: schema.maxLength !== undefined ? zeroIfNegative(schema.maxLength) : maxStr, minSerializedSize: 2, schema };
        case 'duration': return { type: T.duration, maxElements: maxStr, minSerializedSize: 4, schema };
        case 'date': return { type: T.timestamp, maxElements: maxStr, minSerializedSize: 12, schema };
        case 'date-time': return { type: T.timestamp, maxElements: maxStr, minSerializedSize: 22, schema };
      }
      let max = maxStr;
      if (schema.maxLength !== undefined) max = zeroIfNegative(schema.maxLength) * 4;
      else if (schema.enum && schema.enum.length > 0) max = Math.max(...schema.enum.map((e) => (typeof e === 'string' ? e.length : 0)));
      return { type: T.string, maxElements: max, minSerializedSize: 2, schema };
    }
    case 'boolean': return { type: T.bool, maxElements: 0, minSerializedSize: 4, schema };
    case 'number': return { type: T.double, maxElements: 0, minSerializedSize: 1, schema };
    case 'integer': return { type: T.int, maxElements: 0, minSerializedSize: 1, schema };
  }
  return undefined;
}
