// decodeProtobufBody: the bytes the real kubectl 1.32 sends as application/vnd.kubernetes.protobuf
// (captured live through a mock of the server side, see capture-server.ts), hand-built messages for
// the fields kubectl's generators never set, and malformed input.
import assert from 'node:assert/strict';
import { ProtobufDecodeError, decodeProtobufBody } from '../../../apiserver/src/builtins/index.js';
import { CaptureServer } from './capture-server.js';

// ---- a minimal protobuf writer for hand-built messages (field numbers from k8s.io generated.proto)
type Part = Buffer;
function varint(value: bigint | number): Buffer {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? b | 0x80 : b);
  } while (v > 0n);
  return Buffer.from(out);
}
const tag = (field: number, wire: number): Buffer => varint((field << 3) | wire);
const len = (field: number, ...parts: Part[]): Part => {
  const body = Buffer.concat(parts);
  return Buffer.concat([tag(field, 2), varint(body.length), body]);
};
const str = (field: number, s: string): Part => len(field, Buffer.from(s, 'utf8'));
const num = (field: number, n: bigint | number): Part => Buffer.concat([tag(field, 0), varint(n)]);
const entry = (field: number, key: string, value: Part): Part => len(field, str(1, key), value);
const timestamp = (field: number, seconds: number, nanos = 0): Part => len(field, num(1, seconds), ...(nanos ? [num(2, nanos)] : []));
function envelope(apiVersion: string, kind: string, ...raw: Part[]): Buffer {
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), len(1, str(1, apiVersion), str(2, kind)), len(2, ...raw), str(3, ''), str(4, '')]);
}

const SECRET = { group: '', version: 'v1', kind: 'Secret' };

describe('builtins: protobuf request bodies from the real kubectl 1.32', function () {
  this.timeout(60_000);
  const server = new CaptureServer();
  before(() => server.start());
  after(() => server.stop());

  /** the protobuf body of `kubectl <args>` and, when it prints one, its --dry-run=client -o json object */
  async function sent(args: string[], expectedKind: { group: string; version: string; kind: string }, withDryRun = true) {
    await server.kubectl(...args);
    const post = server.lastPost();
    assert.equal(post.contentType, 'application/vnd.kubernetes.protobuf');
    const decoded = decodeProtobufBody(post.body, expectedKind);
    const json = withDryRun ? JSON.parse(await server.kubectl(...args, '--dry-run=client', '-o', 'json')) as unknown : undefined;
    return { post, decoded, json };
  }

  it('create secret generic: the same object a JSON client sends', async () => {
    const { post, decoded, json } = await sent(['create', 'secret', 'generic', 's1', '-n', 'default', '--from-literal=a=b',
      '--from-literal=empty=', '--from-literal=x.y=ü', '--type=example.com/t', '--save-config'], SECRET);
    assert.equal(post.url, '/api/v1/namespaces/default/secrets');
    assert.deepEqual(decoded, json);
    const meta = decoded['metadata'] as Record<string, unknown>;
    assert.equal(meta['name'], 's1');
    assert.ok(String((meta['annotations'] as Record<string, string>)['kubectl.kubernetes.io/last-applied-configuration']).includes('"x.y":"w7w="'));
    assert.deepEqual(decoded['data'], { a: 'Yg==', empty: '', 'x.y': 'w7w=' });
    assert.equal(decoded['type'], 'example.com/t');
  });

  it('create secret docker-registry: JSON-in-base64 data and the type', async () => {
    const { decoded, json } = await sent(['create', 'secret', 'docker-registry', 'reg', '-n', 'default', '--docker-server=r.example',
      '--docker-username=u', '--docker-password=p'], SECRET);
    assert.deepEqual(decoded, json);
    assert.equal(decoded['type'], 'kubernetes.io/dockerconfigjson');
    const config = JSON.parse(Buffer.from(String((decoded['data'] as Record<string, string>)['.dockerconfigjson']), 'base64').toString('utf8')) as { auths: Record<string, unknown> };
    assert.deepEqual(Object.keys(config.auths), ['r.example']);
  });

  it('create namespace: empty spec and status, creationTimestamp null', async () => {
    const { post, decoded, json } = await sent(['create', 'namespace', 'team-a'], { group: '', version: 'v1', kind: 'Namespace' });
    assert.equal(post.url, '/api/v1/namespaces');
    assert.deepEqual(decoded, json);
    assert.deepEqual(decoded, { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'team-a', creationTimestamp: null }, spec: {}, status: {} });
  });

  it('auth can-i: a SelfSubjectAccessReview with resource or non-resource attributes', async () => {
    const kind = { group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview' };
    const resource = await sent(['auth', 'can-i', 'list', 'containerattaches.lxcattach.io', '-n', 'web'], kind, false);
    assert.equal(resource.post.url, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews');
    assert.deepEqual(resource.decoded, {
      kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null },
      spec: { resourceAttributes: { namespace: 'web', verb: 'list', group: 'lxcattach.io', resource: 'containerattaches' } },
      status: { allowed: false },
    });
    const path = await sent(['auth', 'can-i', 'get', '/healthz'], kind, false);
    assert.deepEqual(path.decoded['spec'], { nonResourceAttributes: { path: '/healthz', verb: 'get' } });
  });

  it('create token: a TokenRequest with pointer fields null or set', async () => {
    const kind = { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' };
    const bare = await sent(['create', 'token', 'sa', '-n', 'default'], kind, false);
    assert.equal(bare.post.url, '/api/v1/namespaces/default/serviceaccounts/sa/token');
    assert.deepEqual(bare.decoded, {
      kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null },
      spec: { audiences: null, expirationSeconds: null, boundObjectRef: null }, status: { token: '', expirationTimestamp: null },
    });
    const bound = await sent(['create', 'token', 'sa', '-n', 'default', '--audience', 'a', '--audience', 'b', '--duration', '10m',
      '--bound-object-kind', 'Secret', '--bound-object-name', 'sec', '--bound-object-uid', 'u-1'], kind, false);
    assert.deepEqual(bound.decoded['spec'], {
      audiences: ['a', 'b'], expirationSeconds: 600, boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'sec', uid: 'u-1' },
    });
  });
});

describe('builtins: protobuf messages kubectl never builds', () => {
  it('decodes ObjectMeta in full: labels, annotations, ownerReferences, finalizers, generateName, times', () => {
    const ownerRef = (uid: string, controller?: boolean) => len(13, str(1, 'ConfigMap'), str(3, `cm-${uid}`), str(4, uid), str(5, 'v1'),
      ...(controller === undefined ? [] : [num(6, controller ? 1 : 0), num(7, 0)]));
    const meta = len(1, str(1, ''), str(2, 'gen-'), str(3, 'default'), str(5, 'uid-1'), num(7, 3), timestamp(8, 1735689600, 999_999_999),
      timestamp(9, 1735689601), num(10, 30), entry(11, 'b', str(2, '2')), entry(11, 'a', str(2, '1')), entry(12, 'note', str(2, 'x')),
      ownerRef('u1', true), ownerRef('u2'), str(14, 'example.com/f'), str(14, 'kubernetes'));
    const body = envelope('v1', 'Secret', meta, num(5, 0), entry(2, 'k', len(2, Buffer.from([0, 255]))), entry(4, 's', str(2, 'plain')), str(3, 'Opaque'));
    assert.deepEqual(decodeProtobufBody(body, SECRET), {
      kind: 'Secret', apiVersion: 'v1',
      metadata: {
        generateName: 'gen-', namespace: 'default', uid: 'uid-1', generation: 3,
        creationTimestamp: '2025-01-01T00:00:00Z', deletionTimestamp: '2025-01-01T00:00:01Z', deletionGracePeriodSeconds: 30,
        labels: { a: '1', b: '2' }, annotations: { note: 'x' },
        ownerReferences: [
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm-u1', uid: 'u1', controller: true, blockOwnerDeletion: false },
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm-u2', uid: 'u2' },
        ],
        finalizers: ['example.com/f', 'kubernetes'],
      },
      immutable: false, data: { k: 'AP8=' }, stringData: { s: 'plain' }, type: 'Opaque',
    });
  });

  it('decodes a Lease: pointer fields keep zero values, MicroTime keeps microseconds', () => {
    const spec = len(2, str(1, ''), num(2, 15), timestamp(3, 1735689600, 123_456_789), timestamp(4, 1735689600), num(5, 0));
    assert.deepEqual(decodeProtobufBody(envelope('coordination.k8s.io/v1', 'Lease', len(1, str(1, 'l')), spec), { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' }), {
      kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', metadata: { name: 'l', creationTimestamp: null },
      spec: { holderIdentity: '', leaseDurationSeconds: 15, acquireTime: '2025-01-01T00:00:00.123456Z', renewTime: '2025-01-01T00:00:00.000000Z', leaseTransitions: 0 },
    });
  });

  it('decodes Events of both groups, negative int32s included', () => {
    const core = decodeProtobufBody(envelope('v1', 'Event', len(1, str(1, 'e')), len(2, str(1, 'Pod'), str(3, 'p')), str(3, 'R'),
      num(8, -2), len(11, num(1, 4), timestamp(2, 1735689600, 5000)), str(14, 'ctl')), { group: '', version: 'v1', kind: 'Event' });
    assert.deepEqual(core, {
      kind: 'Event', apiVersion: 'v1', metadata: { name: 'e', creationTimestamp: null }, involvedObject: { kind: 'Pod', name: 'p' },
      reason: 'R', source: {}, firstTimestamp: null, lastTimestamp: null, count: -2, eventTime: null,
      series: { count: 4, lastObservedTime: '2025-01-01T00:00:00.000005Z' }, reportingComponent: 'ctl', reportingInstance: '',
    });
    const events = decodeProtobufBody(envelope('events.k8s.io/v1', 'Event', len(1, str(1, 'e')), timestamp(2, 1735689600), str(4, 'ctl'),
      len(8, str(1, 'Node')), str(10, 'note')), { group: 'events.k8s.io', version: 'v1', kind: 'Event' });
    assert.deepEqual(events, {
      kind: 'Event', apiVersion: 'events.k8s.io/v1', metadata: { name: 'e', creationTimestamp: null },
      eventTime: '2025-01-01T00:00:00.000000Z', reportingController: 'ctl', regarding: { kind: 'Node' }, note: 'note',
      deprecatedSource: {}, deprecatedFirstTimestamp: null, deprecatedLastTimestamp: null,
    });
  });

  it('decodes SubjectAccessReview extra (ExtraValue) and merges a repeated message field', () => {
    // spec arrives in two pieces; the generated code merges the second into the first
    const spec = [len(2, str(3, 'bob'), str(4, 'dev'), entry(5, 'scopes', len(2, str(1, 'a'), str(1, 'b')))), len(2, str(6, 'uid-7'))];
    const out = decodeProtobufBody(envelope('authorization.k8s.io/v1', 'SubjectAccessReview', ...spec), { group: 'authorization.k8s.io', version: 'v1', kind: 'SubjectAccessReview' });
    assert.deepEqual(out['spec'], { user: 'bob', groups: ['dev'], extra: { scopes: ['a', 'b'] }, uid: 'uid-7' });
  });

  it('skips fields it does not know, of every wire type', () => {
    const unknown = Buffer.concat([num(99, 5), Buffer.concat([tag(98, 1), Buffer.alloc(8)]), Buffer.concat([tag(97, 5), Buffer.alloc(4)]),
      str(96, 'x'), tag(95, 3), num(1, 1), tag(95, 4)]);
    const out = decodeProtobufBody(envelope('v1', 'Namespace', unknown, len(1, str(1, 'n'), unknown)), { group: '', version: 'v1', kind: 'Namespace' });
    assert.deepEqual(out, { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'n', creationTimestamp: null }, spec: {}, status: {} });
  });

  it('takes kind and version from the request when the envelope has none', () => {
    const body = Buffer.concat([Buffer.from('k8s\0', 'latin1'), len(2, len(1, str(1, 'x')))]);
    assert.deepEqual(decodeProtobufBody(body, { group: '', version: 'v1', kind: 'Namespace' })['metadata'], { name: 'x', creationTimestamp: null });
  });
});

describe('builtins: malformed protobuf bodies', () => {
  const magic = Buffer.from('k8s\0', 'latin1');
  const cases: Array<[string, Buffer, string]> = [
    ['an empty body', Buffer.alloc(0), 'empty data'],
    ['JSON instead', Buffer.from('{"kind":"Secret"}'), 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]'],
    ['the magic alone', magic, 'empty body'],
    ['a truncated envelope', Buffer.concat([magic, Buffer.from([0x0a, 0x10, 0x0a])]), 'unexpected EOF'],
    ['a varint that never ends', Buffer.concat([magic, Buffer.alloc(11, 0xff)]), 'proto: integer overflow'],
    ['field number zero', Buffer.concat([magic, Buffer.from([0x02, 0x00])]), 'proto: Unknown: illegal tag 0 (wire type 2)'],
    ['an end group out of place', Buffer.concat([magic, Buffer.from([0x0c])]), 'proto: Unknown: wiretype end group for non-group'],
    ['a varint where the envelope has bytes', Buffer.concat([magic, Buffer.from([0x10, 0x01])]), 'proto: wrong wireType = 0 for field Raw'],
    ['a string where a Secret has a bool', envelope('v1', 'Secret', str(5, 'yes')), 'proto: wrong wireType = 2 for field Immutable'],
    ['a varint where ObjectMeta has a name', envelope('v1', 'Secret', len(1, num(1, 7))), 'proto: wrong wireType = 0 for field Name'],
    ['a length past the end', envelope('v1', 'Secret', Buffer.from([0x0a, 0x05, 0x0a])), 'unexpected EOF'],
    ['a negative length', envelope('v1', 'Secret', Buffer.concat([tag(3, 2), varint(-1n)])), 'proto: negative length found during unmarshaling'],
    ['an illegal wire type in an unknown field', envelope('v1', 'Secret', Buffer.from([0x7e])), 'proto: illegal wireType 6'],
    ['a kind the server does not have', envelope('v1', 'Pod'), 'no kind "Pod" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"'],
  ];
  for (const [name, body, message] of cases) {
    it(`refuses ${name}: ${message}`, () => {
      assert.throws(() => decodeProtobufBody(body, SECRET), (err: unknown) => {
        assert.ok(err instanceof ProtobufDecodeError, String(err));
        assert.equal(err.message, message);
        assert.equal(err.code, 'PROTOBUF_DECODE');
        return true;
      });
    });
  }

  it('names the kind it was decoding, for the "cannot be handled as" answer', () => {
    try {
      decodeProtobufBody(envelope('v1', 'Secret', str(5, 'yes')), SECRET);
      assert.fail('expected an error');
    } catch (err) {
      assert.ok(err instanceof ProtobufDecodeError);
      assert.deepEqual(err.gvk, { group: '', version: 'v1', kind: 'Secret' });
    }
  });
});
