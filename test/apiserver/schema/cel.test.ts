// x-kubernetes-validations: compilation against the schema, evaluation, and the field errors and
// messages a real apiextensions-apiserver produces.
import assert from 'node:assert/strict';
import { compileCrdVersion, fieldErrorString, type JSONSchemaProps } from '../../../apiserver/src/schema/index.js';
import { compileCelRules, celValidate, compileRule } from '../../../apiserver/src/schema/cel/validator.js';
import { schemaType } from '../../../apiserver/src/schema/cel/types.js';
import { fixtureCrd } from './crd-fixture.js';

const testSchema: JSONSchemaProps = {
  type: 'object',
  properties: {
    s: { type: 'string', maxLength: 64 },
    i: { type: 'integer' },
    d: { type: 'number' },
    b: { type: 'boolean' },
    l: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 10 } },
    il: { type: 'array', maxItems: 10, items: { type: 'integer' } },
    m: { type: 'object', additionalProperties: { type: 'string' } },
    o: { type: 'object', properties: { x: { type: 'string' }, 'foo-bar': { type: 'string' }, namespace: { type: 'string' } } },
    t: { type: 'string', format: 'date-time' },
    du: { type: 'string', format: 'duration' },
  },
};
const data = {
  s: 'Hello World', i: 42, d: 1.5, b: true, l: ['b', 'a', 'c'], il: [3, 1, 2], m: { k: 'v' },
  o: { x: 'y', 'foo-bar': 'dash', namespace: 'ns' }, t: '2025-01-02T03:04:05Z', du: '1h30m',
};

function evalOne(rule: string, obj: unknown = data): string[] {
  const s = structuredClone(testSchema);
  s['x-kubernetes-validations'] = [{ rule }];
  const c = compileCelRules(s);
  return celValidate(c, obj, undefined).errors.map(fieldErrorString);
}

function compileError(rule: string, schema: JSONSchemaProps = testSchema): string | undefined {
  const c = compileRule({ rule }, schemaType(schema, true)!, schema);
  return c.error?.detail;
}

describe('apiserver schema: CEL evaluation', () => {
  const trueRules = [
    'self.s.size() == 11', 'size(self.s) == 11', 'self.s.startsWith("Hello")', 'self.s.endsWith("World")', "self.s.contains('o W')",
    "self.s.matches('^H.*d$')", "matches(self.s, 'World')", 'self.s.lowerAscii() == "hello world"', 'self.s.upperAscii() == "HELLO WORLD"',
    "self.s.split(' ') == ['Hello', 'World']", "['a', 'b'].join('-') == 'a-b'", "self.s.indexOf('o') == 4", "self.s.lastIndexOf('o') == 7",
    "self.s.replace('l', 'L') == 'HeLLo WorLd'", "self.s.replace('l', 'L', 1) == 'HeLlo World'", "'  x '.trim() == 'x'", 'self.s.substring(6) == "World"',
    'self.s.charAt(1) == "e"', "self.s.find('[A-Z]') == 'H'", "self.s.findAll('o') == ['o', 'o']",
    'self.i + 1 == 43', 'self.i * 2 - 4 == 80', 'self.i / 5 == 8', 'self.i % 5 == 2', '-self.i == -42', 'self.d > 1', 'self.i > 41.5', '1u + 2u == 3u',
    'self.b && !false', 'self.b || 1/0 == 1', '!self.b || true', 'self.b ? true : false', 'false ? 1/0 == 1 : true',
    "'a' in self.l", "'z' in self.l == false", "'k' in self.m", 'self.m.k == "v"', "self.m['k'] == 'v'",
    'self.l.all(x, x.size() == 1)', "self.l.exists(x, x == 'a')", "self.l.exists_one(x, x == 'a')", "self.l.filter(x, x != 'a') == ['b', 'c']",
    "self.l.map(x, x + '!') == ['b!', 'a!', 'c!']", "self.l.map(x, x != 'a', x) == ['b', 'c']", "self.m.all(k, k == 'k')",
    'self.il.sum() == 6', 'self.il.min() == 1', 'self.il.max() == 3', '!self.il.isSorted()', '[1, 2, 3].isSorted()', 'self.il.indexOf(1) == 1',
    "sets.contains(self.l, ['a'])", "sets.equivalent(['a', 'b'], ['b', 'a'])", "sets.intersects(self.l, ['c', 'z'])",
    'has(self.o.x)', 'self.o.foo__dash__bar == "dash"', 'self.o.__namespace__ == "ns"',
    'self.t < timestamp("2026-01-01T00:00:00Z")', 'self.t.getFullYear() == 2025', 'self.du == duration("90m")', 'self.du.getMinutes() == 90',
    'self.t + self.du == timestamp("2025-01-02T04:34:05Z")', 'string(self.i) == "42"', 'int("7") == 7', 'double(self.i) == 42.0', 'type(self.i) == int',
    'self.metadata.name == "n"', 'self.kind == "K"', 'optional.of(1).hasValue()', 'optional.none().orValue(2) == 2', 'self.?o.x.orValue("") == "y"',
    "self.m[?'nope'].orValue('d') == 'd'", '[1, 2] + [3] == [1, 2, 3]', "{'a': 1}['a'] == 1", 'dyn(1) == 1',
  ];
  for (const rule of trueRules) {
    it(`true: ${rule}`, () => assert.deepEqual(evalOne(rule, { ...data, metadata: { name: 'n' }, kind: 'K' }), []));
  }

  const failing: { rule: string; want: string }[] = [
    { rule: 'self.i > 100', want: '<nil>: Invalid value: "object": failed rule: self.i > 100' },
    { rule: 'self.i + 9223372036854775807 > 0', want: '<nil>: Invalid value: "object": integer overflow evaluating rule: self.i + 9223372036854775807 > 0' },
    { rule: 'self.i / 0 == 1', want: '<nil>: Invalid value: "object": division by zero evaluating rule: self.i / 0 == 1' },
    { rule: 'self.o.x == self.m.nope', want: '<nil>: Invalid value: "object": no such key: nope evaluating rule: self.o.x == self.m.nope' },
    { rule: 'self.l[5] == "a"', want: '<nil>: Invalid value: "object": index out of bounds: 5 evaluating rule: self.l[5] == "a"' },
    { rule: 'self.l.all(x, self.m[x] == "v")', want: '<nil>: Invalid value: "object": no such key: b evaluating rule: self.l.all(x, self.m[x] == "v")' },
  ];
  for (const c of failing) {
    it(`fails: ${c.rule}`, () => assert.deepEqual(evalOne(c.rule), [c.want]));
  }

  it('absorbs errors in && and all() when another term is false', () => {
    assert.deepEqual(evalOne('self.m.nope == "x" && false'), ['<nil>: Invalid value: "object": failed rule: self.m.nope == "x" && false']);
    assert.deepEqual(evalOne('self.il.all(x, 6 / x > 100)'), ['<nil>: Invalid value: "object": failed rule: self.il.all(x, 6 / x > 100)']);
  });
});

describe('apiserver schema: CEL compilation errors', () => {
  const cases: { rule: string; want: string }[] = [
    { rule: 'self.nope == 1', want: "compilation failed: ERROR: <input>:1:5: undefined field 'nope'\n | self.nope == 1\n | ....^" },
    { rule: 'has(self.o.z)', want: "compilation failed: ERROR: <input>:1:11: undefined field 'z'\n | has(self.o.z)\n | ..........^" },
    { rule: 'foo == 1', want: "compilation failed: ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')\n | foo == 1\n | ^" },
    { rule: 'self.i == "a"', want: "compilation failed: ERROR: <input>:1:8: found no matching overload for '_==_' applied to '(int, string)'\n | self.i == \"a\"\n | .......^" },
    { rule: 'self.i.startsWith("a")', want: "compilation failed: ERROR: <input>:1:7: found no matching overload for 'startsWith' applied to 'int.(string)'\n | self.i.startsWith(\"a\")\n | ......^" },
    { rule: "[1, 'a', false].filter(x, string(x) == 'a')", want: "compilation failed: ERROR: <input>:1:5: expected type 'int' but found 'string'\n | [1, 'a', false].filter(x, string(x) == 'a')\n | ....^\nERROR: <input>:1:10: expected type 'int' but found 'bool'\n | [1, 'a', false].filter(x, string(x) == 'a')\n | .........^" },
    { rule: 'self.s', want: 'cel expression must evaluate to a bool' },
    { rule: "self.o['x'] == 'y'", want: "compilation failed: ERROR: <input>:1:7: found no matching overload for '_[_]' applied to '(object.o, string)'\n | self.o['x'] == 'y'\n | ......^" },
    { rule: 'isURL(self.s)', want: "compilation failed: ERROR: <input>:1:1: function 'isURL' is part of Kubernetes' CEL environment but is not supported by this API server\n | isURL(self.s)\n | ^" },
    { rule: "quantity('1Gi').isLessThan(quantity('2Gi'))", want: "compilation failed: ERROR: <input>:1:16: function 'isLessThan' is part of Kubernetes' CEL environment but is not supported by this API server\n | quantity('1Gi').isLessThan(quantity('2Gi'))\n | ...............^" },
    { rule: 'self.s == null', want: "compilation failed: ERROR: <input>:1:8: found no matching overload for '_==_' applied to '(string, null)'\n | self.s == null\n | .......^" },
    { rule: 'has(self.o.namespace)', want: "compilation failed: ERROR: <input>:1:11: undefined field 'namespace'\n | has(self.o.namespace)\n | ..........^" },
  ];
  for (const c of cases) {
    it(c.rule, () => assert.equal(compileError(c.rule), c.want));
  }

  it('reports syntax errors', () => {
    assert.match(compileError('self.i ==') ?? '', /^compilation failed: ERROR: <input>:1:10: Syntax error: /);
  });
});

describe('apiserver schema: CEL rules of the ContainerAttach CRD', () => {
  const cv = compileCrdVersion(fixtureCrd(), 'v1alpha1');
  const obj = (spec: Record<string, unknown>) => ({ apiVersion: 'lxcattach.io/v1alpha1', kind: 'ContainerAttach', metadata: { name: 'a', namespace: 'd' }, spec });

  it('accepts a valid object on create (transition rule skipped without old)', () => {
    assert.deepEqual(cv.validate(obj({ container: 'web1', env: { set: ['A=1', 'B'] } })), { errors: [], warnings: [] });
  });
  it('rejects env entries that are not VAR or VAR=VALUE', () => {
    assert.deepEqual(cv.validate(obj({ container: 'web1', env: { set: ['1A=x'] } })).errors.map(fieldErrorString), ['spec.env.set: Invalid value: "array": each entry must be VAR or VAR=VALUE']);
  });
  it('rejects selinuxContext with elevated LSM', () => {
    assert.deepEqual(cv.validate(obj({ container: 'web1', selinuxContext: 'x', elevatedPrivileges: ['LSM'] })).errors.map(fieldErrorString),
      ['spec: Invalid value: "object": selinuxContext cannot be combined with elevated LSM']);
  });
  it('keeps spec immutable (self == oldSelf)', () => {
    const old = obj({ container: 'web1' });
    assert.deepEqual(cv.validate(obj({ container: 'web2' }), old).errors.map(fieldErrorString), ['spec: Invalid value: "object": spec is immutable']);
    assert.deepEqual(cv.validate(obj({ container: 'web1' }), old).errors, []);
  });
  it('does not run CEL when the schema found blocking errors', () => {
    assert.deepEqual(cv.validate(obj({ container: 'web1', arch: 'sparc', selinuxContext: 'x', elevatedPrivileges: ['LSM'] })).errors.map(fieldErrorString), [
      'spec.arch: Unsupported value: "sparc": supported values: "x86", "x86_64", "arm64"',
      '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
  });
  it('ratchets unchanged violations into warnings', () => {
    const bad = obj({ container: 'web1', env: { set: ['1A'] } });
    const r = cv.validate(bad, bad);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, ['spec.env.set: Invalid value: "array": each entry must be VAR or VAR=VALUE']);
  });
});

describe('apiserver schema: CEL rule options', () => {
  const withRule = (rule: Record<string, unknown>, s: JSONSchemaProps = { type: 'object', properties: { x: { type: 'integer' }, y: { type: 'object', properties: { z: { type: 'string' } } } } }) => {
    const schema: JSONSchemaProps = { type: 'object', properties: { spec: { ...s, 'x-kubernetes-validations': [rule as never] } } };
    return compileCelRules(schema);
  };
  const run = (rule: Record<string, unknown>, spec: unknown, old?: unknown) =>
    celValidate(withRule(rule), { spec }, old === undefined ? undefined : { spec: old }).errors.map(fieldErrorString);

  it('reason FieldValueForbidden', () => assert.deepEqual(run({ rule: 'self.x < 5', message: 'too big', reason: 'FieldValueForbidden' }, { x: 9 }), ['spec: Forbidden: too big']));
  it('reason FieldValueRequired', () => assert.deepEqual(run({ rule: 'has(self.y)', message: 'y is needed', reason: 'FieldValueRequired' }, { x: 9 }), ['spec: Required value: y is needed']));
  it('reason FieldValueDuplicate', () => assert.deepEqual(run({ rule: 'false', reason: 'FieldValueDuplicate' }, { x: 9 }), ['spec: Duplicate value: "object"']));
  it('fieldPath re-roots the error', () => assert.deepEqual(run({ rule: 'self.y.z != "bad"', fieldPath: '.y.z' }, { y: { z: 'bad' } }), ['spec.y.z: Invalid value: "object": failed rule: self.y.z != "bad"']));
  it('messageExpression', () => assert.deepEqual(run({ rule: 'self.x < 5', messageExpression: "'x is ' + string(self.x)" }, { x: 9 }), ['spec: Invalid value: "object": x is 9']));
  it('transition rule runs only on update', () => {
    assert.deepEqual(run({ rule: 'self.x >= oldSelf.x', message: 'x may not decrease' }, { x: 1 }), []);
    assert.deepEqual(run({ rule: 'self.x >= oldSelf.x', message: 'x may not decrease' }, { x: 1 }, { x: 2 }), ['spec: Invalid value: "object": x may not decrease']);
  });
  it('optionalOldSelf runs on create with oldSelf absent', () => {
    const rule = { rule: '!oldSelf.hasValue() || self.x >= oldSelf.value().x', optionalOldSelf: true, message: 'no decrease' };
    assert.deepEqual(run({ ...rule, rule: 'oldSelf.hasValue()' }, { x: 1 }), ['spec: Invalid value: "object": no decrease']);
    assert.deepEqual(run(rule, { x: 1 }, { x: 2 }), ['spec: Invalid value: "object": no decrease']);
  });
  it('runs rules of list items with their index in the path', () => {
    const schema: JSONSchemaProps = { type: 'object', properties: { l: { type: 'array', items: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self > 0' }] } } } };
    assert.deepEqual(celValidate(compileCelRules(schema), { l: [1, 0, 2] }, undefined).errors.map(fieldErrorString), ['l[1]: Invalid value: "integer": failed rule: self > 0']);
  });
});
