// The 409 an apply that would take another manager's fields gets (k8s.io/apimachinery
// pkg/util/managedfields/internal/conflict.go NewConflictError, api/errors NewApplyConflict).
import { ApiError, type StatusCause } from '../status.js';
import { pathString, type Path } from './field-path.js';
import { parseIdentifier } from './managed-fields.js';
import type { FieldSet } from './field-set.js';

export interface Conflict {
  /** manager identifier */
  manager: string;
  path: Path;
}

/** merge.ConflictsFromManagers; Go walks its map of managers unordered, this sorts them */
export function conflictsFromManagers(sets: Map<string, FieldSet>): Conflict[] {
  const out: Conflict[] = [];
  for (const id of [...sets.keys()].sort()) for (const path of sets.get(id)!.paths()) out.push({ manager: id, path });
  return out;
}

/** printManager: "name" [with subresource "s"] [using <apiVersion>] for Update managers */
function printManager(id: string): string {
  let info: ReturnType<typeof parseIdentifier>;
  try {
    info = parseIdentifier(id);
  } catch {
    return JSON.stringify(id);
  }
  let s = JSON.stringify(info.manager ?? '');
  if (info.subresource) s = `${s} with subresource ${JSON.stringify(info.subresource)}`;
  if (info.operation === 'Update') return `${s} using ${info.apiVersion ?? ''}`;
  return s;
}

function conflictMessage(conflicts: Conflict[]): string {
  if (conflicts.length === 1) {
    return `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0]!.manager)}: ${pathString(conflicts[0]!.path)}`;
  }
  const byManager = new Map<string, Path[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.path]);
  const lines: string[] = [];
  for (const m of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${printManager(m)}:`);
    for (const p of byManager.get(m)!) lines.push(`- ${pathString(p)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** NewConflictError: 409 Conflict, causes of type FieldManagerConflict, no name/kind in details */
export function applyConflictError(conflicts: Conflict[]): ApiError {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.manager)}`, field: pathString(c.path),
  }));
  return new ApiError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
    message: conflictMessage(conflicts), reason: 'Conflict', details: { causes }, code: 409,
  });
}
