// The status a ContainerAttach should have, computed from what the agent knows (level-based: the
// same inputs always give the same status), and whether that differs from what is stored.
import { isDeepStrictEqual } from 'node:util';
import type {
  Condition, ContainerAttach, ContainerAttachStatus, Phase,
} from '../../../common/src/containerattach/types.js';
import type { AttachSession, SessionResult } from '../attach/session.js';
import { rfc3339 } from '../../../common/src/kube/time.js';
import { kstatusConditions, type ConditionSpec } from './kstatus-conditions.js';

export interface AgentIdentity {
  node: string;
  agentId: string;
  endpointBase: string;
  tlsFingerprint: string;
}

/** Conditions keep their lastTransitionTime while their status stays the same. */
function conditions(obj: ContainerAttach, wanted: ConditionSpec[], now: string): Condition[] {
  const old = obj.status?.conditions ?? [];
  return wanted.map((c) => {
    const prev = old.find((o) => o.type === c.type);
    const lastTransitionTime = prev && prev.status === c.status ? prev.lastTransitionTime : now;
    return { ...c, lastTransitionTime, observedGeneration: obj.metadata.generation ?? 1 };
  });
}

function base(obj: ContainerAttach, id: AgentIdentity, phase: Phase): ContainerAttachStatus {
  return { ...obj.status, phase, observedGeneration: obj.metadata.generation ?? 1, nodeName: id.node, agent: id.agentId };
}

export function waitingStatus(obj: ContainerAttach, id: AgentIdentity, endpointPath: string, now = new Date()): ContainerAttachStatus {
  return {
    ...base(obj, id, 'WaitingForClient'),
    endpoint: id.endpointBase + endpointPath,
    tlsFingerprint: id.tlsFingerprint,
    conditions: conditions(obj, [
      { type: 'Admitted', status: 'True', reason: 'Admitted', message: `admitted by the agent on node ${id.node}` },
      ...kstatusConditions({ phase: 'WaitingForClient', message: 'waiting for a client to connect' }),
    ], rfc3339(now)),
  };
}

export function runningStatus(obj: ContainerAttach, id: AgentIdentity, startedAt: Date, now = new Date()): ContainerAttachStatus {
  return {
    ...base(obj, id, 'Running'),
    startTime: obj.status?.startTime ?? rfc3339(startedAt),
    conditions: conditions(obj, [
      { type: 'Admitted', status: 'True', reason: 'Admitted', message: `admitted by the agent on node ${id.node}` },
      { type: 'Running', status: 'True', reason: 'Started', message: 'the helper is attaching or the command runs' },
      ...kstatusConditions({ phase: 'Running', message: 'the command runs' }),
    ], rfc3339(now)),
  };
}

export function finishedStatus(obj: ContainerAttach, id: AgentIdentity, result: SessionResult, ran: boolean, now = new Date()): ContainerAttachStatus {
  const time = rfc3339(now);
  const wanted: ConditionSpec[] = ran
    ? [
      { type: 'Admitted', status: 'True', reason: 'Admitted', message: `admitted by the agent on node ${id.node}` },
      { type: 'Running', status: 'False', reason: result.reason, message: result.message },
    ]
    : [{ type: 'Admitted', status: 'False', reason: result.reason, message: result.message }];
  wanted.push(result.succeeded
    ? { type: 'Complete', status: 'True', reason: result.reason, message: result.message }
    : { type: 'Failed', status: 'True', reason: result.reason, message: result.message });
  wanted.push(...kstatusConditions({ phase: result.succeeded ? 'Succeeded' : 'Failed', reason: result.reason, message: result.message }));
  const status: ContainerAttachStatus = {
    ...base(obj, id, result.succeeded ? 'Succeeded' : 'Failed'),
    completionTime: obj.status?.completionTime ?? time,
    reason: result.reason,
    message: result.message,
    conditions: conditions(obj, wanted, time),
  };
  if (result.exitCode !== undefined) status.exitCode = result.exitCode;
  if (result.signal !== undefined) status.signal = result.signal;
  if (result.stdoutTail !== undefined) {
    Object.assign(status, {
      stdoutTail: result.stdoutTail,
      stderrTail: result.stderrTail,
      stdoutTruncated: result.stdoutTruncated,
      stderrTruncated: result.stderrTruncated,
    });
  }
  return status;
}

/** The status a live session implies. */
export function sessionStatus(obj: ContainerAttach, id: AgentIdentity, session: AttachSession, endpointPath: string): ContainerAttachStatus {
  if (session.state === 'waiting') return waitingStatus(obj, id, endpointPath);
  if (session.state === 'running') return runningStatus(obj, id, new Date(session.startedAt ?? Date.now()));
  return finishedStatus(obj, id, session.result!, session.startedAt !== undefined);
}

export function statusChanged(obj: ContainerAttach, wanted: ContainerAttachStatus): boolean {
  return !isDeepStrictEqual(obj.status ?? {}, wanted);
}
