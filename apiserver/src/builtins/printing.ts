// What the built-in kinds' tables (pkg/printers/internalversion/printers.go) share; the age
// renderer and the Name/Age column texts are the core's (table.ts).
import { ageColumn as coreAgeColumn, humanDuration, nameColumn as coreNameColumn } from '../table.js';
import type { TableColumnDefinition } from './types.js';

/** a column definition with its keys in metav1.TableColumnDefinition's field order */
export function column(name: string, description: string, extra: { format?: string; priority?: number; type?: string } = {}): TableColumnDefinition {
  return { name, type: extra.type ?? 'string', format: extra.format ?? '', description, priority: extra.priority ?? 0 };
}

export const nameColumn = (): TableColumnDefinition => column('Name', coreNameColumn.description, { format: 'name' });
/** printers.go's Age column is a string (an age the server renders), unlike a CRD's "date" Age */
export const ageColumn = (): TableColumnDefinition => column('Age', coreAgeColumn.description);

/** translateTimestampSince / translateMicroTimestampSince: "<unknown>" for a zero (absent) time */
export function timestampSince(timestamp: unknown, now: number): string {
  if (typeof timestamp !== 'string' || timestamp === '') return '<unknown>';
  const at = Date.parse(timestamp);
  if (Number.isNaN(at)) return '<unknown>';
  return humanDuration(now - at);
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function metadataOf(obj: Record<string, unknown>): Record<string, unknown> {
  return record(obj['metadata']);
}
