// Field error rendering and the 422 Status, against strings a real kube-apiserver prints.
import assert from 'node:assert/strict';
import { fe, fieldErrorString, invalidStatus, type FieldError } from '../../../apiserver/src/schema/index.js';
import { GoLiteral, goFloat, goQuote } from '../../../apiserver/src/schema/go-format.js';

describe('apiserver schema: field errors', () => {
  const cases: { name: string; err: FieldError; want: string }[] = [
    { name: 'required', err: fe.required('spec.x'), want: 'spec.x: Required value' },
    { name: 'required with detail', err: fe.required('metadata.name', 'name or generateName is required'), want: 'metadata.name: Required value: name or generateName is required' },
    { name: 'not supported', err: fe.notSupported('spec.x', 'q', ['a', 'b']), want: 'spec.x: Unsupported value: "q": supported values: "a", "b"' },
    { name: 'type invalid', err: fe.typeInvalid('spec.x', 'string', 'spec.x in body must be of type integer: "string"'), want: 'spec.x: Invalid value: "string": spec.x in body must be of type integer: "string"' },
    { name: 'too long', err: fe.tooLong('spec.x', 5), want: 'spec.x: Too long: may not be more than 5 bytes' },
    { name: 'too many', err: fe.tooMany('spec.x', 3, 2), want: 'spec.x: Too many: 3: must have at most 2 items' },
    { name: 'duplicate map', err: fe.duplicate('status.conditions[1]', { type: 'Ready' }), want: 'status.conditions[1]: Duplicate value: map[string]interface {}{"type":"Ready"}' },
    { name: 'duplicate scalar', err: fe.duplicate('spec.l[1]', 'a'), want: 'spec.l[1]: Duplicate value: "a"' },
    { name: 'forbidden', err: fe.forbidden('metadata.namespace', 'not allowed on this type'), want: 'metadata.namespace: Forbidden: not allowed on this type' },
    { name: 'invalid int', err: fe.invalid('spec.uid', 4294967295, 'spec.uid in body should be less than or equal to 4.294967294e+09'), want: 'spec.uid: Invalid value: 4294967295: spec.uid in body should be less than or equal to 4.294967294e+09' },
    { name: 'invalid null', err: fe.invalid('<nil>', null, 'x'), want: '<nil>: Invalid value: "null": x' },
    { name: 'invalid go literal', err: fe.invalid('f', new GoLiteral('[]string{"a"}'), 'd'), want: 'f: Invalid value: []string{"a"}: d' },
    { name: 'invalid list', err: fe.invalid('f', ['a', 1], 'd'), want: 'f: Invalid value: []interface {}{"a", 1}: d' },
    { name: 'internal', err: fe.internal('f', 'boom'), want: 'f: Internal error: boom' },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(fieldErrorString(c.err), c.want));
  }

  it('formats floats like Go %v', () => {
    const floats: [number, string][] = [[4294967294, '4.294967294e+09'], [100000, '100000'], [1e6, '1e+06'], [1.5, '1.5'], [0.0001, '0.0001'], [0.00001, '1e-05'], [0, '0'], [-2, '-2']];
    for (const [f, want] of floats) assert.equal(goFloat(f), want, String(f));
  });

  it('quotes like strconv.Quote', () => {
    assert.equal(goQuote('a"b\\c\n\u0001é'), '"a\\"b\\\\c\\n\\x01é"');
  });

  it('builds the 422 Status with one error', () => {
    const s = invalidStatus('lxcattach.io', 'ContainerAttach', 'x', [fe.required('spec.container')]);
    assert.deepEqual(s, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'ContainerAttach.lxcattach.io "x" is invalid: spec.container: Required value',
      reason: 'Invalid',
      details: { name: 'x', group: 'lxcattach.io', kind: 'ContainerAttach', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.container' }] },
      code: 422,
    });
  });

  it('aggregates several errors in brackets and drops duplicates from the message only', () => {
    const errs = [fe.required('spec.a'), fe.notSupported('spec.b', 'q', ['x']), fe.required('spec.a')];
    const s = invalidStatus('lxcattach.io', 'ContainerAttach', 'x', errs);
    assert.equal(s.message, 'ContainerAttach.lxcattach.io "x" is invalid: [spec.a: Required value, spec.b: Unsupported value: "q": supported values: "x"]');
    assert.equal(s.details?.causes?.length, 3);
  });

  it('names a core kind without a group', () => {
    assert.equal(invalidStatus('', 'Secret', 's', [fe.required('data')]).message, 'Secret "s" is invalid: data: Required value');
  });
});
