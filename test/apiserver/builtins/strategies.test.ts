// The kinds' write strategies: decode-time defaulting and conversion, PrepareForCreate/Update,
// and validation, as pkg/registry/... and pkg/apis/.../validation do them in 1.32.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureSelfSignedCertificate } from '../../../common/src/tls/self-signed-certificate.js';
import { findBuiltinKind, type BuiltinKind } from '../../../apiserver/src/builtins/index.js';
import { fieldErrorString } from '../../../apiserver/src/schema/index.js';

type Obj = Record<string, unknown>;
const kind = (group: string, plural: string): BuiltinKind => findBuiltinKind(group, 'v1', plural)!;
/** the errors as "<type> <field>: <detail>" lines, easy to compare */
const brief = (errs: Array<{ type: string; field: string; detail?: string }>): string[] => errs.map((e) => `${e.type} ${e.field}: ${e.detail ?? ''}`);

describe('builtins: Namespace strategy', () => {
  const ns = kind('', 'namespaces');

  it('creates Active with the kubernetes finalizer and the name label', () => {
    const obj: Obj = { metadata: { name: 'web', labels: { a: 'b' } }, spec: { finalizers: ['example.com/x'] }, status: { phase: 'Terminating', conditions: [{ type: 'X' }] } };
    ns.prepareForCreate(obj);
    assert.deepEqual(obj, {
      metadata: { name: 'web', labels: { a: 'b', 'kubernetes.io/metadata.name': 'web' } },
      spec: { finalizers: ['example.com/x', 'kubernetes'] },
      status: { phase: 'Active' },
    });
  });

  it('keeps spec.finalizers and status on a main-resource update, and the label in step with the name', () => {
    const old: Obj = { metadata: { name: 'web' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
    const obj: Obj = { metadata: { name: 'web', labels: { 'kubernetes.io/metadata.name': 'other' } }, spec: { finalizers: [] }, status: { phase: 'Terminating' } };
    ns.prepareForUpdate(obj, old);
    assert.deepEqual(obj, { metadata: { name: 'web', labels: { 'kubernetes.io/metadata.name': 'web' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  });

  it('sets the label for a generated name in canonicalize', () => {
    const obj: Obj = { metadata: { generateName: 'gen-' } };
    ns.prepareForCreate(obj);
    assert.equal((obj['metadata'] as Obj)['labels'], undefined);
    (obj['metadata'] as Obj)['name'] = 'gen-x7k2p';
    ns.canonicalize(obj);
    assert.deepEqual((obj['metadata'] as Obj)['labels'], { 'kubernetes.io/metadata.name': 'gen-x7k2p' });
  });

  it('validates spec.finalizers names (no index on create, indexed through /finalize)', () => {
    const obj: Obj = { metadata: { name: 'web' }, spec: { finalizers: ['kubernetes', 'bogus', 'a/b/c'] } };
    assert.deepEqual(brief(ns.validate(obj)), [
      'FieldValueInvalid spec.finalizers: name is neither a standard finalizer name nor is it fully qualified',
      "FieldValueInvalid spec.finalizers: a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]);
    const finalize = ns.subresources.find((s) => s.name === 'finalize')!;
    assert.deepEqual(brief(finalize.validateUpdate({ metadata: { name: 'web', resourceVersion: '2' }, spec: { finalizers: ['x'] } }, { metadata: { name: 'web' } })).filter((l) => l.includes('spec')), [
      'FieldValueInvalid spec.finalizers[0]: name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });

  it('allows only Active, or Terminating once deleting, through /status', () => {
    const status = ns.subresources.find((s) => s.name === 'status')!;
    const old: Obj = { metadata: { name: 'web' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
    // the store has filled in the resourceVersion by the time an update is validated
    const obj: Obj = { metadata: { name: 'web', resourceVersion: '5' }, spec: { finalizers: [] }, status: { phase: 'Terminating' } };
    status.prepareForUpdate(obj, old);
    assert.deepEqual(obj['spec'], { finalizers: ['kubernetes'] });
    assert.deepEqual(status.validateUpdate(obj, old).map((e) => [e.field, e.badValue, e.detail]), [
      ['status.Phase', 'Terminating', "may only be 'Active' if `deletionTimestamp` is empty"],
    ]);
    const deleting: Obj = { metadata: { name: 'web', resourceVersion: '5', deletionTimestamp: '2025-01-01T00:00:00Z' }, status: { phase: 'Active' } };
    assert.deepEqual(status.validateUpdate(deleting, { ...old, metadata: { name: 'web', deletionTimestamp: '2025-01-01T00:00:00Z' } }).map((e) => e.detail), [
      "may only be 'Terminating' if `deletionTimestamp` is not empty",
    ]);
    const defaulted: Obj = { metadata: { name: 'web' }, status: {} };
    status.prepareForUpdate(defaulted, old);
    assert.deepEqual(defaulted['status'], { phase: 'Active' });
  });
});

describe('builtins: Secret strategy', () => {
  const secret = kind('', 'secrets');
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  it('merges stringData into data (overwriting), never stores it, and defaults the type', () => {
    const obj: Obj = { metadata: { name: 's', namespace: 'd' }, data: { a: b64('old'), b: b64('keep') }, stringData: { a: 'new', c: 'ü' } };
    secret.prepareForCreate(obj);
    assert.deepEqual(obj, { metadata: { name: 's', namespace: 'd' }, data: { a: b64('new'), b: b64('keep'), c: b64('ü') }, type: 'Opaque' });
  });

  const meta = { name: 's', namespace: 'd' };
  const updated = { ...meta, resourceVersion: '7' };
  const cases: Array<[string, Obj, string[]]> = [
    ['bad data keys, sorted', { data: { 'bad key': '', '..x': '', ok: '' } }, [
      "FieldValueInvalid data[..x]: must not start with '..'",
      "FieldValueInvalid data[bad key]: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ]],
    ['more than 1 MiB', { data: { a: Buffer.alloc(600 * 1024).toString('base64'), b: Buffer.alloc(500 * 1024).toString('base64') } }, [
      'FieldValueTooLong data: may not be more than 1048576 bytes',
    ]],
    ['exactly 1 MiB', { data: { a: Buffer.alloc(1024 * 1024).toString('base64') } }, []],
    ['tls without keys', { type: 'kubernetes.io/tls', data: {} }, ['FieldValueRequired data[tls.crt]: ', 'FieldValueRequired data[tls.key]: ']],
    ['basic-auth with neither', { type: 'kubernetes.io/basic-auth' }, ['FieldValueRequired data[username]: ', 'FieldValueRequired data[password]: ']],
    ['basic-auth with a password only', { type: 'kubernetes.io/basic-auth', data: { password: '' } }, []],
    ['ssh-auth with an empty key', { type: 'kubernetes.io/ssh-auth', data: { 'ssh-privatekey': '' } }, ['FieldValueRequired data[ssh-privatekey]: ']],
    ['service account token without the annotation', { type: 'kubernetes.io/service-account-token' }, [
      'FieldValueRequired metadata.annotations[kubernetes.io/service-account.name]: ',
    ]],
    ['dockerconfigjson that is not JSON', { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{"auths": x}') } }, [
      "FieldValueInvalid data[.dockerconfigjson]: invalid character 'x' looking for beginning of value",
    ]],
    ['dockerconfigjson that is a list', { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('[]') } }, [
      'FieldValueInvalid data[.dockerconfigjson]: json: cannot unmarshal array into Go value of type map[string]interface {}',
    ]],
    ['dockercfg missing', { type: 'kubernetes.io/dockercfg', data: {} }, ['FieldValueRequired data[.dockercfg]: ']],
    ['an unknown type is fine', { type: 'example.com/custom' }, []],
  ];
  for (const [name, body, expected] of cases) {
    it(`validates ${name}`, () => {
      const obj: Obj = { metadata: { ...meta }, ...body };
      secret.prepareForCreate(obj);
      assert.deepEqual(brief(secret.validate(obj)), expected);
    });
  }

  it('validates ObjectMeta with the kind\'s name rule, and its update rules', () => {
    assert.deepEqual(brief(secret.validate({ metadata: { name: 'Bad_Name', namespace: 'd' } })), [
      "FieldValueInvalid metadata.name: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    const ns = kind('', 'namespaces');
    assert.deepEqual(brief(ns.validate({ metadata: { name: 'a.b' } })), ['FieldValueInvalid metadata.name: must not contain dots']);
    assert.deepEqual(brief(secret.validate({ metadata: { name: 't', namespace: 'd' } }, { metadata: meta })), [
      'FieldValueInvalid metadata.resourceVersion: must be specified for an update',
      'FieldValueInvalid metadata.name: field is immutable',
    ]);
  });

  it('redacts the contents in a bad docker config error', () => {
    const errs = secret.validate({ metadata: meta, type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64('{') } });
    assert.deepEqual(errs.map((e) => [e.badValue, e.detail]), [['<secret contents redacted>', 'unexpected end of JSON input']]);
  });

  it('keeps type and an immutable secret immutable', () => {
    const old: Obj = { metadata: meta, type: 'Opaque', immutable: true, data: { a: b64('1') } };
    const obj: Obj = { metadata: updated, type: 'kubernetes.io/tls', immutable: false, data: { a: b64('2'), 'tls.crt': '', 'tls.key': '' } };
    assert.deepEqual(brief(secret.validate(obj, old)), [
      'FieldValueInvalid type: field is immutable',
      'FieldValueForbidden immutable: field is immutable when `immutable` is set',
      'FieldValueForbidden data: field is immutable when `immutable` is set',
    ]);
    const same: Obj = { metadata: updated, type: 'Opaque', immutable: true, data: { a: b64('1') } };
    assert.deepEqual(secret.validate(same, old), []);
  });

  it('defaults a missing type to Opaque on update too, so changing from tls needs the type', () => {
    const old: Obj = { metadata: meta, type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } };
    const obj: Obj = { metadata: updated, data: { 'tls.crt': '', 'tls.key': '' } };
    secret.prepareForUpdate(obj, old);
    assert.equal(obj['type'], 'Opaque');
    assert.deepEqual(brief(secret.validate(obj, old)), ['FieldValueInvalid type: field is immutable']);
  });
});

describe('builtins: Secret TLS warning (tls.X509KeyPair)', () => {
  const secret = kind('', 'secrets');
  let dir = '';
  let a: { cert: string; key: string };
  let b: { cert: string; key: string };
  before(() => {
    // real certificates, made by the system's openssl as the standalone server makes its own
    dir = mkdtempSync(path.join(os.tmpdir(), 'builtins-tls-'));
    a = ensureSelfSignedCertificate(dir, 'a', 'a.example', ['DNS:a.example']);
    b = ensureSelfSignedCertificate(dir, 'b', 'b.example', ['DNS:b.example']);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const tls = (crt: string, key: string): Obj => ({
    metadata: { name: 't', namespace: 'd' }, type: 'kubernetes.io/tls',
    data: { 'tls.crt': Buffer.from(crt).toString('base64'), 'tls.key': Buffer.from(key).toString('base64') },
  });

  it('warns as the server does, and only for tls secrets', () => {
    assert.deepEqual(secret.warnings(tls(a.cert, a.key)), []);
    assert.deepEqual(secret.warnings(tls(a.cert, b.key)), ['tls: private key does not match public key']);
    assert.deepEqual(secret.warnings(tls(a.key, a.cert)), [
      'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched',
    ]);
    assert.deepEqual(secret.warnings(tls('', a.key)), ['tls: failed to find any PEM data in certificate input']);
    assert.deepEqual(secret.warnings(tls(a.cert, a.cert)), ['tls: found a certificate rather than a key in the PEM for the private key']);
    assert.deepEqual(secret.warnings({ ...tls(a.cert, b.key), type: 'Opaque' }), []);
  });
});

describe('builtins: Lease strategy', () => {
  const lease = kind('coordination.k8s.io', 'leases');

  it('drops the CoordinatedLeaderElection alpha fields unless the stored Lease has them', () => {
    const obj: Obj = { metadata: { name: 'l' }, spec: { holderIdentity: 'a', strategy: 'OldestEmulationVersion', preferredHolder: 'b' } };
    lease.prepareForCreate(obj);
    assert.deepEqual(obj['spec'], { holderIdentity: 'a' });
    const old: Obj = { metadata: { name: 'l' }, spec: { strategy: 'OldestEmulationVersion' } };
    const upd: Obj = { metadata: { name: 'l' }, spec: { strategy: 'OldestEmulationVersion', preferredHolder: 'b' } };
    lease.prepareForUpdate(upd, old);
    assert.deepEqual(upd['spec'], { strategy: 'OldestEmulationVersion' });
  });

  it('validates the spec numbers', () => {
    const obj: Obj = { metadata: { name: 'l', namespace: 'd' }, spec: { leaseDurationSeconds: 0, leaseTransitions: -1 } };
    assert.deepEqual(lease.validate(obj).map((e) => [e.field, e.badValue, e.detail]), [
      ['spec.leaseDurationSeconds', 0, 'must be greater than 0'],
      ['spec.leaseTransitions', -1, 'must be greater than or equal to 0'],
    ]);
  });
});

describe('builtins: Event strategies', () => {
  const core = kind('', 'events');
  const events = kind('events.k8s.io', 'events');
  const micro = '2025-01-01T00:00:00.000000Z';

  it('gives core/v1 only the legacy checks', () => {
    const cases: Array<[Obj, string[]]> = [
      [{ metadata: { name: 'e', namespace: 'ns1' }, involvedObject: { namespace: 'ns2' } }, [
        'FieldValueInvalid involvedObject.namespace: does not match event.namespace',
      ]],
      [{ metadata: { name: 'e', namespace: 'default' }, involvedObject: {} }, []],
      [{ metadata: { name: 'e', namespace: 'ns1' }, involvedObject: {} }, ['FieldValueInvalid involvedObject.namespace: does not match event.namespace']],
      [{ metadata: { name: 'NOT A DNS NAME', namespace: 'ns1' }, involvedObject: { namespace: 'ns1' } }, []],
      [{ metadata: { name: 'e', namespace: 'ns1' }, involvedObject: { namespace: 'ns1' }, eventTime: micro, reportingComponent: '', reportingInstance: '' }, [
        'FieldValueRequired reportingController: ',
        'FieldValueInvalid reportingController: name part must be non-empty',
        "FieldValueInvalid reportingController: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        'FieldValueRequired reportingInstance: ',
        'FieldValueRequired action: ',
        'FieldValueRequired reason: ',
      ]],
    ];
    for (const [obj, expected] of cases) assert.deepEqual(brief(core.validate(obj)), expected, JSON.stringify(obj));
  });

  it('gives events.k8s.io/v1 the strict checks, named by the internal fields', () => {
    const obj: Obj = {
      metadata: { name: 'e', namespace: 'ns1' }, regarding: { namespace: 'ns1' }, eventTime: micro,
      reportingController: 'example.com/ctl', reportingInstance: 'i', action: 'A', reason: 'R', note: 'x'.repeat(1025),
      type: 'Odd', series: { count: 1 }, deprecatedCount: 2, deprecatedSource: { component: 'c' },
    };
    assert.deepEqual(brief(events.validate(obj)), [
      'FieldValueInvalid message: can have at most 1024 characters',
      'FieldValueInvalid series.count: should be at least 2',
      'FieldValueRequired series.lastObservedTime: ',
      'FieldValueInvalid type: has invalid value: Odd',
      'FieldValueInvalid count: needs to be unset',
      'FieldValueInvalid source: needs to be unset',
    ]);
  });

  it('keeps events.k8s.io events immutable except for series', () => {
    const old: Obj = {
      metadata: { name: 'e', namespace: 'ns1' }, regarding: { namespace: 'ns1', name: 'p' }, eventTime: micro,
      reportingController: 'ctl', reportingInstance: 'i', action: 'A', reason: 'R', note: 'n', type: 'Normal',
    };
    const obj: Obj = { ...old, metadata: { name: 'e', namespace: 'ns1', resourceVersion: '3' }, note: 'changed', reason: 'R2', series: { count: 2, lastObservedTime: micro } };
    assert.deepEqual(brief(events.validate(obj, old)), [
      'FieldValueInvalid reason: field is immutable',
      'FieldValueInvalid message: field is immutable',
      'FieldValueInvalid reason: field is immutable',
    ]);
  });

  it('renders immutable values as the Go structs and times print', () => {
    const old: Obj = {
      metadata: { name: 'e', namespace: 'ns1' }, regarding: { namespace: 'ns1', name: 'p' }, eventTime: micro,
      reportingController: 'ctl', reportingInstance: 'i', action: 'A', reason: 'R', type: 'Normal',
    };
    const obj: Obj = { ...old, metadata: { name: 'e', namespace: 'ns1', resourceVersion: '3' }, regarding: { namespace: 'ns1', name: 'q', uid: 'u' }, eventTime: '2025-01-01T00:00:00.500000Z' };
    assert.deepEqual(events.validate(obj, old).map(fieldErrorString), [
      'involvedObject: Invalid value: core.ObjectReference{Kind:"", Namespace:"ns1", Name:"q", UID:"u", APIVersion:"", ResourceVersion:"", FieldPath:""}: field is immutable',
      'eventTime: Invalid value: "2025-01-01 00:00:00.5 +0000 UTC": field is immutable',
    ]);
  });

  it('is one storage: events.k8s.io converts to and from core/v1 events', () => {
    const storage = events.storage!;
    assert.deepEqual([storage.group, storage.version, storage.resource], ['', 'v1', 'events']);
    const v1 = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e' }, regarding: { kind: 'Pod' }, note: 'n', reportingController: 'c', deprecatedCount: 3, deprecatedSource: { host: 'h' } };
    const stored = storage.toStorage(v1);
    assert.deepEqual(stored, {
      kind: 'Event', apiVersion: 'v1', metadata: { name: 'e', creationTimestamp: null }, involvedObject: { kind: 'Pod' }, message: 'n',
      source: { host: 'h' }, firstTimestamp: null, lastTimestamp: null, count: 3, eventTime: null, reportingComponent: 'c', reportingInstance: '',
    });
    // each view is written as its own Go type writes it (reportingInstance "" is omitempty in events.k8s.io)
    assert.deepEqual(storage.fromStorage(stored), {
      kind: 'Event', apiVersion: 'events.k8s.io/v1', metadata: { name: 'e', creationTimestamp: null }, eventTime: null,
      reportingController: 'c', regarding: { kind: 'Pod' }, note: 'n', deprecatedSource: { host: 'h' },
      deprecatedFirstTimestamp: null, deprecatedLastTimestamp: null, deprecatedCount: 3,
    });
  });
});
