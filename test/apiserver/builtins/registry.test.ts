// The kind registry: discovery data, Table columns and cells, field selector labels, as a 1.32
// kube-apiserver lists and renders them (pkg/registry/..., pkg/printers/internalversion).
import assert from 'node:assert/strict';
import { builtinKinds, findBuiltinKind } from '../../../apiserver/src/builtins/index.js';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const ago = (seconds: number): string => new Date(NOW - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const STORE = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

describe('builtins: discovery data', () => {
  const expected: Array<[string, string, string, boolean, string[], string[], string[]]> = [
    // group, kind, plural, namespaced, shortNames, verbs, subresources
    ['', 'Namespace', 'namespaces', false, ['ns'], ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], ['finalize', 'status']],
    ['', 'Secret', 'secrets', true, [], STORE, []],
    ['', 'Event', 'events', true, ['ev'], STORE, []],
    ['events.k8s.io', 'Event', 'events', true, ['ev'], STORE, []],
    ['coordination.k8s.io', 'Lease', 'leases', true, [], STORE, []],
    ['authorization.k8s.io', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', false, [], ['create'], []],
    ['authorization.k8s.io', 'SubjectAccessReview', 'subjectaccessreviews', false, [], ['create'], []],
    ['authentication.k8s.io', 'TokenReview', 'tokenreviews', false, [], ['create'], []],
    ['authentication.k8s.io', 'SelfSubjectReview', 'selfsubjectreviews', false, [], ['create'], []],
    ['authorization.k8s.io', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews', false, [], ['create'], []],
    ['rbac.authorization.k8s.io', 'Role', 'roles', true, [], STORE, []],
    ['rbac.authorization.k8s.io', 'ClusterRole', 'clusterroles', false, [], STORE, []],
    ['rbac.authorization.k8s.io', 'RoleBinding', 'rolebindings', true, [], STORE, []],
    ['rbac.authorization.k8s.io', 'ClusterRoleBinding', 'clusterrolebindings', false, [], STORE, []],
    ['', 'ConfigMap', 'configmaps', true, ['cm'], STORE, []],
    ['discovery.k8s.io', 'EndpointSlice', 'endpointslices', true, [], STORE, []],
  ];
  for (const [group, kind, plural, namespaced, shortNames, verbs, subresources] of expected) {
    it(`${plural}.${group || 'core'}: ${verbs.join(',')}`, () => {
      const k = findBuiltinKind(group, 'v1', plural);
      assert.ok(k, `${plural} is served`);
      assert.equal(k.kind, kind);
      assert.equal(k.singular, kind.toLowerCase());
      assert.equal(k.namespaced, namespaced);
      assert.deepEqual(k.shortNames, shortNames);
      assert.deepEqual(k.categories, []);
      assert.deepEqual(k.verbs, verbs);
      assert.deepEqual(k.subresources.map((s) => s.name), subresources);
    });
  }

  it('serves exactly these kinds (and Service, APIService, the admission policies below)', () => {
    assert.equal(builtinKinds.length, expected.length + 4);
    for (const plural of ['validatingadmissionpolicies', 'validatingadmissionpolicybindings']) {
      const k = findBuiltinKind('admissionregistration.k8s.io', 'v1', plural)!;
      assert.deepEqual([k.namespaced, k.categories, k.verbs, k.subresources.map((x) => x.name)],
        [false, ['api-extensions'], STORE, plural === 'validatingadmissionpolicies' ? ['status'] : []]);
    }
    const service = findBuiltinKind('', 'v1', 'services')!;
    assert.deepEqual([service.shortNames, service.categories, service.verbs, service.subresources.map((x) => x.name)],
      [['svc'], ['all'], ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], ['status']]);
    const apiService = findBuiltinKind('apiregistration.k8s.io', 'v1', 'apiservices')!;
    assert.deepEqual([apiService.namespaced, apiService.categories, apiService.verbs, apiService.subresources.map((x) => x.name)],
      [false, ['api-extensions'], STORE, ['status']]);
  });

  it('lists the namespace subresources with their own verbs', () => {
    const ns = findBuiltinKind('', 'v1', 'namespaces')!;
    assert.deepEqual(ns.subresources.map((s) => [s.name, s.kind, s.verbs]), [
      ['finalize', 'Namespace', ['update']],
      ['status', 'Namespace', ['get', 'patch', 'update']],
    ]);
  });

  it('knows which kinds PUT may create and which need a resourceVersion', () => {
    const flags = builtinKinds.map((k) => `${k.plural}.${k.group}:${k.createOnUpdate}/${k.allowUnconditionalUpdate}`);
    assert.deepEqual(flags, [
      'configmaps.:false/true', 'events.:true/true', 'namespaces.:false/true', 'secrets.:false/true', 'services.:false/true',
      'apiservices.apiregistration.k8s.io:false/false', 'events.events.k8s.io:true/true',
      'selfsubjectreviews.authentication.k8s.io:false/false', 'tokenreviews.authentication.k8s.io:false/false',
      'selfsubjectaccessreviews.authorization.k8s.io:false/false', 'selfsubjectrulesreviews.authorization.k8s.io:false/false',
      'subjectaccessreviews.authorization.k8s.io:false/false',
      'clusterrolebindings.rbac.authorization.k8s.io:true/true', 'clusterroles.rbac.authorization.k8s.io:true/true',
      'rolebindings.rbac.authorization.k8s.io:true/true', 'roles.rbac.authorization.k8s.io:true/true',
      'validatingadmissionpolicies.admissionregistration.k8s.io:false/false', 'validatingadmissionpolicybindings.admissionregistration.k8s.io:false/false',
      'leases.coordination.k8s.io:true/false', 'endpointslices.discovery.k8s.io:false/true',
    ]);
  });
});

describe('builtins: Table columns and cells', () => {
  const cases: Array<{ kind: [string, string]; columns: string[]; wide: string[]; obj: Record<string, unknown>; cells: unknown[] }> = [
    {
      kind: ['', 'namespaces'], columns: ['Name', 'Status', 'Age'], wide: [],
      obj: { metadata: { name: 'web', creationTimestamp: ago(90) }, status: { phase: 'Active' } },
      cells: ['web', 'Active', '90s'],
    },
    {
      kind: ['', 'secrets'], columns: ['Name', 'Type', 'Data', 'Age'], wide: [],
      obj: { metadata: { name: 's1', creationTimestamp: ago(3 * 3600 + 125) }, type: 'Opaque', data: { a: 'YQ==', b: 'Yg==' } },
      cells: ['s1', 'Opaque', 2, '3h2m'],
    },
    {
      kind: ['coordination.k8s.io', 'leases'], columns: ['Name', 'Holder', 'Age'], wide: [],
      obj: { metadata: { name: 'l', creationTimestamp: ago(9 * 24 * 3600) }, spec: { holderIdentity: 'node-1' } },
      cells: ['l', 'node-1', '9d'],
    },
    {
      kind: ['', 'events'],
      columns: ['Last Seen', 'Type', 'Reason', 'Object', 'Message'],
      wide: ['Subobject', 'Source', 'First Seen', 'Count', 'Name'],
      obj: {
        metadata: { name: 'web.1' }, involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{c}' },
        reason: 'Started', message: ' started \n', source: { component: 'kubelet', host: 'n1' },
        firstTimestamp: ago(600), lastTimestamp: ago(30), count: 3, type: 'Normal',
      },
      cells: ['30s', 'Normal', 'Started', 'pod/web', 'spec.containers{c}', 'kubelet, n1', 'started', '10m', 3, 'web.1'],
    },
    {
      kind: ['events.k8s.io', 'events'],
      columns: ['Last Seen', 'Type', 'Reason', 'Object', 'Message'],
      wide: ['Subobject', 'Source', 'First Seen', 'Count', 'Name'],
      obj: {
        metadata: { name: 'e2' }, eventTime: `${ago(125).slice(0, -1)}.000000Z`, regarding: { kind: 'Node' },
        reason: 'R', note: 'n', reportingController: 'ctl', reportingInstance: 'i1', type: 'Warning',
      },
      cells: ['2m5s', 'Warning', 'R', 'node', '', 'ctl, i1', 'n', '2m5s', 1, 'e2'],
    },
    {
      kind: ['authorization.k8s.io', 'selfsubjectaccessreviews'], columns: ['Name', 'Created At'], wide: [],
      obj: { metadata: {} }, cells: ['', '0001-01-01T00:00:00Z'],
    },
  ];
  for (const c of cases) {
    it(`${c.kind[1]}.${c.kind[0] || 'core'}: ${c.columns.join(', ')}`, () => {
      const k = findBuiltinKind(c.kind[0], 'v1', c.kind[1])!;
      assert.deepEqual(k.tableColumns.filter((col) => col.priority === 0).map((col) => col.name), c.columns);
      assert.deepEqual(k.tableColumns.filter((col) => col.priority > 0).map((col) => col.name), c.wide);
      for (const col of k.tableColumns) {
        assert.deepEqual(Object.keys(col).sort(), ['description', 'format', 'name', 'priority', 'type']);
        assert.ok(col.description.length > 0, `${col.name} has a description`);
      }
      assert.deepEqual(k.tableCells(c.obj, NOW), c.cells);
    });
  }

  it('renders ages like apimachinery HumanDuration and <unknown> without a timestamp', () => {
    const ns = findBuiltinKind('', 'v1', 'namespaces')!;
    const age = (seconds: number | undefined) => ns.tableCells({ metadata: { name: 'x', ...(seconds === undefined ? {} : { creationTimestamp: ago(seconds) }) } }, NOW)[2];
    const table: Array<[number | undefined, string]> = [
      [undefined, '<unknown>'], [-5, '<invalid>'], [0, '0s'], [119, '119s'], [120, '2m'], [545, '9m5s'], [600, '10m'],
      [3 * 3600 - 1, '179m'], [3 * 3600, '3h'], [8 * 3600, '8h'], [47 * 3600, '47h'], [2 * 86400, '2d'],
      [2 * 86400 + 3600, '2d1h'], [8 * 86400, '8d'], [2 * 365 * 86400, '2y'], [3 * 365 * 86400 + 86400, '3y1d'],
      [9 * 365 * 86400, '9y'],
    ];
    for (const [seconds, text] of table) assert.equal(age(seconds), text, `${seconds}s`);
  });

  it('shows an event series by its last observation and count', () => {
    const k = findBuiltinKind('', 'v1', 'events')!;
    const cells = k.tableCells({
      metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'p' }, eventTime: `${ago(3600).slice(0, -1)}.000000Z`,
      series: { count: 7, lastObservedTime: `${ago(5).slice(0, -1)}.000000Z` }, reportingComponent: 'c',
    }, NOW);
    assert.deepEqual([cells[0], cells[7], cells[8], cells[5]], ['5s', '60m', 7, 'c']);
  });
});

describe('builtins: field selector labels', () => {
  const cases: Array<[string, string, string[]]> = [
    ['', 'namespaces', ['status.phase']],
    ['', 'secrets', ['type']],
    ['coordination.k8s.io', 'leases', []],
    ['', 'events', [
      'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid',
      'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath',
      'reason', 'reportingComponent', 'source', 'type',
    ]],
    ['events.k8s.io', 'events', [
      'regarding.kind', 'regarding.namespace', 'regarding.name', 'regarding.uid', 'regarding.apiVersion',
      'regarding.resourceVersion', 'regarding.fieldPath', 'reason', 'reportingController', 'source', 'type',
    ]],
  ];
  for (const [group, plural, labels] of cases) {
    it(`${plural}.${group || 'core'} accepts ${labels.join(', ') || 'only metadata.*'}`, () => {
      assert.deepEqual(Object.keys(findBuiltinKind(group, 'v1', plural)!.fieldSelectors), labels);
    });
  }

  it('reads the values the selectors compare', () => {
    const secret = findBuiltinKind('', 'v1', 'secrets')!;
    assert.equal(secret.fieldSelectors['type']!({ type: 'kubernetes.io/tls' }), 'kubernetes.io/tls');
    const ns = findBuiltinKind('', 'v1', 'namespaces')!;
    assert.equal(ns.fieldSelectors['status.phase']!({ status: { phase: 'Terminating' } }), 'Terminating');
    const ev = findBuiltinKind('', 'v1', 'events')!;
    const event = { involvedObject: { kind: 'Pod', name: 'p', uid: 'u1' }, reason: 'R', reportingComponent: 'rc', type: 'Normal' };
    assert.equal(ev.fieldSelectors['involvedObject.uid']!(event), 'u1');
    // "source" falls back to the reporting controller when source.component is empty
    assert.equal(ev.fieldSelectors['source']!(event), 'rc');
    assert.equal(ev.fieldSelectors['source']!({ ...event, source: { component: 'kubelet' } }), 'kubelet');
    const evv1 = findBuiltinKind('events.k8s.io', 'v1', 'events')!;
    assert.equal(evv1.fieldSelectors['regarding.name']!({ regarding: { name: 'p' } }), 'p');
    assert.equal(evv1.fieldSelectors['reportingController']!({ reportingController: 'ctl' }), 'ctl');
  });
});
