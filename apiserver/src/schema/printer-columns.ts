// Table cells for a CRD's additionalPrinterColumns, as registry/customresource/tableconvertor
// computes them: the first result of each column's JSONPath; a missing value is a null cell;
// `string` columns print the value the way client-go's JSONPath printer does; `integer`,
// `number` and `boolean` cells keep their JSON type; `date` cells stay raw RFC 3339 strings here
// (the core renders them as ages, as the real server does).
import { goNumber } from './go-format.js';
import { JsonPath } from './jsonpath.js';
import { stringifyJson } from './strict-json.js';
import type { CustomResourceColumnDefinition, TableColumnDefinition } from './crd-json-types.js';

/** The swagger description of ObjectMeta.name, which the server puts on the Name column. */
export const nameColumnDescription =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

interface CompiledColumn { def: TableColumnDefinition; path: JsonPath }

export function compileColumns(cols: CustomResourceColumnDefinition[] | undefined): CompiledColumn[] {
  return (cols ?? []).map((c) => ({
    def: {
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description ? c.description : `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
      priority: c.priority ?? 0,
    },
    path: new JsonPath(`{${c.jsonPath}}`),
  }));
}

/** fmt.Fprint of a JSONPath result (text/template's printableValue for nil). */
function printValue(v: unknown): string {
  if (v === null || v === undefined) return '<no value>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  return stringifyJson(v);
}

function cellForJsonValue(type: string, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'integer':
      if (typeof v === 'bigint') return v;
      if (typeof v === 'number') return Math.trunc(v);
      return null;
    case 'number':
      if (typeof v === 'bigint') return Number(v);
      return typeof v === 'number' ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'date':
      return typeof v === 'string' ? v : null;
    default:
      return null;
  }
}

export function cellsFor(columns: CompiledColumn[], obj: Record<string, unknown>): unknown[] {
  return columns.map((c) => {
    let results: unknown[][];
    try {
      results = c.path.findResults(obj);
    } catch {
      // NB: the real convertor also turns a JSONPath evaluation error into an empty (nil) cell.
      return null;
    }
    if (results.length === 0 || results[0].length === 0) return null;
    const value = results[0][0];
    if (c.def.type === 'string') return printValue(value);
    return cellForJsonValue(c.def.type, value);
  });
}
