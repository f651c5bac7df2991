// meta.k8s.io/v1 Table responses (what `kubectl get` asks for) and PartialObjectMetadata.
import type { Obj, TableColumnDefinition } from './ports.js';
import { peekMeta } from './objects.js';
import { humanDuration, OBJECT_META_CREATION_TIMESTAMP_DOC, OBJECT_META_NAME_DOC } from './builtins/printing.js';

export const nameColumn: TableColumnDefinition = { name: 'Name', type: 'string', format: 'name', priority: 0, description: OBJECT_META_NAME_DOC };
export const ageColumn: TableColumnDefinition = { name: 'Age', type: 'date', format: '', priority: 0, description: OBJECT_META_CREATION_TIMESTAMP_DOC };

const rfc3339Re = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A CR date column's cell as apiextensions renders it: the age, or "<invalid>" for junk. */
export function dateCell(value: unknown, now = Date.now()): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return null;
  if (!rfc3339Re.test(value)) return '<invalid>';
  return humanDuration(now - Date.parse(value));
}

export const createdAtColumn: TableColumnDefinition = { ...ageColumn, name: 'Created At' };

/** rest.NewDefaultTableConvertor: Name and Created At (an RFC 3339 time, not an age). */
export const defaultTable = {
  columns: [nameColumn, createdAtColumn],
  cells: (o: Obj): unknown[] => [peekMeta(o).name ?? '', peekMeta(o).creationTimestamp ?? '0001-01-01T00:00:00Z'],
};

export function partialObjectMetadata(obj: Obj): Obj {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: peekMeta(obj) };
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableSource {
  columns: TableColumnDefinition[];
  cells(obj: Obj): unknown[];
}

export function renderTable(src: TableSource, objects: Obj[], opts: {
  resourceVersion?: string; continue?: string; remainingItemCount?: number; noHeaders?: boolean; includeObject?: IncludeObject;
}): Obj {
  const rows = objects.map((o) => {
    const row: Obj = { cells: src.cells(o) };
    const inc = opts.includeObject ?? 'Metadata';
    if (inc === 'Metadata') row.object = partialObjectMetadata(o);
    else if (inc === 'Object') row.object = o;
    return row;
  });
  const metadata: Obj = {};
  if (opts.resourceVersion !== undefined) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  const t: Obj = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata };
  t.columnDefinitions = opts.noHeaders ? null : src.columns;
  t.rows = rows;
  return t;
}
