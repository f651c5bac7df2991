// Strategic merge patch on the built-in kinds, as the server applies what kubectl apply / label /
// annotate / edit send (k8s.io/apimachinery/pkg/util/strategicpatch), errors included.
import assert from 'node:assert/strict';
import { BuiltinRequestError, findBuiltinKind, type BuiltinKindWithType } from '../../../apiserver/src/builtins/index.js';
import { StrategicMergePatchError, strategicMergePatch } from '../../../apiserver/src/builtins/strategic-merge-patch.js';
import { sliceStable } from '../../../apiserver/src/builtins/go-sort.js';

type Obj = Record<string, unknown>;
const secret = findBuiltinKind('', 'v1', 'secrets')!;
const namespace = findBuiltinKind('', 'v1', 'namespaces')!;
const lease = findBuiltinKind('coordination.k8s.io', 'v1', 'leases')!;

const owner = (uid: string, extra: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'ConfigMap', name: `cm-${uid}`, uid, ...extra });
const base: Obj = {
  kind: 'Secret', apiVersion: 'v1',
  metadata: {
    name: 's', namespace: 'd', labels: { app: 'web', tier: 'front' }, annotations: { note: 'x' },
    finalizers: ['a.io/one', 'b.io/two'], ownerReferences: [owner('u1'), owner('u2')],
  },
  data: { a: 'YQ==', b: 'Yg==' }, type: 'Opaque',
};
const meta = (obj: Obj): Obj => obj['metadata'] as Obj;

function patched(kind: BuiltinKindWithType, original: Obj, patch: unknown): Obj {
  return strategicMergePatch(kind, original, patch);
}

describe('builtins: strategic merge patch', () => {
  const cases: Array<[string, unknown, (out: Obj) => unknown, unknown]> = [
    ['merges labels (kubectl label)', { metadata: { labels: { env: 'prod' } } }, (o) => meta(o)['labels'], { app: 'web', tier: 'front', env: 'prod' }],
    ['removes a label with null (kubectl label app-)', { metadata: { labels: { app: null } } }, (o) => meta(o)['labels'], { tier: 'front' }],
    ['merges annotations (kubectl annotate)', { metadata: { annotations: { note: 'y', more: 'z' } } }, (o) => meta(o)['annotations'], { note: 'y', more: 'z' }],
    ['replaces a map with $patch: replace', { metadata: { labels: { $patch: 'replace', only: 'this' } } }, (o) => meta(o)['labels'], { only: 'this' }],
    ['empties a map with $patch: delete', { metadata: { labels: { $patch: 'delete', app: 'x' } } }, (o) => meta(o)['labels'], {}],
    ['merges secret data by key', { data: { b: 'Qg==', c: 'Yw==' } }, (o) => o['data'], { a: 'YQ==', b: 'Qg==', c: 'Yw==' }],
    ['merges finalizers as a set, patch items first', { metadata: { finalizers: ['c.io/three', 'a.io/one'] } }, (o) => meta(o)['finalizers'], ['c.io/three', 'a.io/one', 'b.io/two']],
    ['deletes finalizers with $deleteFromPrimitiveList', { metadata: { '$deleteFromPrimitiveList/finalizers': ['a.io/one'] } }, (o) => meta(o)['finalizers'], ['b.io/two']],
    ['orders finalizers by $setElementOrder (kubectl apply)', { metadata: { '$setElementOrder/finalizers': ['b.io/two', 'c.io/three', 'a.io/one'], finalizers: ['c.io/three'] } },
      (o) => meta(o)['finalizers'], ['b.io/two', 'c.io/three', 'a.io/one']],
    ['merges ownerReferences by uid', { metadata: { ownerReferences: [{ uid: 'u2', controller: true }, owner('u3')] } },
      (o) => meta(o)['ownerReferences'], [owner('u1'), owner('u2', { controller: true }), owner('u3')]],
    ['deletes an ownerReference by uid with $patch: delete', { metadata: { ownerReferences: [{ uid: 'u1', $patch: 'delete' }] } },
      (o) => meta(o)['ownerReferences'], [owner('u2')]],
    ['replaces ownerReferences with a $patch: replace element', { metadata: { ownerReferences: [{ $patch: 'replace' }, owner('u9')] } },
      (o) => meta(o)['ownerReferences'], [owner('u9')]],
    ['keeps only the listed keys with $retainKeys', { metadata: { $retainKeys: ['name', 'namespace', 'labels'], labels: { x: 'y' } } },
      (o) => meta(o), { name: 's', namespace: 'd', labels: { app: 'web', tier: 'front', x: 'y' } }],
    ['replaces lists without a merge strategy', { spec: { finalizers: ['kubernetes', 'x.io/y'] } }, (o) => (o['spec'] as Obj)['finalizers'], ['kubernetes', 'x.io/y']],
    ['drops a field with null', { type: null }, (o) => o['type'], undefined],
    ['takes values for fields the original lacks, without nulls or directives', { immutable: true, metadata: { generateName: 'g-', labels: { n: null } } },
      (o) => [o['immutable'], meta(o)['generateName'], meta(o)['labels']], [true, 'g-', { app: 'web', tier: 'front' }]],
  ];
  for (const [name, patch, pick, expected] of cases) {
    it(name, () => {
      const original = name.includes('without a merge strategy')
        ? { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'n' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } }
        : base;
      const kind = name.includes('without a merge strategy') ? namespace : secret;
      const before = structuredClone(original);
      assert.deepEqual(pick(patched(kind, original, structuredClone(patch))), expected);
      assert.deepEqual(original, before, 'the original is not modified');
    });
  }

  it('merges namespace status conditions by type', () => {
    const original = { metadata: { name: 'n' }, status: { phase: 'Active', conditions: [{ type: 'A', status: 'True' }, { type: 'B', status: 'False' }] } };
    const out = namespace.normalize(patched(namespace, original, { status: { conditions: [{ type: 'B', status: 'True', reason: 'R' }] } }));
    assert.deepEqual((out['status'] as Obj)['conditions'], [
      { type: 'A', status: 'True', lastTransitionTime: null },
      { type: 'B', status: 'True', lastTransitionTime: null, reason: 'R' },
    ]);
  });

  it('patches a Lease spec field by field', () => {
    const original = { metadata: { name: 'l' }, spec: { holderIdentity: 'a', leaseDurationSeconds: 15 } };
    const out = patched(lease, original, { spec: { holderIdentity: 'b', renewTime: '2025-01-01T00:00:00.000000Z' } });
    assert.deepEqual(out['spec'], { holderIdentity: 'b', leaseDurationSeconds: 15, renewTime: '2025-01-01T00:00:00.000000Z' });
  });

  const refused: Array<[string, unknown, number, string, string]> = [
    ['a patch that is not an object', [1], 400, 'BadRequest', 'json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ['an unknown $patch directive', { metadata: { labels: { $patch: 'squash', a: 'b' } } }, 500, '', 'unknown patch type: squash in map: map[$patch:squash a:b]'],
    ['$patch: merge in a list', { metadata: { ownerReferences: [{ $patch: 'merge' }] } }, 500, '', 'merging lists cannot yet be specified in the patch'],
    ['a $setElementOrder without a field name', { metadata: { $setElementOrder: ['a'] } }, 400, 'BadRequest', 'invalid patch format of setElementOrder list'],
    ['a $deleteFromPrimitiveList without a field name', { metadata: { $deleteFromPrimitiveList: ['a'] } }, 400, 'BadRequest', 'invalid patch format of primitive list'],
    ['$retainKeys that is not a list', { metadata: { $retainKeys: 'name' } }, 400, 'BadRequest', 'invalid patch format of retainKeys'],
    ['$retainKeys missing a patched key', { metadata: { $retainKeys: ['name'], labels: { a: 'b' } } }, 400, 'BadRequest', 'invalid patch format of retainKeys'],
    ['a $setElementOrder for an unknown field', { '$setElementOrder/bogus': ['a'] }, 500, '', 'unable to find api field in struct Secret for the json field "bogus"'],
    ['mixed element types', { metadata: { finalizers: [1] } }, 500, '', 'list element types are not identical: [[a.io/one b.io/two] [1]]'],
    ['an ownerReference without its merge key', { metadata: { ownerReferences: [{ name: 'x' }] } }, 500, '', 'map: map[name:x] does not contain declared merge key: uid'],
    ['a patch order that contradicts $setElementOrder', { metadata: { '$setElementOrder/finalizers': ['b.io/two', 'a.io/one'], finalizers: ['a.io/one', 'b.io/two'] } },
      500, '', 'The order in patch list:\n[a.io/one b.io/two]\n doesn\'t match $setElementOrder list:\n[b.io/two a.io/one]\n'],
  ];
  for (const [name, patch, code, reason, message] of refused) {
    it(`refuses ${name} (${code})`, () => {
      assert.throws(() => patched(secret, base, patch), (err: unknown) => {
        assert.ok(err instanceof StrategicMergePatchError);
        assert.ok(err instanceof BuiltinRequestError, 'the core maps it like any builtin refusal');
        assert.equal(err.reason, reason);
        assert.equal(err.httpStatus, code);
        assert.equal(err.message, message);
        assert.deepEqual(err.status, {
          kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message,
          ...(reason ? { reason } : {}), ...(code === 422 ? { details: {} } : {}), code,
        });
        return true;
      });
    });
  }
});

describe('builtins: Go sort.SliceStable', () => {
  it('sorts stably past the 20-item insertion blocks (the SymMerge passes)', () => {
    for (const n of [0, 1, 19, 20, 21, 45, 100, 333]) {
      const items = Array.from({ length: n }, (_, i) => ({ key: (i * 7919) % 13, at: i }));
      const expected = [...items].sort((a, b) => a.key - b.key || a.at - b.at);
      sliceStable(items, (a, b) => a.key < b.key);
      assert.deepEqual(items, expected, `n=${n}`);
    }
  });
});
