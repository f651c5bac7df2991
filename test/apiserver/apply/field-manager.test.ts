// Field ownership on apply and update (k8s.io/apimachinery pkg/util/managedfields/internal,
// structured-merge-diff v4 merge/update.go): no-ops, conflicts and their exact 409, force, shared
// ownership, removal of what an applier stops applying, reset fields of the status subresource, the
// manager cap. Pure algorithm: no server, no root, no LXC
// (`npx mocha --no-config dist/test/apiserver/apply/*.test.js`).
import assert from 'node:assert/strict';
import { applyConfiguration, managerOrUserAgent, recordUpdate, type FieldManagerScope } from '../../../apiserver/src/apply/field-manager.js';
import { FieldSet } from '../../../apiserver/src/apply/field-set.js';
import { fromJsonSchema } from '../../../apiserver/src/apply/type-node.js';
import { ApiError } from '../../../apiserver/src/status.js';
import { testSchema } from './typed-value.test.js';

type Obj = Record<string, unknown>;
const T = fromJsonSchema(testSchema);
const main: FieldManagerScope = {
  type: T, group: 'lxcattach.io', version: 'v1alpha1', kind: 'ContainerAttach', subresource: '', resetFields: FieldSet.of([{ f: 'status' }]),
  emptyObject: { apiVersion: 'lxcattach.io/v1alpha1', kind: 'ContainerAttach' },
};
const status: FieldManagerScope = { ...main, subresource: 'status', resetFields: FieldSet.of([{ f: 'spec' }]) };
const head = { apiVersion: 'lxcattach.io/v1alpha1', kind: 'ContainerAttach' };
const cfg = (spec: Obj, extra: Obj = {}): Obj => ({ ...head, metadata: { name: 'a' }, spec, ...extra });
const live = (o: Obj): Obj => ({ ...o, metadata: { ...(o.metadata as Obj), uid: 'u1', resourceVersion: '5' } });
const owners = (o: Obj) => Object.fromEntries(((o.metadata as Obj).managedFields as Obj[]).map((e) => [`${e.manager as string}/${e.operation as string}${e.subresource ? `/${e.subresource as string}` : ''}`, e.fieldsV1]));
const conflictOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ApiError, String(e));
    return e.status;
  }
  assert.fail('no conflict');
};

describe('apply: field manager', () => {
  it('creates on apply, owning exactly the applied fields; re-applying the same manifest changes nothing', () => {
    const first = applyConfiguration(main, { ...head }, cfg({ container: 'c', command: ['sh'] }), 'kubectl', false);
    assert.equal(first.changed, true);
    assert.deepEqual(owners(first.obj), { 'kubectl/Apply': { 'f:spec': { 'f:command': {}, 'f:container': {} } } });
    const stored = live(first.obj);
    const again = applyConfiguration(main, stored, cfg({ container: 'c', command: ['sh'] }), 'kubectl', false);
    assert.equal(again.changed, false);
    assert.deepEqual(again.obj, stored);
  });

  it('a conflicting apply is a 409 naming the owner; force moves the field', () => {
    const created = live(applyConfiguration(main, { ...head }, cfg({ container: 'c', command: ['sh'] }), 'kubectl', false).obj);
    const st = conflictOf(() => applyConfiguration(main, created, cfg({ container: 'd' }), 'flux', false));
    assert.deepEqual(st, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "kubectl": .spec.container', reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.container' }] }, code: 409,
    });
    const forced = applyConfiguration(main, created, cfg({ container: 'd' }), 'flux', true).obj;
    assert.deepEqual(owners(forced), {
      'kubectl/Apply': { 'f:spec': { 'f:command': {} } },
      'flux/Apply': { 'f:spec': { 'f:container': {} } },
    });
  });

  it('applying the value another manager set shares the field instead of conflicting', () => {
    const created = live(applyConfiguration(main, { ...head }, cfg({ container: 'c' }), 'kubectl', false).obj);
    const shared = applyConfiguration(main, created, cfg({ container: 'c' }), 'flux', false);
    assert.equal(shared.changed, false);
    assert.deepEqual(Object.keys(owners(shared.obj)).sort(), ['flux/Apply', 'kubectl/Apply']);
    // kubectl stops applying the field: it stays, flux still owns it
    const after = applyConfiguration(main, live(shared.obj), cfg({ command: ['x'] }), 'kubectl', false).obj;
    assert.equal((after.spec as Obj).container, 'c');
  });

  it('names Update managers with their apiVersion and subresource in a conflict', () => {
    const created: Obj = { ...cfg({ container: 'c' }) };
    recordUpdate(main, undefined, created, 'kubectl-create');
    const withStatus = live({ ...created, status: { phase: 'Running' } });
    const statusWrite: Obj = structuredClone(withStatus);
    (statusWrite.status as Obj).phase = 'Done';
    recordUpdate(status, withStatus, statusWrite, 'agent');
    assert.deepEqual(owners(statusWrite)['agent/Update/status'], { 'f:status': { 'f:phase': {} } });
    const st = conflictOf(() => applyConfiguration(main, live(statusWrite), cfg({ container: 'x' }), 'flux', false));
    assert.equal(st.message, 'Apply failed with 1 conflict: conflict with "kubectl-create" using lxcattach.io/v1alpha1: .spec.container');
    const st2 = conflictOf(() => applyConfiguration(status, live(statusWrite), { ...head, metadata: { name: 'a' }, status: { phase: 'Other' } }, 'flux', false));
    assert.equal(st2.message, 'Apply failed with 1 conflict: conflict with "agent" with subresource "status" using lxcattach.io/v1alpha1: .status.phase');
  });

  it('reset fields: the main endpoint never owns status, the status endpoint never owns spec', () => {
    const r = applyConfiguration(main, { ...head }, cfg({ container: 'c' }, { status: { phase: 'X' } }), 'kubectl', false);
    assert.deepEqual(owners(r.obj), { 'kubectl/Apply': { 'f:spec': { 'f:container': {} } } });
    const s = applyConfiguration(status, live(r.obj), cfg({ container: 'zz' }, { status: { phase: 'Y' } }), 'agent', false);
    assert.deepEqual(owners(s.obj)['agent/Apply/status'], { 'f:status': { 'f:phase': {} } });
  });

  it('lists several conflicts by manager, as conflict.go words them', () => {
    const created = live(applyConfiguration(main, { ...head }, cfg({ container: 'c', command: ['a'] }), 'kubectl', false).obj);
    const st = conflictOf(() => applyConfiguration(main, created, cfg({ container: 'd', command: ['b'] }), 'flux', false));
    assert.equal(st.message, 'Apply failed with 2 conflicts: conflicts with "kubectl":\n- .spec.command\n- .spec.container');
  });

  it('refuses a patch of another kind, managedFields in the patch, and fields the schema does not declare', () => {
    const bad = (config: Obj) => conflictOf(() => applyConfiguration(main, { ...head }, config, 'm', false));
    assert.equal(bad({ apiVersion: 'v1', kind: 'Secret' }).message, 'invalid object type: /v1, Kind=Secret');
    assert.equal(bad(cfg({}, { metadata: { name: 'a', managedFields: [] } })).message, 'metadata.managedFields must be nil');
    const st = bad(cfg({ bogus: 1 }));
    assert.equal(st.code, 500);
    assert.equal(st.message, 'failed to create typed patch object (lxcattach.io/v1alpha1, Kind=ContainerAttach): .spec.bogus: field not declared in schema');
  });

  it('Update: records what changed, takes changed fields from others, leaves untracked objects untracked', () => {
    const created: Obj = cfg({ container: 'c' }, { metadata: { name: 'a', labels: { app: 'x' } } });
    recordUpdate(main, undefined, created, 'kubectl-create');
    assert.deepEqual(owners(created), { 'kubectl-create/Update': { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { '.': {}, 'f:container': {} } } });
    const next: Obj = structuredClone(live(created));
    (next.spec as Obj).container = 'd';
    recordUpdate(main, live(created), next, 'kubectl-edit');
    assert.deepEqual(owners(next), {
      // a member without children encodes as {} (emitContentsV1)
      'kubectl-create/Update': { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': {} },
      'kubectl-edit/Update': { 'f:spec': { 'f:container': {} } },
    });
    const untracked: Obj = live(cfg({ container: 'c' }));
    const write: Obj = structuredClone(untracked);
    (write.spec as Obj).container = 'e';
    recordUpdate(main, untracked, write, 'someone');
    assert.equal((write.metadata as Obj).managedFields, undefined, 'skipNonAppliedManager: nothing starts tracking on an update');
  });

  it('caps Update managers at 10, folding the oldest into "ancient-changes"', () => {
    let obj: Obj = live(cfg({ container: 'c' }));
    recordUpdate(main, undefined, obj, 'm0');
    obj = live(obj);
    for (let i = 1; i <= 11; i++) {
      const next: Obj = structuredClone(obj);
      (next.spec as Obj).env = { ...((next.spec as Obj).env as Obj | undefined), [`K${i}`]: 'v' };
      recordUpdate(main, obj, next, `m${i}`);
      obj = live(next);
    }
    const managers = Object.keys(owners(obj));
    assert.equal(managers.length, 10);
    assert.ok(managers.includes('ancient-changes/Update'), managers.join(' '));
  });

  it('takes the manager from the user agent when none is given (prefixFromUserAgent)', () => {
    assert.equal(managerOrUserAgent('', 'kubectl/v1.32.4 (linux/amd64) kubernetes/abc'), 'kubectl');
    assert.equal(managerOrUserAgent('flux', 'kubectl/v1.32.4'), 'flux');
    assert.equal(managerOrUserAgent('', undefined), '');
  });
});

describe('apply: after a client-side apply', () => {
  const LAST = 'kubectl.kubernetes.io/last-applied-configuration';
  const csa = (container: string): Obj => {
    const applied = cfg({ container });
    const o: Obj = { ...applied, metadata: { name: 'a', annotations: { [LAST]: `${JSON.stringify({ ...applied, metadata: { annotations: {}, name: 'a' } })}\n` } } };
    recordUpdate(main, undefined, o, 'kubectl-client-side-apply');
    return live(o);
  };

  it('"kubectl" takes over fields its client-side apply last set, and keeps the annotation current', () => {
    const r = applyConfiguration(main, csa('c'), cfg({ container: 'd' }), 'kubectl', false);
    assert.equal((r.obj.spec as Obj).container, 'd');
    const ann = ((r.obj.metadata as Obj).annotations as Record<string, string>)[LAST]!;
    assert.equal(ann, '{"apiVersion":"lxcattach.io/v1alpha1","kind":"ContainerAttach","metadata":{"name":"a"},"spec":{"container":"d"}}\n');
  });

  it('any other manager still conflicts with the client-side applier', () => {
    const st = conflictOf(() => applyConfiguration(main, csa('c'), cfg({ container: 'd' }), 'flux', false));
    assert.equal(st.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using lxcattach.io/v1alpha1: .spec.container');
  });
});
