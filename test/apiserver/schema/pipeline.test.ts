// Prune, drop nulls, defaults and OpenAPI validation of a custom resource, with kube's wording.
import assert from 'node:assert/strict';
import { compileCrdVersion, fieldErrorString, type JSONSchemaProps } from '../../../apiserver/src/schema/index.js';
import { validateAgainstSchema } from '../../../apiserver/src/schema/validate.js';
import { pruneObject, dropNulls } from '../../../apiserver/src/schema/prune.js';
import { applyDefaults } from '../../../apiserver/src/schema/defaults.js';
import { fixtureCrd } from './crd-fixture.js';

const obj = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'lxcattach.io/v1alpha1', kind: 'ContainerAttach', metadata: { name: 'a1', namespace: 'default' }, spec, ...extra,
});

describe('apiserver schema: pruning', () => {
  const cases: { name: string; schema: JSONSchemaProps; object: Record<string, unknown>; want: Record<string, unknown>; paths: string[] }[] = [
    { name: 'unknown spec field', schema: { type: 'object', properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } } },
      object: { apiVersion: 'v', kind: 'K', metadata: { name: 'x' }, spec: { a: 'x', bogusField: 1 }, extra: true },
      want: { apiVersion: 'v', kind: 'K', metadata: { name: 'x' }, spec: { a: 'x' } }, paths: ['extra', 'spec.bogusField'] },
    { name: 'inside list items', schema: { type: 'object', properties: { l: { type: 'array', items: { type: 'object', properties: { k: { type: 'string' } } } } } },
      object: { l: [{ k: 'a', z: 1 }, { y: 2 }] }, want: { l: [{ k: 'a' }, {}] }, paths: ['l[0].z', 'l[1].y'] },
    { name: 'preserve unknown fields', schema: { type: 'object', properties: { p: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { q: { type: 'object', properties: {} } } } } },
      object: { p: { any: { deep: 1 }, q: { gone: 1 } } }, want: { p: { any: { deep: 1 }, q: {} } }, paths: ['p.q.gone'] },
    { name: 'additionalProperties', schema: { type: 'object', properties: { m: { type: 'object', additionalProperties: { type: 'object', properties: { a: { type: 'string' } } } } } },
      object: { m: { k1: { a: 'x', b: 'y' } } }, want: { m: { k1: { a: 'x' } } }, paths: ['m.k1.b'] },
    { name: 'embedded resource keeps apiVersion/kind/metadata', schema: { type: 'object', properties: { t: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object' } } } } },
      object: { t: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { x: 1 }, other: 1 } }, want: { t: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} } }, paths: ['t.other', 't.spec.x'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const o = structuredClone(c.object);
      assert.deepEqual(pruneObject(o, c.schema), c.paths);
      assert.deepEqual(o, c.want);
    });
  }

  it('prunes and coerces embedded metadata through a compiled version', () => {
    const crd = fixtureCrd();
    const v = crd.spec.versions[0].schema!.openAPIV3Schema!;
    v.properties!.spec.properties!.template = { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true };
    const cv = compileCrdVersion(crd, 'v1alpha1');
    const o = obj({ container: 'web1', template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', junk: 1 } } });
    assert.deepEqual(cv.prune(o), ['spec.template.metadata.junk']);
    assert.deepEqual((o.spec as Record<string, unknown>).template, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } });
  });
});

describe('apiserver schema: nulls and defaults', () => {
  const schema: JSONSchemaProps = {
    type: 'object',
    properties: {
      a: { type: 'string' },
      b: { type: 'string', nullable: true },
      c: { type: 'string', default: 'dflt' },
      o: { type: 'object', properties: { n: { type: 'integer', default: 5 }, keep: { type: 'string' } } },
      l: { type: 'array', items: { type: 'string', default: 'item' } },
    },
  };
  it('drops non-nullable nulls without default, keeps nullable and defaulted ones', () => {
    const o: Record<string, unknown> = { a: null, b: null, c: null, o: { keep: null }, l: [null] };
    dropNulls(o, schema);
    assert.deepEqual(o, { b: null, c: null, o: {}, l: [null] });
  });
  it('applies defaults to missing and non-nullable null values, recursively', () => {
    const o: Record<string, unknown> = { c: null, o: {}, l: [null, 'x'] };
    applyDefaults(o, schema);
    assert.deepEqual(o, { c: 'dflt', o: { n: 5 }, l: ['item', 'x'] });
  });
  it('defaults through a compiled version (mode: Batch, terminal.term)', () => {
    const cv = compileCrdVersion(fixtureCrd(), 'v1alpha1');
    const o = obj({ container: 'c', terminal: {} });
    cv.applyDefaults(o);
    assert.deepEqual(o.spec, { container: 'c', mode: 'Batch', terminal: { term: 'xterm' } });
  });
});

describe('apiserver schema: OpenAPI validation', () => {
  const field = (s: JSONSchemaProps): JSONSchemaProps => ({ type: 'object', properties: { field: s } });
  const cases: { name: string; schema: JSONSchemaProps; object: unknown; want: string[] }[] = [
    { name: 'type object got string', schema: field({ type: 'object' }), object: { field: 'foo' }, want: ['field: Invalid value: "string": field in body must be of type object: "string"'] },
    { name: 'type object got integer', schema: field({ type: 'object' }), object: { field: 42 }, want: ['field: Invalid value: "integer": field in body must be of type object: "integer"'] },
    { name: 'type object got number', schema: field({ type: 'object' }), object: { field: 1.2 }, want: ['field: Invalid value: "number": field in body must be of type object: "number"'] },
    { name: 'type object got null', schema: field({ type: 'object' }), object: { field: null }, want: ['field: Invalid value: "null": field in body must be of type object: "null"'] },
    { name: 'nullable accepts null', schema: field({ type: 'object', nullable: true }), object: { field: null }, want: [] },
    { name: 'int-or-string got bool', schema: field({ 'x-kubernetes-int-or-string': true }), object: { field: true }, want: ['field: Invalid value: "boolean": field in body must be of type integer,string: "boolean"'] },
    { name: 'int-or-string got number', schema: field({ 'x-kubernetes-int-or-string': true }), object: { field: 1.2 }, want: ['field: Invalid value: "number": field in body must be of type integer,string: "number"'] },
    { name: 'integer accepts an integral float (swag.IsFloat64AJSONInteger)', schema: field({ type: 'integer' }), object: { field: 1.0 }, want: [] },
    { name: 'integer got string', schema: field({ type: 'integer' }), object: { field: 'string' }, want: ['field: Invalid value: "string": field in body must be of type integer: "string"'] },
    { name: 'integer beyond int64 is a number', schema: field({ type: 'integer' }), object: { field: 9223372036854775808 }, want: ['field: Invalid value: "number": field in body must be of type integer: "number"'] },
    { name: 'enum', schema: field({ type: 'string', enum: ['a', 'b'] }), object: { field: 'q' }, want: ['field: Unsupported value: "q": supported values: "a", "b"'] },
    { name: 'enum non-string', schema: field({ type: 'integer', enum: [1, 2] }), object: { field: 3 }, want: ['field: Unsupported value: 3: supported values: "1", "2"'] },
    { name: 'maxLength counts runes', schema: field({ type: 'string', maxLength: 2 }), object: { field: 'éé' }, want: [] },
    { name: 'maxLength', schema: field({ type: 'string', maxLength: 2 }), object: { field: 'abc' }, want: ['field: Too long: may not be more than 2 bytes'] },
    { name: 'minLength', schema: field({ type: 'string', minLength: 3 }), object: { field: 'ab' }, want: ['field: Invalid value: "ab": field in body should be at least 3 chars long'] },
    { name: 'pattern', schema: field({ type: 'string', pattern: '^[a-z]+$' }), object: { field: 'A' }, want: ["field: Invalid value: \"A\": field in body should match '^[a-z]+$'"] },
    { name: 'maximum', schema: field({ type: 'integer', maximum: 4294967294 }), object: { field: 4294967295 }, want: ['field: Invalid value: 4294967295: field in body should be less than or equal to 4.294967294e+09'] },
    { name: 'minimum', schema: field({ type: 'integer', minimum: 0 }), object: { field: -1 }, want: ['field: Invalid value: -1: field in body should be greater than or equal to 0'] },
    { name: 'exclusive maximum', schema: field({ type: 'number', maximum: 1.5, exclusiveMaximum: true }), object: { field: 1.5 }, want: ['field: Invalid value: 1.5: field in body should be less than 1.5'] },
    { name: 'multipleOf', schema: field({ type: 'integer', multipleOf: 2 }), object: { field: 3 }, want: ['field: Invalid value: 3: field in body should be a multiple of 2'] },
    { name: 'int64 bigint bound', schema: field({ type: 'integer', maximum: 10 }), object: { field: 9223372036854775807n }, want: ['field: Invalid value: 9223372036854775807: field in body should be less than or equal to 10'] },
    { name: 'maxItems', schema: field({ type: 'array', maxItems: 1, items: { type: 'string' } }), object: { field: ['a', 'b'] }, want: ['field: Too many: 2: must have at most 1 items'] },
    { name: 'minItems', schema: field({ type: 'array', minItems: 1, items: { type: 'string' } }), object: { field: [] }, want: ['field: Invalid value: 0: field in body should have at least 1 items'] },
    { name: 'item type', schema: field({ type: 'array', items: { type: 'string' } }), object: { field: ['a', 1] }, want: ['field[1]: Invalid value: "integer": field[1] in body must be of type string: "integer"'] },
    { name: 'maxProperties', schema: field({ type: 'object', maxProperties: 1, additionalProperties: { type: 'string' } }), object: { field: { a: 'x', b: 'y' } }, want: ['field: Too many: 2: must have at most 1 items'] },
    { name: 'minProperties', schema: field({ type: 'object', minProperties: 1 }), object: { field: {} }, want: ['field: Invalid value: 0: field in body should have at least 1 properties'] },
    { name: 'additionalProperties type', schema: field({ type: 'object', additionalProperties: { type: 'string' } }), object: { field: { a: 1 } }, want: ['field.a: Invalid value: "integer": field.a in body must be of type string: "integer"'] },
    { name: 'required', schema: { type: 'object', required: ['spec'], properties: { spec: { type: 'object', required: ['x'], properties: { x: { type: 'string' } } } } }, object: { spec: {} }, want: ['spec.x: Required value'] },
    { name: 'required at root', schema: { type: 'object', required: ['spec'], properties: { spec: { type: 'object' } } }, object: {}, want: ['spec: Required value'] },
    { name: 'format date-time', schema: field({ type: 'string', format: 'date-time' }), object: { field: 'yesterday' }, want: ['field: Invalid value: "yesterday": field in body must be of type date-time: "yesterday"'] },
    { name: 'format ipv4 ok', schema: field({ type: 'string', format: 'ipv4' }), object: { field: '10.0.0.1' }, want: [] },
    { name: 'unsupported format is ignored', schema: field({ type: 'string', format: 'int-or-whatever' }), object: { field: 'x' }, want: [] },
    { name: 'anyOf', schema: field({ type: 'string', anyOf: [{ enum: ['a'] }, { enum: ['b'] }] }), object: { field: 'c' }, want: ['<nil>: Invalid value: "": "field" must validate at least one schema (anyOf)', 'field: Unsupported value: "c": supported values: "a"'] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(validateAgainstSchema(c.object, c.schema).map(fieldErrorString), c.want));
  }

  it('ratchets: unchanged invalid values pass on update', () => {
    const schema = field({ type: 'string', maxLength: 1 });
    assert.deepEqual(validateAgainstSchema({ field: 'abc' }, schema, { value: { field: 'abc' } }), []);
    assert.equal(validateAgainstSchema({ field: 'abcd' }, schema, { value: { field: 'abc' } }).length, 1);
  });

  it('validates list-type map and set', () => {
    const cv = compileCrdVersion(fixtureCrd(), 'v1alpha1');
    const o = obj({ container: 'c', elevatedPrivileges: ['CAP', 'CAP'] }, { status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Ready', status: 'False' }] } });
    const errs = cv.validate(o).errors.map(fieldErrorString);
    assert.deepEqual(errs, [
      'spec.elevatedPrivileges[1]: Duplicate value: "CAP"',
      'status.conditions[1]: Duplicate value: map[string]interface {}{"type":"Ready"}',
    ]);
  });

  it('validates a fixture object with several errors in kube order', () => {
    const cv = compileCrdVersion(fixtureCrd(), 'v1alpha1');
    const errs = cv.validate(obj({ container: '', arch: 'sparc', uid: 4294967295, command: 'ls' })).errors.map(fieldErrorString);
    assert.deepEqual(errs, [
      'spec.container: Invalid value: "": spec.container in body should be at least 1 chars long',
      'spec.arch: Unsupported value: "sparc": supported values: "x86", "x86_64", "arm64"',
      'spec.uid: Invalid value: 4294967295: spec.uid in body should be less than or equal to 4.294967294e+09',
      'spec.command: Invalid value: "string": spec.command in body must be of type array: "string"',
      '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
  });

  it('checks only status for the status subresource', () => {
    const cv = compileCrdVersion(fixtureCrd(), 'v1alpha1');
    const o = obj({ container: 'c', arch: 'sparc' }, { status: { phase: 'Nope' } });
    const old = obj({ container: 'c', arch: 'sparc' }, { status: { phase: 'Running' } });
    assert.deepEqual(cv.validate(o, old, { subresource: 'status' }).errors.map(fieldErrorString), [
      'status.phase: Unsupported value: "Nope": supported values: "Pending", "WaitingForClient", "Running", "Succeeded", "Failed"',
      '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
  });
});

describe('apiserver schema: printer columns and selectable fields', () => {
  const cv = compileCrdVersion(fixtureCrd(), 'v1alpha1');
  const o = obj({ container: 'web1', nodeName: 'n1' }, { metadata: { name: 'a1', creationTimestamp: '2025-01-01T00:00:00Z' }, status: { phase: 'Running', exitCode: 3, conditions: [{ type: 'Other', status: 'False' }, { type: 'Ready', status: 'True' }] } });
  it('describes the columns', () => {
    assert.deepEqual(cv.printerColumns().map((c) => [c.name, c.type, c.priority]), [['Node', 'string', 0], ['Container', 'string', 0], ['Phase', 'string', 0], ['Exit', 'integer', 0], ['Ready', 'string', 1], ['Age', 'date', 0]]);
    assert.equal(cv.printerColumns()[0].description, 'Custom resource definition column (in JSONPath format): .spec.nodeName');
  });
  it('computes cells with filters and raw dates', () => {
    assert.deepEqual(cv.printerCells(o), ['n1', 'web1', 'Running', 3, 'True', '2025-01-01T00:00:00Z']);
  });
  it('gives null cells for missing values', () => {
    assert.deepEqual(cv.printerCells(obj({ container: 'c' })), [null, 'c', null, null, null, null]);
  });
  it('reads selectable fields with fmt.Sprint semantics', () => {
    assert.deepEqual(cv.selectableFieldNames(), ['spec.nodeName', 'spec.container', 'status.phase']);
    assert.equal(cv.selectableFieldValue(o, 'spec.nodeName'), 'n1');
    assert.equal(cv.selectableFieldValue(o, '.status.phase'), 'Running');
    assert.equal(cv.selectableFieldValue(obj({ container: 'c' }), 'status.phase'), '');
  });
});
