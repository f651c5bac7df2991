// fieldpath.Set and its FieldsV1 encoding (structured-merge-diff v4 fieldpath/set.go,
// serialize.go, element.go). Pure algorithm: no server, no root, no LXC
// (`npx mocha --no-config dist/test/apiserver/apply/*.test.js`).
import assert from 'node:assert/strict';
import { FieldSet } from '../../../apiserver/src/apply/field-set.js';
import { deserializePathElement, pathString, serializePathElement, type Path } from '../../../apiserver/src/apply/field-path.js';

const f = (name: string) => ({ f: name });

describe('apply: field sets', () => {
  it('encodes FieldsV1 in PathElement order (f: before k: before v: before i:), "." marking a member with children', () => {
    const s = FieldSet.of(
      [f('spec'), f('ports'), { k: [['name', 'http'], ['port', 80]] }],
      [f('spec'), f('ports'), { k: [['name', 'http'], ['port', 80]] }, f('port')],
      [f('spec'), f('tags'), { v: 'b' }],
      [f('spec'), f('tags'), { v: 'a' }],
      [f('spec'), f('list'), { i: 2 }],
      [f('metadata'), f('labels'), f('app')],
      [f('apiVersion')],
    );
    const v1 = s.toFieldsV1();
    assert.deepEqual(JSON.stringify(v1), JSON.stringify({
      'f:apiVersion': {},
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:list': { 'i:2': {} },
        'f:ports': { 'k:{"name":"http","port":80}': { '.': {}, 'f:port': {} } },
        'f:tags': { 'v:"a"': {}, 'v:"b"': {} },
      },
    }));
    assert.ok(FieldSet.fromFieldsV1(v1).equals(s), 'decoding gives the same set back');
  });

  it('decodes an empty object as a member and skips unknown element types (readIterV1)', () => {
    const s = FieldSet.fromFieldsV1({ 'f:a': {}, 'f:b': { 'f:c': {} }, 'x:unknown': {} });
    assert.deepEqual(s.paths().map(pathString), ['.a', '.b.c']);
    assert.equal(s.has([f('b')]), false, 'a node with only children is not itself a member');
  });

  it('sorts key fields on decode and prints paths as kube does', () => {
    const pe = deserializePathElement('k:{"port":80,"name":"x"}')!;
    assert.equal(serializePathElement(pe), 'k:{"name":"x","port":80}');
    const p: Path = [f('spec'), f('ports'), pe, f('targetPort')];
    assert.equal(pathString(p), '.spec.ports[name="x",port=80].targetPort');
    assert.equal(pathString([f('metadata'), f('finalizers'), { v: 'a' }]), '.metadata.finalizers[="a"]');
    assert.equal(pathString([f('spec'), f('args'), { i: 3 }]), '.spec.args[3]');
  });

  it('unions, intersects and subtracts; recursiveDifference drops whole subtrees', () => {
    const a = FieldSet.of([f('spec'), f('x')], [f('spec'), f('y')], [f('status'), f('phase')]);
    const b = FieldSet.of([f('spec'), f('y')], [f('spec'), f('z')]);
    assert.deepEqual(a.union(b).paths().map(pathString), ['.spec.x', '.spec.y', '.spec.z', '.status.phase']);
    assert.deepEqual(a.intersection(b).paths().map(pathString), ['.spec.y']);
    assert.deepEqual(a.difference(b).paths().map(pathString), ['.spec.x', '.status.phase']);
    assert.deepEqual(a.recursiveDifference(FieldSet.of([f('status')])).paths().map(pathString), ['.spec.x', '.spec.y']);
    assert.deepEqual(a.difference(FieldSet.of([f('status')])).paths().map(pathString), ['.spec.x', '.spec.y', '.status.phase'],
      'a plain difference only removes exact members');
    assert.ok(a.difference(a).empty());
  });
});
