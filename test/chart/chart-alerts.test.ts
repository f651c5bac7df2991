// The chart's PrometheusRule, unit-tested with the real `promtool test rules` on series shaped like
// what the agents export (labels as the ServiceMonitor's relabeling leaves them).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { tempDir } from '../support/processes.js';
import { only, release, render } from './helm.js';
import { schemaProblems } from './kube-schema.js';

const job = `${release.name}-lxc-attach-operator-agent-metrics`;
const target = `job="${job}",namespace="${release.namespace}"`;
const extra = { team: 'infra' };

interface AlertCase {
  eval_time: string;
  alertname: string;
  exp_alerts: { exp_labels: Record<string, string>; exp_annotations: Record<string, string> }[];
}

/** Series of one test: counters rise at minute 10, so increase() over [5m, 20m] is exact at 20m. */
const series: { series: string; values: string }[] = [
  { series: `up{${target},node="n1",instance="10.0.0.1:8443"}`, values: '1 0x30' },
  { series: `up{${target},node="n2",instance="10.0.0.2:8443"}`, values: '1x30' },
  { series: `lxcattach_helper_failures_total{${target},node="n1",reason="attach-failed"}`, values: '0x10 1x20' },
  { series: `lxcattach_helper_failures_total{${target},node="n2",reason="attach-failed"}`, values: '0x30' },
  // n1: 3 of 4 batch attaches failed; n2: a person's shells exited non-zero (not a failure of the
  // product); n3: 2 of 2 failed but too few to judge; n4: nobody connected to 4 interactive ones.
  { series: `lxcattach_attaches_finished_total{${target},node="n1",mode="Batch",result="failed",reason="NonZeroExitCode"}`, values: '0x10 3x20' },
  { series: `lxcattach_attaches_finished_total{${target},node="n1",mode="Batch",result="succeeded",reason="Completed"}`, values: '0x10 1x20' },
  { series: `lxcattach_attaches_finished_total{${target},node="n2",mode="Interactive",result="failed",reason="NonZeroExitCode"}`, values: '0x10 5x20' },
  { series: `lxcattach_attaches_finished_total{${target},node="n2",mode="Interactive",result="succeeded",reason="Completed"}`, values: '0x10 1x20' },
  { series: `lxcattach_attaches_finished_total{${target},node="n3",mode="Batch",result="failed",reason="PolicyDenied"}`, values: '0x10 2x20' },
  { series: `lxcattach_attaches_finished_total{${target},node="n4",mode="Interactive",result="failed",reason="ClientConnectTimeout"}`, values: '0x10 4x20' },
  // n1 uses 52 of 64 sessions; n2 is unlimited (0); n3 uses 10 of 64.
  { series: `lxcattach_active_sessions{${target},node="n1",state="running"}`, values: '50x30' },
  { series: `lxcattach_active_sessions{${target},node="n1",state="waiting"}`, values: '2x30' },
  { series: `lxcattach_session_limit{${target},node="n1"}`, values: '64x30' },
  { series: `lxcattach_active_sessions{${target},node="n2",state="running"}`, values: '60x30' },
  { series: `lxcattach_session_limit{${target},node="n2"}`, values: '0x30' },
  { series: `lxcattach_active_sessions{${target},node="n3",state="running"}`, values: '10x30' },
  { series: `lxcattach_session_limit{${target},node="n3"}`, values: '64x30' },
  { series: `lxcattach_watch_restarts_total{${target},node="n1",informer="own"}`, values: '0x10 2x20' },
  { series: `lxcattach_watch_restarts_total{${target},node="n1",informer="unclaimed"}`, values: '0x10 1x20' },
  { series: `lxcattach_watch_restarts_total{${target},node="n2",informer="own"}`, values: '0x10 2x20' },
];

const alerts: AlertCase[] = [
  { eval_time: '4m', alertname: 'LxcAttachAgentDown', exp_alerts: [] },
  {
    eval_time: '7m', alertname: 'LxcAttachAgentDown',
    exp_alerts: [{
      exp_labels: { severity: 'critical', ...extra, job, namespace: release.namespace, node: 'n1', instance: '10.0.0.1:8443' },
      exp_annotations: {
        summary: 'The lxc-attach agent on node n1 cannot be scraped',
        description: 'Prometheus has not reached the agent on node n1 for 5m: attaches to that node\'s containers are neither admitted nor streamed.',
      },
    }],
  },
  { eval_time: '5m', alertname: 'LxcAttachHelperFailing', exp_alerts: [] },
  {
    eval_time: '20m', alertname: 'LxcAttachHelperFailing',
    exp_alerts: [{
      exp_labels: { severity: 'warning', ...extra, node: 'n1', reason: 'attach-failed' },
      exp_annotations: {
        summary: 'lxc-attach-helper fails on node n1 (attach-failed)',
        description: '1 helper runs on node n1 did not get as far as the command within 15 minutes, reason attach-failed. See the Failed ContainerAttach objects\' messages (kubectl get lxca -A --field-selector status.phase=Failed).',
      },
    }],
  },
  {
    eval_time: '20m', alertname: 'LxcAttachAttachesFailing',
    exp_alerts: ['n1', 'n4'].map((node) => ({
      exp_labels: { severity: 'warning', ...extra, node },
      exp_annotations: {
        summary: `Attaches on node ${node} are failing`,
        description: `${node === 'n1' ? '75%' : '100%'} of the attaches that finished on node ${node} within 15 minutes failed (more than 0.5).`,
      },
    })),
  },
  { eval_time: '3m', alertname: 'LxcAttachSessionsNearLimit', exp_alerts: [] },
  {
    eval_time: '6m', alertname: 'LxcAttachSessionsNearLimit',
    exp_alerts: [{
      exp_labels: { severity: 'warning', ...extra, node: 'n1' },
      exp_annotations: {
        summary: 'Node n1 is near its attach session limit',
        description: 'Node n1 has 52 sessions waiting or running, at least 0.8 of policy.maxSessions: further attaches fail with PolicyDenied.',
      },
    }],
  },
  {
    eval_time: '20m', alertname: 'LxcAttachWatchRestarting',
    exp_alerts: [{
      exp_labels: { severity: 'warning', ...extra, node: 'n1' },
      exp_annotations: {
        summary: 'The agent on node n1 keeps losing its watch on the API server',
        description: 'The agent\'s ContainerAttach watches restarted 3 times within 15 minutes on node n1; new attaches wait until a watch is back.',
      },
    }],
  },
];

function promtool(args: string[], cwd: string) {
  const r = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
  if (r.error) throw new Error('promtool is missing: run scripts/setup.sh (Debian package prometheus)', { cause: r.error });
  return r;
}

describe('Helm chart PrometheusRule (promtool test rules)', () => {
  const objects = render([], ['prometheusRule.enabled=true', 'prometheusRule.alertLabels.team=infra']);
  const rule = only(objects, 'PrometheusRule') as unknown as { spec: { groups: unknown[] } };
  const dir = tempDir('promtool');
  writeFileSync(path.join(dir, 'rules.yaml'), stringify({ groups: rule.spec.groups }));

  function writeTests(file: string, cases: AlertCase[]): void {
    writeFileSync(path.join(dir, file), stringify({
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [{ interval: '1m', input_series: series, alert_rule_test: cases }],
    }));
  }

  it('is a valid PrometheusRule whose rules promtool accepts', () => {
    assert.deepEqual(schemaProblems(rule as never), []);
    const r = promtool(['check', 'rules', 'rules.yaml'], dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /SUCCESS: 5 rules found/);
  });

  it('fires each alert for the node that is in trouble, and only then', () => {
    writeTests('tests.yaml', alerts);
    const r = promtool(['test', 'rules', 'tests.yaml'], dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /SUCCESS/);
  });

  it('would catch a wrong expectation (the test is not a no-op)', () => {
    writeTests('wrong.yaml', [{ eval_time: '20m', alertname: 'LxcAttachAttachesFailing', exp_alerts: [] }]);
    const r = promtool(['test', 'rules', 'wrong.yaml'], dir);
    assert.equal(r.status, 1);
    assert.match(r.stdout + r.stderr, /FAILED/);
  });

  it('follows serviceMonitor.enabled unless prometheusRule.enabled says otherwise', () => {
    const kinds = (sets: string[]) => render([], sets).filter((o) => o.kind === 'PrometheusRule').length;
    assert.equal(kinds([]), 0);
    assert.equal(kinds(['serviceMonitor.enabled=true']), 1);
    assert.equal(kinds(['serviceMonitor.enabled=true', 'prometheusRule.enabled=false']), 0);
    assert.equal(kinds(['prometheusRule.enabled=true']), 1);
  });
});
