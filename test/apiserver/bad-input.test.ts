// Bad requests get the Status a real server sends, and the server keeps serving after each.
import assert from 'node:assert/strict';
import { request, startServerWithFixtureCrd, type RawResponse, type TestServer } from './harness.js';

const CAS = '/apis/lxcattach.io/v1alpha1/namespaces/default/containerattaches';
const SECRETS = '/api/v1/namespaces/default/secrets';
const json = { 'Content-Type': 'application/json' };

interface Case {
  name: string;
  method: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  token?: string | null;
  code: number;
  reason?: string;
  message?: string | RegExp;
  text?: string;
}

const cases: Case[] = [
  { name: 'malformed JSON (CR)', method: 'POST', path: CAS, headers: json, body: '{"apiVersion":', code: 400, reason: 'BadRequest',
    message: 'the object provided is unrecognized (must be of type ContainerAttach): couldn\'t get version/kind; json parse error: unexpected end of JSON input ({"apiVersion":)' },
  { name: 'malformed JSON (Secret)', method: 'POST', path: SECRETS, headers: json, body: '{"kind": x}', code: 400, reason: 'BadRequest',
    message: 'the object provided is unrecognized (must be of type Secret): couldn\'t get version/kind; json parse error: invalid character \'x\' looking for beginning of value ({"kind": x})' },
  { name: 'malformed YAML', method: 'POST', path: SECRETS, headers: { 'Content-Type': 'application/yaml' }, body: 'kind: Secret\n  bad: [1,\n', code: 400, reason: 'BadRequest',
    message: /^the object provided is unrecognized \(must be of type Secret\): error converting YAML to JSON: yaml: line \d+: / },
  { name: 'a JSON array', method: 'POST', path: SECRETS, headers: json, body: '[]', code: 400, reason: 'BadRequest',
    message: /^the object provided is unrecognized \(must be of type Secret\): couldn't get version\/kind; json parse error: json: cannot unmarshal array into Go value of type struct/ },
  { name: 'duplicate keys with fieldValidation=Strict', method: 'POST', path: `${CAS}?fieldValidation=Strict`, headers: json,
    body: '{"apiVersion":"lxcattach.io/v1alpha1","kind":"ContainerAttach","metadata":{"name":"d1"},"spec":{"container":"a","container":"b"}}',
    code: 400, reason: 'BadRequest', message: 'ContainerAttach in version "v1alpha1" cannot be handled as a ContainerAttach: strict decoding error: duplicate field "spec.container"' },
  { name: 'an unknown fieldValidation value', method: 'POST', path: `${CAS}?fieldValidation=Loose`, headers: json, body: '{}', code: 422, reason: 'Invalid',
    message: 'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loose": supported values: "", "Ignore", "Strict", "Warn"' },
  { name: 'dryRun other than All', method: 'POST', path: `${CAS}?dryRun=Some`, headers: json, body: '{}', code: 422, reason: 'Invalid',
    message: 'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Some"}: supported values: "All"' },
  { name: 'a wrong Content-Type on a CR', method: 'POST', path: CAS, headers: { 'Content-Type': 'text/plain' }, body: 'x', code: 415, reason: 'UnsupportedMediaType',
    message: 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml' },
  { name: 'protobuf on a CR', method: 'POST', path: CAS, headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' }, body: Buffer.from('k8s\0'), code: 415, reason: 'UnsupportedMediaType',
    message: 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml' },
  { name: 'a wrong Content-Type on a Secret', method: 'POST', path: SECRETS, headers: { 'Content-Type': 'text/plain' }, body: 'x', code: 415, reason: 'UnsupportedMediaType',
    message: 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf' },
  { name: 'a patch with application/json', method: 'PATCH', path: `${CAS}/x`, headers: json, body: '{}', code: 415, reason: 'UnsupportedMediaType',
    message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml' },
  { name: 'server-side apply without fieldManager', method: 'PATCH', path: `${CAS}/x`, headers: { 'Content-Type': 'application/apply-patch+yaml' }, body: '{}', code: 422,
    reason: 'Invalid', message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch' },
  { name: 'server-side apply of another kind', method: 'PATCH', path: `${CAS}/x?fieldManager=m`, headers: { 'Content-Type': 'application/apply-patch+yaml' }, body: '{}', code: 400,
    reason: 'BadRequest', message: 'invalid object type: /, Kind=' },
  { name: 'a JSON patch that is an object', method: 'PATCH', path: `${CAS}/p1`, headers: { 'Content-Type': 'application/json-patch+json' }, body: '{"op":"add"}', code: 400,
    reason: 'BadRequest', message: 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp' },
  { name: 'a merge patch that is not JSON', method: 'PATCH', path: `${CAS}/p1`, headers: { 'Content-Type': 'application/merge-patch+json' }, body: '{x', code: 400,
    reason: 'BadRequest', message: "error decoding patch: invalid character 'x' looking for beginning of object key string" },
  { name: 'an oversized body', method: 'POST', path: SECRETS, headers: json, body: Buffer.alloc(3 * 1024 * 1024 + 1, 0x20), code: 413,
    reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728' },
  { name: 'only protobuf acceptable', method: 'GET', path: CAS, headers: { Accept: 'application/vnd.kubernetes.protobuf' }, code: 406, reason: 'NotAcceptable',
    message: 'only the following media types are accepted: application/json, application/yaml' },
  { name: 'a bad label selector', method: 'GET', path: `${CAS}?labelSelector=${encodeURIComponent('app in (x')}`, code: 400, reason: 'BadRequest',
    message: "unable to parse requirement: found '', expected: ',' or ')'" },
  { name: 'a bad field selector', method: 'GET', path: `${CAS}?fieldSelector=nonsense`, code: 400, reason: 'BadRequest',
    message: "invalid selector: 'nonsense'; can't understand 'nonsense'" },
  { name: 'resourceVersionMatch without resourceVersion', method: 'GET', path: `${CAS}?resourceVersionMatch=NotOlderThan`, code: 422, reason: 'Invalid',
    message: 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided' },
  { name: 'sendInitialEvents without resourceVersionMatch', method: 'GET', path: `${CAS}?watch=1&sendInitialEvents=true`, code: 422, reason: 'Invalid',
    message: 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan' },
  { name: 'an unknown subresource of a CR', method: 'GET', path: `${CAS}/p1/scale`, code: 404, reason: 'NotFound', message: 'containerattaches.lxcattach.io "p1" not found' },
  { name: 'a wrong token', method: 'GET', path: '/api', token: 'nope', code: 401, reason: 'Unauthorized', message: 'Unauthorized' },
  { name: 'a wrong token on /healthz', method: 'GET', path: '/healthz', token: 'nope', code: 401, reason: 'Unauthorized', message: 'Unauthorized' },
  { name: 'no token', method: 'GET', path: CAS, token: null, code: 401, reason: 'Unauthorized', message: 'Unauthorized' },
  { name: 'a non-bearer Authorization', method: 'GET', path: '/version', headers: { Authorization: 'Basic YTpi' }, token: null, code: 401, reason: 'Unauthorized', message: 'Unauthorized' },
  { name: 'an unknown path', method: 'GET', path: '/foo', code: 404, text: '404 page not found\n' },
  { name: 'an unknown group', method: 'GET', path: '/apis/nope.example.com/v1/things', code: 404, text: '404 page not found\n' },
  { name: 'an unknown core resource', method: 'GET', path: '/api/v1/namespaces/default/pods', code: 404, text: '404 page not found\n' },
  { name: 'a namespaced resource without namespace (create)', method: 'POST', path: '/api/v1/secrets', headers: json, body: '{}', code: 404, text: '404 page not found\n' },
  { name: 'a verb the resource lacks', method: 'GET', path: '/apis/authentication.k8s.io/v1/tokenreviews', code: 405, reason: 'MethodNotAllowed',
    message: 'list is not supported on resources of kind "tokenreviews.authentication.k8s.io"' },
];

describe('API server answers to bad input', function () {
  this.timeout(30_000);
  let s: TestServer;

  before(async () => {
    s = await startServerWithFixtureCrd();
    const r = await request(s, 'POST', CAS, { headers: json, body: JSON.stringify({ apiVersion: 'lxcattach.io/v1alpha1', kind: 'ContainerAttach', metadata: { name: 'p1' }, spec: { container: 'c' } }) });
    assert.equal(r.status, 201, r.body);
  });
  after(async () => { await s.stop(); });

  const stillServing = async () => {
    const r = await request(s, 'GET', '/readyz');
    assert.equal(r.status, 200);
    assert.equal(r.body, 'ok');
  };

  for (const c of cases) {
    it(`answers ${c.name} with ${c.code}`, async () => {
      const r: RawResponse = await request(s, c.method, c.path, { body: c.body, headers: c.headers, token: c.token });
      assert.equal(r.status, c.code, r.body);
      if (c.text !== undefined) {
        assert.equal(r.body, c.text);
        assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
      } else {
        assert.equal(r.headers['content-type'], 'application/json');
        const st = r.json<{ kind: string; apiVersion: string; status: string; reason?: string; message: string; code: number }>();
        assert.equal(st.kind, 'Status');
        assert.equal(st.apiVersion, 'v1');
        assert.equal(st.status, 'Failure');
        assert.equal(st.code, c.code);
        assert.equal(st.reason, c.reason);
        if (c.message instanceof RegExp) assert.match(st.message, c.message);
        else assert.equal(st.message, c.message);
      }
      await stillServing();
    });
  }

  it('answers anonymous health probes and warns for duplicate keys under fieldValidation=Warn', async () => {
    assert.equal((await request(s, 'GET', '/livez', { token: null })).status, 200);
    const r = await request(s, 'POST', CAS, {
      headers: json, body: '{"apiVersion":"lxcattach.io/v1alpha1","kind":"ContainerAttach","metadata":{"name":"dup"},"spec":{"container":"a","container":"b"}}',
    });
    assert.equal(r.status, 201, r.body);
    assert.equal(r.headers.warning, '299 - "duplicate field \\"spec.container\\""');
    assert.equal(r.json<{ spec: { container: string } }>().spec.container, 'b');
  });
});
