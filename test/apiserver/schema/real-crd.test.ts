// The project's own CRD (crds/containerattaches.lxcattach.io.yaml) through the whole library:
// CRD validation, then the CR write pipeline (prune, drop nulls, defaults, validate) with the
// errors a real kube-apiserver 1.32 gives for its rules.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { compileCrdVersion, defaultCustomResourceDefinition, fieldErrorString, openApiV3GroupVersion, validateCustomResourceDefinition, type CustomResourceDefinition } from '../../../apiserver/src/schema/index.js';
import { repoPath } from '../../support/paths.js';

const crd = parse(readFileSync(repoPath('crds/containerattaches.lxcattach.io.yaml'), 'utf8')) as CustomResourceDefinition;
defaultCustomResourceDefinition(crd as unknown as Record<string, unknown>);

type Obj = Record<string, unknown>;
const token = 'a'.repeat(64);

function ca(spec: Obj, extra: Obj = {}): Obj {
  return { apiVersion: 'lxcattach.io/v1alpha1', kind: 'ContainerAttach', metadata: { name: 'a1', namespace: 'default' }, spec, ...extra };
}

describe('apiserver schema: the project CRD', () => {
  it('passes CRD validation', () => assert.deepEqual(validateCustomResourceDefinition(crd).map(fieldErrorString), []));

  const cv = compileCrdVersion(crd, 'v1alpha1');
  /** The write pipeline in the order the core runs it. */
  function write(o: Obj, old?: Obj): { pruned: string[]; errors: string[]; object: Obj } {
    const pruned = cv.prune(o);
    cv.dropNulls(o);
    cv.applyDefaults(o);
    return { pruned, errors: cv.validate(o, old).errors.map(fieldErrorString), object: o };
  }

  it('accepts a batch attach and fills its defaults', () => {
    const r = write(ca({ container: 'web1', command: ['ls', '-l'], env: { set: ['A=1', 'B'] }, uid: 1000, gid: 1000 }));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.object.spec, { container: 'web1', command: ['ls', '-l'], env: { set: ['A=1', 'B'] }, uid: 1000, gid: 1000, mode: 'Batch', stdin: false, tty: false });
  });

  it('accepts an interactive attach with a session token', () => {
    assert.deepEqual(write(ca({ container: 'web1', mode: 'Interactive', stdin: true, tty: true, sessionTokenHash: token })).errors, []);
  });

  it('reports pruned unknown fields for fieldValidation', () => {
    const r = write(ca({ container: 'web1', bogusField: 1 }, { extra: true }));
    assert.deepEqual(r.pruned, ['extra', 'spec.bogusField']);
    assert.deepEqual(r.errors, []);
  });

  const cases: { name: string; spec: Obj; want: string[] }[] = [
    { name: 'container required', spec: {}, want: ['spec.container: Required value'] },
    { name: 'uid above 4294967294', spec: { container: 'c', uid: 4294967295 }, want: ['spec.uid: Invalid value: 4294967295: spec.uid in body should be less than or equal to 4.294967294e+09'] },
    { name: 'negative gid', spec: { container: 'c', gid: -1 }, want: ['spec.gid: Invalid value: -1: spec.gid in body should be greater than or equal to 0'] },
    { name: 'container with a slash', spec: { container: 'a/b' }, want: ["spec.container: Invalid value: \"a/b\": spec.container in body should match '^[^/\\x00]+$'"] },
    { name: 'unknown arch', spec: { container: 'c', arch: 'vax' }, want: ['spec.arch: Unsupported value: "vax": supported values: "arm", "armel", "armhf", "armv7l", "athlon", "i386", "i486", "i586", "i686", "linux32", "mips", "mipsel", "ppc", "powerpc", "x86", "aarch64", "amd64", "arm64", "linux64", "mips64", "mips64el", "ppc64", "ppc64el", "ppc64le", "powerpc64", "riscv64", "s390x", "x86_64"'] },
    { name: 'too many elevated privileges', spec: { container: 'c', elevatedPrivileges: ['CAP', 'LSM', 'CGROUP', 'CAP'] }, want: ['spec.elevatedPrivileges: Too many: 4: must have at most 3 items', 'spec.elevatedPrivileges[3]: Duplicate value: "CAP"'] },
    { name: 'selinux with elevated LSM', spec: { container: 'c', selinuxContext: 'u:r:t', elevatedPrivileges: ['LSM'] }, want: ['spec.selinuxContext: Invalid value: "object": cannot combine elevated LSM privileges with an LSM (SELinux) context, as lxc-attach refuses -c with -e, -eLSM or -s'] },
    { name: 'interactive without token', spec: { container: 'c', mode: 'Interactive' }, want: ['spec.sessionTokenHash: Required value: an Interactive attach needs sessionTokenHash (the plugin sets it)'] },
    { name: 'batch with tty', spec: { container: 'c', tty: true }, want: ['spec.mode: Invalid value: "object": stdin, tty and sessionTokenHash are for Interactive attaches; a Batch attach has no client'] },
    { name: 'bad env set entry', spec: { container: 'c', env: { set: ['=x'] } }, want: ['spec.env.set: Invalid value: "array": each entry must be VAR=VALUE or VAR, with a non-empty name and no NUL character'] },
    { name: 'bad env keep entry', spec: { container: 'c', env: { keep: ['A=B'] } }, want: ['spec.env.keep: Invalid value: "array": each entry must be a variable name: no "=" and no NUL character'] },
    { name: 'bad token', spec: { container: 'c', mode: 'Interactive', sessionTokenHash: 'xyz' }, want: ["spec.sessionTokenHash: Invalid value: \"xyz\": spec.sessionTokenHash in body should match '^[0-9a-f]{64}$'"] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const errs = write(ca(c.spec)).errors;
      const blocked = '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';
      assert.deepEqual(errs.filter((e) => e !== blocked), c.want);
    });
  }

  it('keeps spec immutable on update, but lets status change', () => {
    const old = write(ca({ container: 'web1' })).object;
    assert.deepEqual(write(ca({ container: 'web2' }), old).errors, ['spec: Invalid value: "object": spec is immutable: a changed command is a new ContainerAttach']);
    const withStatus = write(ca({ container: 'web1' }, { status: { phase: 'Running' } }), old);
    assert.deepEqual(withStatus.errors, []);
  });

  it('validates status conditions as a list map keyed by type', () => {
    const cond = (type: string) => ({ type, status: 'True', reason: 'R', message: 'm', lastTransitionTime: '2025-01-01T00:00:00Z' });
    const o = write(ca({ container: 'c' }, { status: { conditions: [cond('Ready'), cond('Ready')] } }));
    assert.deepEqual(o.errors, ['status.conditions[1]: Duplicate value: map[string]interface {}{"type":"Ready"}']);
  });

  it('prints the columns and serves the selectable fields', () => {
    const o = write(ca({ container: 'web1', nodeName: 'n1' }, { metadata: { name: 'a1', namespace: 'default', creationTimestamp: '2025-01-01T00:00:00Z' }, status: { phase: 'Succeeded', exitCode: 0, nodeName: 'n1' } })).object;
    assert.deepEqual(cv.printerColumns().map((c) => c.name), ['Node', 'Container', 'Phase', 'Exit', 'Age', 'Mode', 'Reason']);
    assert.deepEqual(cv.printerCells(o), ['n1', 'web1', 'Succeeded', 0, '2025-01-01T00:00:00Z', 'Batch', null]);
    assert.deepEqual(cv.selectableFieldNames(), ['spec.container', 'spec.nodeName', 'status.phase', 'status.nodeName']);
    assert.equal(cv.selectableFieldValue(o, 'status.phase'), 'Succeeded');
  });

  it('has an OpenAPI document that advertises fieldValidation', () => {
    const doc = openApiV3GroupVersion([crd], 'lxcattach.io', 'v1alpha1') as { paths: Record<string, { patch?: { parameters: { name: string }[] } }> };
    const patch = doc.paths['/apis/lxcattach.io/v1alpha1/namespaces/{namespace}/containerattaches/{name}'].patch;
    assert.ok(patch?.parameters.some((p) => p.name === 'fieldValidation'));
  });
});
