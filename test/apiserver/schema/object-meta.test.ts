// ObjectMeta validation (apimachinery/pkg/api/validation) with the exact messages.
import assert from 'node:assert/strict';
import { fieldErrorString, finalizerWarnings, validateObjectMeta, validateObjectMetaUpdate, coerceObjectMeta, MetadataDecodeError } from '../../../apiserver/src/schema/index.js';

const subdomainMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelMsg = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const qnameMsg = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const labelValueMsg = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('apiserver schema: ObjectMeta validation', () => {
  const cases: { name: string; meta: unknown; namespaced?: boolean; rule?: 'dns1123subdomain' | 'dns1123label' | 'path-segment'; want: string[] }[] = [
    { name: 'valid', meta: { name: 'a1', namespace: 'default' }, want: [] },
    { name: 'missing name', meta: { namespace: 'default' }, want: ['metadata.name: Required value: name or generateName is required'] },
    { name: 'bad name', meta: { name: 'A_b', namespace: 'default' }, want: [`metadata.name: Invalid value: "A_b": ${subdomainMsg}`] },
    { name: 'too long name', meta: { name: 'a'.repeat(254), namespace: 'd' }, want: [`metadata.name: Invalid value: "${'a'.repeat(254)}": must be no more than 253 characters`] },
    { name: 'dns label rule', meta: { name: 'a.b' }, namespaced: false, rule: 'dns1123label', want: ['metadata.name: Invalid value: "a.b": must not contain dots'] },
    { name: 'path segment rule', meta: { name: 'a/b' }, namespaced: false, rule: 'path-segment', want: ['metadata.name: Invalid value: "a/b": may not contain \'/\''] },
    { name: 'generateName with trailing dash is fine', meta: { generateName: 'web-', namespace: 'd' }, want: ['metadata.name: Required value: name or generateName is required'] },
    { name: 'bad generateName', meta: { generateName: 'Web-', name: 'x', namespace: 'd' }, want: [`metadata.generateName: Invalid value: "Web-": ${subdomainMsg}`] },
    { name: 'missing namespace', meta: { name: 'x' }, want: ['metadata.namespace: Required value'] },
    { name: 'bad namespace', meta: { name: 'x', namespace: 'Bad' }, want: [`metadata.namespace: Invalid value: "Bad": ${labelMsg}`] },
    { name: 'namespace on cluster kind', meta: { name: 'x', namespace: 'd' }, namespaced: false, want: ['metadata.namespace: Forbidden: not allowed on this type'] },
    { name: 'bad label key', meta: { name: 'x', namespace: 'd', labels: { '-a': 'b' } }, want: [`metadata.labels: Invalid value: "-a": ${qnameMsg}`] },
    { name: 'bad label value', meta: { name: 'x', namespace: 'd', labels: { a: 'b c' } }, want: [`metadata.labels: Invalid value: "b c": ${labelValueMsg}`] },
    { name: 'label prefix', meta: { name: 'x', namespace: 'd', labels: { 'lxcattach.io/node': 'n1' } }, want: [] },
    { name: 'empty label prefix', meta: { name: 'x', namespace: 'd', labels: { '/a': 'b' } }, want: ['metadata.labels: Invalid value: "/a": prefix part must be non-empty'] },
    { name: 'annotations too big', meta: { name: 'x', namespace: 'd', annotations: { a: 'x'.repeat(256 * 1024) } }, want: ['metadata.annotations: Too long: may not be more than 262144 bytes'] },
    { name: 'bad finalizer', meta: { name: 'x', namespace: 'd', finalizers: ['a/b/c'] }, want: ["metadata.finalizers: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"] },
    { name: 'owner reference fields', meta: { name: 'x', namespace: 'd', ownerReferences: [{}] }, want: [
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
    ] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = validateObjectMeta(c.meta, { namespaced: c.namespaced ?? true, nameRule: c.rule }).map(fieldErrorString);
      assert.deepEqual(got, c.want);
    });
  }

  it('allows at most one controller owner', () => {
    const ref = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', name, uid: 'u', controller: true });
    const errs = validateObjectMeta({ name: 'x', namespace: 'd', ownerReferences: [ref('a'), ref('b')] }, { namespaced: true });
    assert.equal(errs.length, 1);
    assert.match(fieldErrorString(errs[0]), /^metadata\.ownerReferences: Invalid value: \[\]v1\.OwnerReference\{.*\}: Only one reference can have Controller set to true\. Found "true" in references for Secret\/a and Secret\/b$/);
  });

  const updateCases: { name: string; next: unknown; old: unknown; want: string[] }[] = [
    { name: 'no resourceVersion', next: { name: 'x', namespace: 'd' }, old: { name: 'x', namespace: 'd' }, want: ['metadata.resourceVersion: Invalid value: "": must be specified for an update'] },
    { name: 'renamed', next: { name: 'y', namespace: 'd', resourceVersion: '1' }, old: { name: 'x', namespace: 'd' }, want: ['metadata.name: Invalid value: "y": field is immutable'] },
    { name: 'new finalizer while deleting', next: { name: 'x', namespace: 'd', resourceVersion: '1', finalizers: ['a', 'x'], deletionTimestamp: 't' }, old: { name: 'x', namespace: 'd', finalizers: ['a'], deletionTimestamp: 't' },
      want: ['metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"x"}'] },
    { name: 'generation decremented', next: { name: 'x', namespace: 'd', resourceVersion: '1', generation: 1 }, old: { name: 'x', namespace: 'd', generation: 2 }, want: ['metadata.generation: Invalid value: 1: must not be decremented'] },
  ];
  for (const c of updateCases) {
    it(`update: ${c.name}`, () => assert.deepEqual(validateObjectMetaUpdate(c.next, c.old).map(fieldErrorString), c.want));
  }

  it('warns about finalizer names without a domain', () => {
    assert.deepEqual(finalizerWarnings(['kubernetes', 'mine', 'a.b', 'lxcattach.io/cleanup']), [
      'metadata.finalizers: "a.b": prefer a domain-qualified finalizer name including a path (/) to avoid accidental conflicts with other finalizer writers',
      'metadata.finalizers: "mine": prefer a domain-qualified finalizer name to avoid accidental conflicts with other finalizer writers',
    ]);
  });

  it('coerces metadata: unknown fields reported and dropped, empty fields omitted', () => {
    const r = coerceObjectMeta({ name: 'x', bogus: 1, labels: {}, ownerReferences: [{ name: 'o', extra: true }] });
    assert.deepEqual(r.meta, { name: 'x', ownerReferences: [{ name: 'o' }] });
    assert.deepEqual(r.unknownFields, ['metadata.bogus', 'metadata.ownerReferences[0].extra']);
  });

  it('rejects metadata of the wrong JSON type with encoding/json wording', () => {
    assert.throws(() => coerceObjectMeta({ labels: 'x' }), (e: unknown) => e instanceof MetadataDecodeError &&
      e.message === 'json: cannot unmarshal string into Go struct field ObjectMeta.labels of type map[string]string');
    assert.throws(() => coerceObjectMeta({ ownerReferences: [{ name: 5 }] }), (e: unknown) => e instanceof MetadataDecodeError &&
      e.message === 'json: cannot unmarshal number into Go struct field OwnerReference.ownerReferences.name of type string');
  });
});
