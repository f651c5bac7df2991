// The soak's invariants, judged from the ledger once the load has drained. Each returns the
// violations it found, one sentence each naming the attach.
import type { AttachLedger, AttachRecord } from './attach-ledger.js';

export interface FaultWindow {
  kind: string;
  at: number;
  recoveredAt?: number;
}

/** Reasons a fault may leave instead of the expected outcome. */
const faultReasons = new Set(['AgentRestarted', 'AgentShutdown', 'HelperFailed', 'ClientDisconnected', 'NotAdmittedHere', 'ClientConnectTimeout',
  // the agent does not start a command whose start it cannot record (the API server is down)
  'StatusWriteFailed']);
const finalPhases = new Set(['Succeeded', 'Failed']);

/** Slack between the lifetime an attach promises and the time the soak accepts to see it final. */
export const settleGraceMs = 30_000;

function touchedByFault(rec: AttachRecord, faults: FaultWindow[]): boolean {
  const end = rec.finalAt ?? rec.goneAt ?? Date.now();
  return faults.some((f) => f.at <= end && (f.recoveredAt ?? Date.now()) + 2000 >= rec.createdAt);
}

/** The whole output, or its last kilobyte at least (status keeps a bounded tail). */
function tailMatches(tail: string, output: string | undefined): boolean {
  return output === undefined || (output.endsWith(tail) && tail.length >= Math.min(output.length, 1024));
}

export function lateOrStuck(ledger: AttachLedger, faults: FaultWindow[]): string[] {
  const out: string[] = [];
  for (const rec of ledger.records.values()) {
    if (rec.createFailed && rec.seenAt === undefined) continue;
    const settledAt = rec.finalAt ?? rec.goneAt;
    // A fault pauses the clock: the recovery time of every fault in the attach's life is added.
    const pauses = faults.filter((f) => f.at >= rec.createdAt && f.at <= (settledAt ?? Date.now()))
      .reduce((sum, f) => sum + ((f.recoveredAt ?? Date.now()) - f.at), 0);
    const limit = rec.createdAt + rec.lifetimeMs + settleGraceMs + pauses;
    if ((settledAt ?? Date.now()) > limit) {
      out.push(`${rec.name} (${rec.kind}) ${settledAt === undefined ? 'never settled' : 'settled late'}: ` +
        `${Math.round(((settledAt ?? Date.now()) - rec.createdAt) / 1000)}s, allowed ${Math.round((limit - rec.createdAt) / 1000)}s, last ${JSON.stringify(rec.status?.phase)}`);
    }
  }
  return out;
}

export function wrongOutcomes(ledger: AttachLedger, faults: FaultWindow[]): string[] {
  const out: string[] = [];
  for (const rec of ledger.records.values()) {
    const s = rec.status;
    if (rec.finalAt === undefined || !s) continue; // NB: gone before a final phase was polled (ttl, delete).
    const e = rec.expect;
    const phaseOk = e.phase === 'Final' ? finalPhases.has(s.phase ?? '') : s.phase === e.phase;
    const exact = phaseOk && (e.reason === undefined || s.reason === e.reason) &&
      (e.exitCode === undefined || s.exitCode === e.exitCode) && tailMatches(s.stdoutTail ?? '', e.output);
    if (exact) continue;
    if (touchedByFault(rec, faults) && s.phase === 'Failed' && faultReasons.has(s.reason ?? '')) continue;
    out.push(`${rec.name} (${rec.kind}) ended ${s.phase}/${s.reason} (${JSON.stringify(s.message)}) exit ${s.exitCode} tail ${JSON.stringify(s.stdoutTail)}; ` +
      `expected ${e.phase}/${e.reason ?? 'any'} exit ${e.exitCode ?? 'any'}${touchedByFault(rec, faults) ? ' or a fault reason' : ''}`);
  }
  return out;
}

/** A command running when its agent was killed -9 ends AgentRestarted (SIGTERM: AgentShutdown):
 *  an outcome recorded later than the kill would have to be a guess or a second run. One that
 *  finished just before the kill keeps its true outcome. */
export function agentDeathOutcomes(ledger: AttachLedger): string[] {
  const out: string[] = [];
  for (const rec of ledger.records.values()) {
    const death = rec.runningAtAgentDeath;
    if (!death || rec.finalAt === undefined || !rec.status) continue;
    const wanted = death.signal === 'SIGKILL' ? 'AgentRestarted' : 'AgentShutdown';
    if (rec.status.reason === wanted) continue;
    // completionTime has whole seconds: a second of slack; a session hung up on SIGTERM may end by
    // its own exit within the shutdown.
    const completed = rec.status.completionTime ? Date.parse(rec.status.completionTime) : Infinity;
    const slackMs = death.signal === 'SIGKILL' ? 1000 : 15_000;
    if (completed <= death.at + slackMs) continue;
    out.push(`${rec.name} (${rec.kind}) was Running at the agent's ${death.signal} but ended ${rec.status.phase}/${rec.status.reason} ` +
      `at ${rec.status.completionTime}, ${Math.round((completed - death.at) / 1000)} s after it, not ${wanted}`);
  }
  return out;
}

/** `runs` is the runs file: one object name per start of its command. */
export function ranTwiceOrNever(ledger: AttachLedger, runs: string): string[] {
  const counts = new Map<string, number>();
  for (const line of runs.split('\n').filter(Boolean)) counts.set(line, (counts.get(line) ?? 0) + 1);
  const out: string[] = [];
  for (const [name, n] of counts) if (n > 1) out.push(`${name} ran ${n} times`);
  for (const rec of ledger.records.values()) {
    if (!rec.expect.writesRun && counts.has(rec.name)) out.push(`${rec.name} (${rec.kind}) ran but should not have`);
    if (rec.expect.writesRun && rec.status?.phase === 'Succeeded' && !counts.has(rec.name)) out.push(`${rec.name} (${rec.kind}) Succeeded without running`);
  }
  return out;
}

/** status.stdoutTail must be what the command wrote last: a suffix of its whole output when it ran
 *  to its end, and a piece of it (a suffix of what it wrote before a fault cut it) otherwise. */
export function tailsNotSuffix(ledger: AttachLedger, faults: FaultWindow[]): string[] {
  const out: string[] = [];
  for (const rec of ledger.records.values()) {
    const tail = rec.status?.stdoutTail;
    const full = rec.expect.output;
    if (rec.finalAt === undefined || full === undefined || tail === undefined || tail === '') continue;
    const ranToEnd = rec.status?.reason === 'Completed' || (rec.status?.exitCode !== undefined && rec.status.reason === 'NonZeroExitCode');
    if (ranToEnd ? full.endsWith(tail) : full.includes(tail)) continue;
    const where = touchedByFault(rec, faults) ? ' (a fault touched it)' : '';
    out.push(`${rec.name} (${rec.kind}) stdoutTail of ${tail.length} bytes is not ${ranToEnd ? 'a suffix' : 'a piece'} of its output${where}: ...${JSON.stringify(tail.slice(-60))}`);
  }
  return out;
}
