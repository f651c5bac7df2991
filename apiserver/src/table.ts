// meta.k8s.io/v1 Table responses (what `kubectl get` asks for) and PartialObjectMetadata.
import type { Obj } from './objects.js';
import type { TableColumnDefinition } from './schema/index.js';
import { peekMeta } from './objects.js';

export const nameColumn: TableColumnDefinition = {
  name: 'Name', type: 'string', format: 'name', priority: 0,
  description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
};

export const ageColumn: TableColumnDefinition = {
  name: 'Age', type: 'date', format: '', priority: 0,
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
};

/** apimachinery util/duration.HumanDuration */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(seconds / 3600);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${Math.trunc(hours / 24 / 365)}y` : `${Math.trunc(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

const rfc3339Re = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A CR date column's cell as apiextensions renders it: the age, or "<invalid>" for junk. */
export function dateCell(value: unknown, now = Date.now()): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return null;
  if (!rfc3339Re.test(value)) return '<invalid>';
  return humanDuration(now - Date.parse(value));
}

const createdAtColumn: TableColumnDefinition = { ...ageColumn, name: 'Created At' };

/** rest.NewDefaultTableConvertor: Name and Created At (an RFC 3339 time, not an age). */
export const defaultTable = {
  columns: [nameColumn, createdAtColumn],
  cells: (o: Obj): unknown[] => [peekMeta(o).name ?? '', peekMeta(o).creationTimestamp ?? '0001-01-01T00:00:00Z'],
};

export function partialObjectMetadata(obj: Obj): Obj {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: peekMeta(obj) };
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

interface TableSource {
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
