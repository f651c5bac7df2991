// normalize and unknownFields: the JSON a Go server stores and prints for an object (its Go type's
// encoding/json rules), and what its strict decoder reports or refuses.
import assert from 'node:assert/strict';
import { BuiltinDecodeError, findBuiltinKind } from '../../../apiserver/src/builtins/index.js';
import { decodeGoBase64 } from '../../../apiserver/src/builtins/go-schema/go-json.js';
import { formatGoTime, parseGoTime } from '../../../apiserver/src/builtins/go-schema/go-time.js';

const secret = findBuiltinKind('', 'v1', 'secrets')!;
const event = findBuiltinKind('', 'v1', 'events')!;
const eventsEvent = findBuiltinKind('events.k8s.io', 'v1', 'events')!;
const lease = findBuiltinKind('coordination.k8s.io', 'v1', 'leases')!;
const namespace = findBuiltinKind('', 'v1', 'namespaces')!;

function decodeError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof BuiltinDecodeError) return err.message;
    throw err;
  }
  return assert.fail('expected a decode error');
}

describe('builtins: normalize (the JSON a Go server writes)', () => {
  it('orders fields as the Go structs do, drops unknown and empty omitempty fields', () => {
    const out = secret.normalize({
      type: 'Opaque', data: { z: 'eg==', a: 'YQ==' }, stringData: {}, bogus: 1,
      metadata: { labels: {}, namespace: 'd', name: 's', generation: 0, uid: '' }, apiVersion: 'v1', kind: 'Secret',
    });
    assert.equal(JSON.stringify(out), '{"kind":"Secret","apiVersion":"v1","metadata":{"name":"s","namespace":"d","creationTimestamp":null},"data":{"a":"YQ==","z":"eg=="},"type":"Opaque"}');
  });

  it('writes the fields a core/v1 Event always carries', () => {
    assert.deepEqual(event.normalize({ metadata: { name: 'e' } }), {
      metadata: { name: 'e', creationTimestamp: null }, involvedObject: {}, source: {},
      firstTimestamp: null, lastTimestamp: null, eventTime: null, reportingComponent: '', reportingInstance: '',
    });
    assert.deepEqual(eventsEvent.normalize({ metadata: { name: 'e' } }), {
      metadata: { name: 'e', creationTimestamp: null }, eventTime: null, regarding: {}, deprecatedSource: {},
      deprecatedFirstTimestamp: null, deprecatedLastTimestamp: null,
    });
  });

  it('normalises times: Time to whole seconds in UTC, MicroTime to six digits', () => {
    const out = event.normalize({ metadata: { creationTimestamp: '2025-01-01T02:00:00.75+02:00' }, eventTime: '2025-01-01T02:00:00.123456+01:00' });
    assert.equal((out['metadata'] as Record<string, unknown>)['creationTimestamp'], '2025-01-01T00:00:00Z');
    assert.equal(out['eventTime'], '2025-01-01T01:00:00.123456Z');
  });

  it('keeps pointer fields that hold zero values, and empty non-omitempty lists', () => {
    const out = lease.normalize({ metadata: { name: 'l' }, spec: { holderIdentity: '', leaseTransitions: 0, acquireTime: null } });
    assert.deepEqual(out['spec'], { holderIdentity: '', leaseTransitions: 0 });
    assert.deepEqual(namespace.normalize({ spec: { finalizers: [] } })['spec'], {});
  });

  const refused: Array<[string, () => unknown, string]> = [
    ['a number where a string goes', () => secret.normalize({ metadata: { name: 1 } }),
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string'],
    ['a label that is not a string', () => secret.normalize({ metadata: { labels: { a: true } } }),
      'json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string'],
    ['a fraction in an int32', () => lease.normalize({ spec: { leaseDurationSeconds: 1.5 } }),
      'json: cannot unmarshal number 1.5 into Go struct field LeaseSpec.spec.leaseDurationSeconds of type int32'],
    ['secret data that is not base64', () => secret.normalize({ data: { a: 'not base64!' } }), 'illegal base64 data at input byte 3'],
    ['a MicroTime without microseconds', () => lease.normalize({ spec: { renewTime: '2025-01-01T00:00:00Z' } }),
      'parsing time "2025-01-01T00:00:00Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"'],
    ['a Time that is not a date', () => secret.normalize({ metadata: { creationTimestamp: 'yesterday' } }),
      'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"'],
    ['a list for an object', () => secret.normalize({ metadata: [] }),
      'json: cannot unmarshal array into Go struct field Secret.metadata of type v1.ObjectMeta'],
  ];
  for (const [name, fn, message] of refused) {
    it(`refuses ${name} as the decoder does`, () => assert.equal(decodeError(fn), message));
  }
});

describe('builtins: unknownFields (strict decoding)', () => {
  it('names unknown fields by their JSON path, case-sensitively', () => {
    assert.deepEqual(secret.unknownFields({ metadata: { Name: 'x', labels: { any: 'ok' } }, spec: {}, data: {} }), ['metadata.Name', 'spec']);
    assert.deepEqual(event.unknownFields({ metadata: { ownerReferences: [{ uid: 'u', extra: 1 }] }, involvedObject: { bogus: 1 } }), [
      'metadata.ownerReferences[0].extra', 'involvedObject.bogus',
    ]);
    assert.deepEqual(lease.unknownFields({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', spec: { holderIdentity: 'x' } }), []);
  });
});

describe('builtins: Go base64 and time parsing', () => {
  it('decodes base64 like encoding/base64 StdEncoding, with its error offsets', () => {
    const table: Array<[string, string]> = [
      ['aGVsbG8=', 'hello'], ['aGVs\nbG8=', 'hello'], ['', ''],
      ['abc', 'illegal base64 data at input byte 0'], ['abcde', 'illegal base64 data at input byte 4'],
      ['a=bc', 'illegal base64 data at input byte 1'], ['ab=c', 'illegal base64 data at input byte 2'],
      ['ab==x', 'illegal base64 data at input byte 4'], ['ab=', 'illegal base64 data at input byte 3'],
      ['a*bc', 'illegal base64 data at input byte 1'],
    ];
    for (const [input, expected] of table) {
      const got = decodeGoBase64(input);
      assert.equal(typeof got === 'string' ? got : got.toString('utf8'), expected, input);
    }
  });

  it('parses RFC 3339 like time.Parse', () => {
    assert.equal(formatGoTime(parseGoTime('2024-02-29T23:59:59-01:30', false), false), '2024-03-01T01:29:59Z');
    const errors: Array<[string, boolean, string]> = [
      ['2025-13-01T00:00:00Z', false, 'parsing time "2025-13-01T00:00:00Z": month out of range'],
      ['2025-02-30T00:00:00Z', false, 'parsing time "2025-02-30T00:00:00Z": day out of range'],
      ['2025-01-01', false, 'parsing time "2025-01-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"'],
      ['2025-01-01T00:00:00Zjunk', false, 'parsing time "2025-01-01T00:00:00Zjunk": extra text: "junk"'],
      ['2025-01-01T00:00:00.1234567Z', true, 'parsing time "2025-01-01T00:00:00.1234567Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "7Z" as "Z07:00"'],
    ];
    for (const [input, micro, message] of errors) assert.throws(() => parseGoTime(input, micro), { message }, input);
  });
});
