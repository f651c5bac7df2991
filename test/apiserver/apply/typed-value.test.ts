// The value walks of structured-merge-diff v4 (typed/tofieldset.go, compare.go, merge.go,
// remove.go) over a CRD schema with every list and map type. Pure algorithm: no server, no root,
// no LXC (`npx mocha --no-config dist/test/apiserver/apply/*.test.js`).
import assert from 'node:assert/strict';
import { compare, merge, removeItems, toFieldSet, validateTyped } from '../../../apiserver/src/apply/typed-value.js';
import { FieldSet } from '../../../apiserver/src/apply/field-set.js';
import { fromJsonSchema } from '../../../apiserver/src/apply/type-node.js';
import { pathString } from '../../../apiserver/src/apply/field-path.js';
import type { JSONSchemaProps } from '../../../apiserver/src/schema/structural.js';

export const testSchema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        container: { type: 'string' },
        command: { type: 'array', items: { type: 'string' } },
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        ports: {
          type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name', 'protocol'],
          items: { type: 'object', properties: { name: { type: 'string' }, protocol: { type: 'string' }, port: { type: 'integer' } } },
        },
        selector: { type: 'object', 'x-kubernetes-map-type': 'atomic', additionalProperties: { type: 'string' } },
        env: { type: 'object', additionalProperties: { type: 'string' } },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
    status: { type: 'object', properties: { phase: { type: 'string' } } },
  },
};
const T = fromJsonSchema(testSchema);
const paths = (s: FieldSet) => s.paths().map(pathString);

describe('apply: typed values', () => {
  it('ToFieldSet: struct leaves, granular map keys, list items by key or value, atomic lists and maps whole', () => {
    const set = toFieldSet({
      apiVersion: 'x/v1', kind: 'K',
      metadata: { name: 'n', labels: { app: 'a' } },
      spec: {
        container: 'c', command: ['a', 'b'], tags: ['t1'],
        ports: [{ name: 'http', protocol: 'TCP', port: 80 }],
        selector: { a: 'b' }, env: { A: '1' }, extra: { deep: { x: 1 } },
      },
    }, T);
    assert.deepEqual(paths(set), [
      '.apiVersion', '.kind',
      '.metadata.name', '.metadata.labels.app',
      '.spec.command', '.spec.container', '.spec.selector',
      '.spec.env.A',
      '.spec.extra.deep', '.spec.extra.deep.x',
      '.spec.ports[name="http",protocol="TCP"]', '.spec.ports[name="http",protocol="TCP"].name', '.spec.ports[name="http",protocol="TCP"].port', '.spec.ports[name="http",protocol="TCP"].protocol',
      '.spec.tags[="t1"]',
    ]);
  });

  it('Compare: a map that appears is added as a node too (the "." of Update managers)', () => {
    const c = compare({ spec: { container: 'a', env: { A: '1' } } }, { metadata: { annotations: { x: 'y' } }, spec: { container: 'b' } }, T);
    assert.deepEqual(paths(c.added), ['.metadata', '.metadata.annotations', '.metadata.annotations.x']);
    assert.deepEqual(paths(c.modified), ['.spec.container']);
    assert.deepEqual(paths(c.removed), ['.spec.env', '.spec.env.A']);
  });

  it('Merge: the applied value wins at leaves; sets union; atomic lists and maps are replaced', () => {
    const out = merge(
      { spec: { container: 'a', command: ['x', 'y'], tags: ['t1', 't2'], selector: { a: '1', b: '2' }, env: { A: '1' } } },
      { spec: { container: 'b', command: ['z'], tags: ['t3'], selector: { c: '3' }, env: { B: '2' } } },
      T,
    );
    assert.deepEqual(out, { spec: { container: 'b', command: ['z'], tags: ['t1', 't2', 't3'], selector: { c: '3' }, env: { A: '1', B: '2' } } });
  });

  it('Merge: associative list items merge by key in the live order, applied items keeping the applied order (merge.go visitListItems)', () => {
    const p = (name: string, port?: number) => ({ name, protocol: 'TCP', ...(port ? { port } : {}) });
    const out = merge({ spec: { ports: [p('a', 1), p('b', 2), p('c', 3)] } }, { spec: { ports: [p('c', 30), p('a')] } }, T) as { spec: { ports: unknown[] } };
    assert.deepEqual(out.spec.ports, [p('b', 2), p('c', 30), p('a', 1)]);
  });

  it('RemoveItems drops the paths given and what is below them; a map left empty goes too', () => {
    const v = { spec: { container: 'c', env: { A: '1' }, ports: [{ name: 'a', protocol: 'TCP', port: 1 }, { name: 'b', protocol: 'TCP', port: 2 }] } };
    const out = removeItems(v, FieldSet.of(
      [{ f: 'spec' }, { f: 'env' }, { f: 'A' }],
      [{ f: 'spec' }, { f: 'ports' }, { k: [['name', 'a'], ['protocol', 'TCP']] }],
      [{ f: 'spec' }, { f: 'ports' }, { k: [['name', 'b'], ['protocol', 'TCP']] }, { f: 'port' }],
    ), T);
    assert.deepEqual(out, { spec: { container: 'c', ports: [{ name: 'b', protocol: 'TCP' }] } });
  });

  it('rejects what the schema does not declare, list items without their keys, and duplicate keys', () => {
    assert.throws(() => validateTyped({ spec: { bogus: 1 } }, T, false), { message: '.spec.bogus: field not declared in schema' });
    assert.throws(() => validateTyped({ spec: { ports: [{ name: 'a' }] } }, T, false),
      { message: '.spec.ports: element 0: associative list with keys has an element that omits key field "protocol" (and doesn\'t have default value)' });
    assert.throws(() => validateTyped({ spec: { tags: ['a', 'a'] } }, T, false), { message: '.spec.tags: duplicate entries for key [="a"]' });
    assert.doesNotThrow(() => validateTyped({ spec: { tags: ['a', 'a'] } }, T, true), 'live objects may hold duplicates');
    assert.throws(() => validateTyped({ metadata: { bogus: 1 }, spec: { bogus: 2 } }, T, false),
      { message: 'errors:\n  .metadata.bogus: field not declared in schema\n  .spec.bogus: field not declared in schema' });
  });
});
