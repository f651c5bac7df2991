import assert from 'node:assert/strict';
import { apiVersion, kind, type ContainerAttach, type ContainerAttachStatus } from '../../common/src/containerattach/types.js';
import { finishedStatus, runningStatus, waitingStatus } from '../../operator/src/reconciler/attach-status.js';

const id = { node: 'n1', agentId: 'n1/abc', endpointBase: 'wss://127.0.0.1:8443', tlsFingerprint: 'ff' };
const obj: ContainerAttach = { apiVersion, kind, metadata: { name: 'a', namespace: 'default', uid: 'u', generation: 1 }, spec: { container: 'c' } };
const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-01T00:01:00Z');

function summary(status: ContainerAttachStatus): Record<string, string> {
  return Object.fromEntries((status.conditions ?? []).map((c) => [c.type, `${c.status}/${c.reason}`]));
}

describe('attach status: kstatus conditions beside the phase conditions', () => {
  const cases = [
    {
      name: 'WaitingForClient is Reconciling',
      status: waitingStatus(obj, id, '/p', t0),
      want: { Admitted: 'True/Admitted', Ready: 'False/WaitingForClient', Reconciling: 'True/WaitingForClient', Stalled: 'False/WaitingForClient' },
    },
    {
      name: 'Running is Reconciling',
      status: runningStatus(obj, id, t0, t0),
      want: { Admitted: 'True/Admitted', Running: 'True/Started', Ready: 'False/Running', Reconciling: 'True/Running', Stalled: 'False/Running' },
    },
    {
      name: 'Succeeded is Ready',
      status: finishedStatus(obj, id, { succeeded: true, reason: 'Completed', message: 'ok', exitCode: 0 }, true, t0),
      want: { Admitted: 'True/Admitted', Running: 'False/Completed', Complete: 'True/Completed', Ready: 'True/Completed', Reconciling: 'False/Completed', Stalled: 'False/Completed' },
    },
    {
      name: 'Failed after running is Stalled with the reason',
      status: finishedStatus(obj, id, { succeeded: false, reason: 'NonZeroExitCode', message: 'exit 3', exitCode: 3 }, true, t0),
      want: { Admitted: 'True/Admitted', Running: 'False/NonZeroExitCode', Failed: 'True/NonZeroExitCode', Ready: 'False/NonZeroExitCode', Reconciling: 'False/NonZeroExitCode', Stalled: 'True/NonZeroExitCode' },
    },
    {
      name: 'Failed before running (refused) is Stalled with the reason',
      status: finishedStatus(obj, id, { succeeded: false, reason: 'PolicyDenied', message: 'no' }, false, t0),
      want: { Admitted: 'False/PolicyDenied', Failed: 'True/PolicyDenied', Ready: 'False/PolicyDenied', Reconciling: 'False/PolicyDenied', Stalled: 'True/PolicyDenied' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(summary(c.status), c.want);
      assert.equal(c.status.observedGeneration, 1);
      for (const cond of c.status.conditions!) assert.equal(cond.observedGeneration, 1);
    });
  }

  it('keeps lastTransitionTime while a condition keeps its status, and moves it when it flips', () => {
    const running = { ...obj, status: runningStatus(obj, id, t0, t0) };
    const done = finishedStatus(running, id, { succeeded: true, reason: 'Completed', message: 'ok' }, true, t1);
    const at = (type: string) => done.conditions!.find((c) => c.type === type)!.lastTransitionTime;
    assert.equal(at('Ready'), '2026-01-01T00:01:00Z');
    assert.equal(at('Reconciling'), '2026-01-01T00:01:00Z');
    assert.equal(at('Stalled'), '2026-01-01T00:00:00Z');
    assert.equal(at('Admitted'), '2026-01-01T00:00:00Z');
  });

  it('reports the generation it acted on', () => {
    const later = { ...obj, metadata: { ...obj.metadata, generation: 3 } };
    assert.equal(runningStatus(later, id, t0, t0).observedGeneration, 3);
  });
});
