import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { chartDir, fixture, templateText } from './helm.js';

// `helm template` never renders NOTES.txt and `helm install --dry-run` needs a cluster, so the test
// renders the real NOTES.txt through helm's engine from a scratch copy of the chart, where it is
// wrapped in a define and emitted as a ConfigMap.
describe('Helm chart NOTES.txt', () => {
  let chart: string;
  before(() => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lxcat-notes-'));
    chart = path.join(tmp, 'lxc-attach-operator');
    cpSync(chartDir, chart, { recursive: true });
    const notes = path.join(chart, 'templates/NOTES.txt');
    writeFileSync(path.join(chart, 'templates/_notes-under-test.tpl'),
      `{{- define "notes-under-test" -}}\n${readFileSync(notes, 'utf8')}{{- end }}\n`);
    unlinkSync(notes);
    writeFileSync(path.join(chart, 'templates/notes-under-test.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes-under-test\ndata:\n  notes: {{ include "notes-under-test" . | toJson }}\n');
  });
  after(() => rmSync(path.dirname(chart), { recursive: true, force: true }));

  function notes(valuesFiles: string[] = [], sets: string[] = []): string {
    for (const d of parseAllDocuments(templateText(valuesFiles, sets, chart))) {
      const o = d.toJS() as { metadata?: { name?: string }; data?: { notes: string } } | null;
      if (o?.metadata?.name === 'notes-under-test') return o.data!.notes;
    }
    throw new Error('NOTES.txt was not rendered');
  }

  it('says how to label hosts, install the plugin with krew and attach', () => {
    const text = notes();
    assert.match(text, /nodeSelector \(lxcattach\.io\/lxc-host=true\)/);
    assert.match(text, /kubectl label node NODE lxcattach\.io\/lxc-host=true/);
    assert.match(text, /kubectl krew install --manifest=lxc-attach\.yaml --archive=kubectl-lxc_attach-VERSION\.tar\.gz/);
    assert.match(text, /Node\.js >= 20/);
    assert.match(text, /kubectl lxc-attach -n CONTAINER -- CMD/);
  });

  it('says that streams go through the API server, and who must reach the node IPs on the agent port', () => {
    assert.match(notes(), /Attach streams go through the API server[\s\S]*kubectl get apiservice v1alpha1\.subresources\.lxcattach\.io/);
    assert.match(notes(), /port 8443 of each node[\s\S]*--via=direct, which must reach the nodes' IPs on that port/);
    assert.match(notes([], ['agent.requireAttachApi=true']), /only \(agent\.requireAttachApi: direct streams are refused\)/);
    const direct = notes([], ['attachApi.enabled=false', 'agent.port=9443']);
    assert.match(direct, /listen on port 9443 of each node[\s\S]*must\s+reach the nodes' IPs on that port/);
  });

  it('says who may attach and how to bind the user Role', () => {
    const text = notes();
    assert.match(text, /whoever may create a ContainerAttach in a namespace may attach/);
    assert.match(text, /kubectl -n lxc-attach create rolebinding alice-attach --role=lxcat-lxc-attach-operator-attach --user=alice/);
    const bound = notes([fixture('values-custom.yaml')]);
    assert.match(bound, /is in:\s+team-a, team-b/);
    assert.match(bound, /It is bound to: User alice, Group lxc-operators\./);
    assert.match(bound, /elevated privileges: CGROUP;/);
  });

  it('says what the default policy lets a namespace reach, and how to open it', () => {
    const text = notes();
    assert.match(text, /containers none;\s+uids 1-4294967294 \(no -u counts as 0, root\)/);
    assert.match(text, /namespaceOverrides\): none\.\s+No other namespace may attach to any container/);
    const custom = notes([fixture('values-custom.yaml')]);
    assert.match(custom, /containers shared-\*;/);
    assert.match(custom, /namespaceOverrides\): ci, ops\./);
    assert.doesNotMatch(custom, /No other namespace may attach/);
  });
});
