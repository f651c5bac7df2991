// The conditions GitOps tools read (sigs.k8s.io/cli-utils pkg/kstatus): Reconciling and Stalled
// are abnormal-true, Ready is normal-true. kstatus decides from them alone when Reconciling or
// Stalled is True (pkg/kstatus/status/generic.go checkGenericProperties), and `kubectl wait
// --for=condition=Ready|Stalled` and Flux's health checks build on that. All three are always
// written, with False when they do not apply, so a waiter never mistakes "not written yet" for
// "not the case".
//
//   phase              Ready   Reconciling  Stalled   reason
//   WaitingForClient   False   True         False     WaitingForClient
//   Running            False   True         False     Running
//   Succeeded          True    False        False     the result's reason (Completed)
//   Failed             False   False        True      the failure reason (NonZeroExitCode, PolicyDenied, ...)
//
// Interactive and Batch attaches read the same: an attach is reconciled once it has finished, and
// a person's session that ends with a non-zero exit code is Stalled like a batch command would be.
import type { Condition, Phase } from '../../../common/src/containerattach/types.js';

export type ConditionSpec = Pick<Condition, 'type' | 'status' | 'reason' | 'message'>;

export const kstatusConditionTypes = ['Ready', 'Reconciling', 'Stalled'] as const;

type Outcome =
  | { phase: Extract<Phase, 'WaitingForClient' | 'Running'>; message: string }
  | { phase: Extract<Phase, 'Succeeded' | 'Failed'>; reason: string; message: string };

export function kstatusConditions(outcome: Outcome): ConditionSpec[] {
  const { message } = outcome;
  if (!('reason' in outcome)) {
    const reason = outcome.phase;
    return [
      { type: 'Ready', status: 'False', reason, message },
      { type: 'Reconciling', status: 'True', reason, message },
      { type: 'Stalled', status: 'False', reason, message },
    ];
  }
  const { reason } = outcome;
  const succeeded = outcome.phase === 'Succeeded';
  return [
    { type: 'Ready', status: succeeded ? 'True' : 'False', reason, message },
    { type: 'Reconciling', status: 'False', reason, message },
    { type: 'Stalled', status: succeeded ? 'False' : 'True', reason, message },
  ];
}
