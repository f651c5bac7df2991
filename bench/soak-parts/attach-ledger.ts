// What the soak expects of every ContainerAttach it made, and what it saw: the last status polled,
// when it became final, when it disappeared. The invariants are judged from this ledger.
import type { ContainerAttach, ContainerAttachStatus } from '../../common/src/containerattach/types.js';

export interface Expectation {
  /** phase and reason when no fault touched the attach; undefined reason accepts any; Final
   *  accepts any final phase (a container stopped under it decides how it ends) */
  phase: 'Succeeded' | 'Failed' | 'Deleted' | 'Final';
  reason?: string;
  exitCode?: number;
  /** everything the command writes to stdout when it runs to its end: status.stdoutTail must be
   *  a suffix of it (of a prefix of it when a fault cut the command short) */
  output?: string;
  /** the command appends the object's name to the runs file */
  writesRun: boolean;
}

export interface AttachRecord {
  name: string;
  kind: string;
  expect: Expectation;
  /** the longest the attach may take when nothing goes wrong, its deadline included */
  lifetimeMs: number;
  createdAt: number;
  /** the create was not acknowledged (API server down); the object may still exist */
  createFailed?: boolean;
  status?: ContainerAttachStatus;
  seenAt?: number;
  finalAt?: number;
  goneAt?: number;
  /** Running when the agent was killed at this time */
  runningAtAgentDeath?: { at: number; signal: 'SIGKILL' | 'SIGTERM' };
}

const finalPhases = new Set(['Succeeded', 'Failed']);

export class AttachLedger {
  readonly records = new Map<string, AttachRecord>();

  add(record: Omit<AttachRecord, 'createdAt'>): AttachRecord {
    const full = { ...record, createdAt: Date.now() };
    this.records.set(record.name, full);
    return full;
  }

  /** Folds one list of the namespace into the ledger; an object missing from it is gone. */
  observe(items: ContainerAttach[], listedAt = Date.now()): void {
    const present = new Set<string>();
    for (const obj of items) {
      const rec = this.records.get(obj.metadata.name!);
      if (!rec) continue;
      present.add(rec.name);
      rec.status = obj.status;
      rec.seenAt ??= listedAt;
      if (finalPhases.has(obj.status?.phase ?? '') && rec.finalAt === undefined) rec.finalAt = listedAt;
    }
    for (const rec of this.records.values()) {
      // NB: an object created after the list started is not missing from it.
      if (!present.has(rec.name) && rec.goneAt === undefined && rec.createdAt < listedAt - 2000 && rec.seenAt !== undefined) rec.goneAt = listedAt;
    }
  }

  isSettled(rec: AttachRecord): boolean {
    return rec.finalAt !== undefined || rec.goneAt !== undefined || (rec.createFailed === true && rec.seenAt === undefined);
  }

  unsettled(): AttachRecord[] {
    return [...this.records.values()].filter((r) => !this.isSettled(r));
  }

  running(): AttachRecord[] {
    return [...this.records.values()].filter((r) => r.status?.phase === 'Running' && !this.isSettled(r));
  }
}
