// CRD validation on create/update with apiextensions-apiserver's messages, and the OpenAPI v3
// document kubectl inspects.
import assert from 'node:assert/strict';
import { defaultCustomResourceDefinition, fieldErrorString, openApiV3GroupVersion, validateCustomResourceDefinition, type CustomResourceDefinition, type JSONSchemaProps } from '../../../apiserver/src/schema/index.js';
import { fixtureCrd } from './crd-fixture.js';

type Mutator = (crd: CustomResourceDefinition) => void;
const schemaOf = (crd: CustomResourceDefinition) => crd.spec.versions[0].schema!.openAPIV3Schema!;
const specOf = (crd: CustomResourceDefinition) => schemaOf(crd).properties!.spec;

function errorsAfter(mutate: Mutator): string[] {
  const crd = fixtureCrd();
  mutate(crd);
  defaultCustomResourceDefinition(crd as unknown as Record<string, unknown>);
  return validateCustomResourceDefinition(crd).map(fieldErrorString);
}

const sp = 'spec.versions[0].schema.openAPIV3Schema';

describe('apiserver schema: CRD validation', () => {
  it('accepts the ContainerAttach fixture', () => assert.deepEqual(errorsAfter(() => {}), []));

  const cases: { name: string; mutate: Mutator; want: string[] }[] = [
    { name: 'name must be plural.group', mutate: (c) => { c.metadata.name = 'attaches.lxcattach.io'; }, want: ['metadata.name: Invalid value: "attaches.lxcattach.io": must be spec.names.plural+"."+spec.group'] },
    { name: 'group needs a dot', mutate: (c) => { c.spec.group = 'lxcattach'; c.metadata.name = 'containerattaches.lxcattach'; }, want: ['spec.group: Invalid value: "lxcattach": should be a domain with at least one dot'] },
    { name: 'scope', mutate: (c) => { (c.spec as { scope: string }).scope = 'Global'; }, want: ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"'] },
    { name: 'exactly one storage version', mutate: (c) => { c.spec.versions[0].storage = false; }, want: ['spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{...}: must have exactly one version marked as storage version'] },
    { name: 'version name', mutate: (c) => { c.spec.versions[0].name = 'V1'; }, want: ["spec.versions[0].name: Invalid value: \"V1\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"] },
    { name: 'kind and listKind differ', mutate: (c) => { c.spec.names.listKind = 'ContainerAttach'; }, want: ['spec.names.listKind: Invalid value: "ContainerAttach": kind and listKind may not be the same'] },
    { name: 'short names', mutate: (c) => { c.spec.names.shortNames = ['LX']; }, want: ["spec.names.shortNames[0]: Invalid value: \"LX\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"] },
    { name: 'schema required', mutate: (c) => { delete c.spec.versions[0].schema; delete c.spec.versions[0].selectableFields; }, want: ['spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required'] },
    { name: 'type required for fields', mutate: (c) => { specOf(c).properties!.arch = { maxLength: 3 }; }, want: [`${sp}.properties[spec].properties[arch].type: Required value: must not be empty for specified object fields`] },
    { name: 'selectable field must have a scalar type', mutate: (c) => { specOf(c).properties!.nodeName = { maxLength: 3 }; }, want: [
      `${sp}.properties[spec].properties[nodeName].type: Required value: must not be empty for specified object fields`,
      'spec.versions[0].selectableFields[0].jsonPath: Invalid value: ".spec.nodeName": must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.',
    ] },
    { name: 'type at root', mutate: (c) => { delete schemaOf(c).type; }, want: [`${sp}.type: Required value: must not be empty at the root`] },
    { name: 'array needs items', mutate: (c) => { specOf(c).properties!.command = { type: 'array' }; }, want: [`${sp}.properties[spec].properties[command].items: Required value: must be specified`] },
    { name: 'unknown type', mutate: (c) => { specOf(c).properties!.arch = { type: 'text' }; }, want: [`${sp}.properties[spec].properties[arch].type: Unsupported value: "text": supported values: "array", "boolean", "integer", "number", "object", "string"`] },
    { name: 'uniqueItems forbidden', mutate: (c) => { specOf(c).properties!.command.uniqueItems = true; }, want: [`${sp}.properties[spec].properties[command].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`] },
    { name: 'properties and additionalProperties', mutate: (c) => { specOf(c).properties!.env.additionalProperties = { type: 'string' }; }, want: [`${sp}.properties[spec].properties[env].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`] },
    { name: 'bad pattern', mutate: (c) => { specOf(c).properties!.container.pattern = '(unclosed'; }, want: [`${sp}.properties[spec].properties[container].pattern: Invalid value: "(unclosed": must be a valid regular expression, but isn't: error parsing regexp: /(unclosed/u: Unterminated group`] },
    { name: 'default must validate', mutate: (c) => { specOf(c).properties!.mode.default = 'Sometimes'; }, want: [`${sp}.properties[spec].properties[mode].default: Unsupported value: "Sometimes": supported values: "Interactive", "Batch"`] },
    { name: 'default must be pruned', mutate: (c) => { specOf(c).properties!.terminal.default = { width: 80, bogus: 1 }; }, want: [`${sp}.properties[spec].properties[terminal].default: Invalid value: map[string]interface {}{"bogus":1, "width":80}: must not have unknown fields`] },
    { name: 'preserve-unknown-fields false', mutate: (c) => { specOf(c)['x-kubernetes-preserve-unknown-fields'] = false; }, want: [`${sp}.properties[spec].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined`] },
    { name: 'list-map keys', mutate: (c) => { schemaOf(c).properties!.status.properties!.conditions['x-kubernetes-list-map-keys'] = ['kind']; }, want: [`${sp}.properties[status].properties[conditions].x-kubernetes-list-map-keys: Invalid value: []string{"kind"}: entries must all be names of item properties`] },
    { name: 'list-map key must be required or defaulted', mutate: (c) => { schemaOf(c).properties!.status.properties!.conditions.items = { type: 'object', properties: { type: { type: 'string' } } }; }, want: [`${sp}.properties[status].properties[conditions].items.properties[type].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property`] },
    { name: 'bad list type', mutate: (c) => { specOf(c).properties!.command['x-kubernetes-list-type'] = 'bag'; }, want: [`${sp}.properties[spec].properties[command].x-kubernetes-list-type: Unsupported value: "bag": supported values: "atomic", "set", "map"`] },
    { name: 'metadata at root limited', mutate: (c) => { schemaOf(c).properties!.metadata = { type: 'object', properties: { labels: { type: 'object' } } }; }, want: [`${sp}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`] },
    { name: 'printer column type', mutate: (c) => { c.spec.versions[0].additionalPrinterColumns![0].type = 'text'; }, want: ['spec.versions[0].additionalPrinterColumns[0].type: Invalid value: "text": must be one of boolean,date,integer,number,string'] },
    { name: 'printer column path', mutate: (c) => { c.spec.versions[0].additionalPrinterColumns![0].jsonPath = 'spec.nodeName'; }, want: ['spec.versions[0].additionalPrinterColumns[0].JSONPath: Invalid value: "spec.nodeName": must be a simple json path starting with .'] },
    { name: 'selectable field into metadata', mutate: (c) => { c.spec.versions[0].selectableFields = [{ jsonPath: '.metadata.name' }]; schemaOf(c).properties!.metadata = { type: 'object', properties: { name: { type: 'string' } } }; },
      want: ['spec.versions[0].selectableFields[0].jsonPath: Invalid value: ".metadata.name": must not point to fields in metadata'] },
    { name: 'selectable field type', mutate: (c) => { c.spec.versions[0].selectableFields = [{ jsonPath: '.spec.command' }]; },
      want: ['spec.versions[0].selectableFields[0].jsonPath: Invalid value: ".spec.command": must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.'] },
    { name: 'selectable field through array', mutate: (c) => { c.spec.versions[0].selectableFields = [{ jsonPath: '.spec.command[0]' }]; },
      want: ['spec.versions[0].selectableFields[0].jsonPath: Invalid value: ".spec.command[0]": is an invalid path: array notation is not allowed'] },
    { name: 'selectable field unknown', mutate: (c) => { c.spec.versions[0].selectableFields = [{ jsonPath: '.spec.nope' }]; },
      want: ['spec.versions[0].selectableFields[0].jsonPath: Invalid value: ".spec.nope": is an invalid path: does not refer to a valid field'] },
    { name: 'selectable field duplicate', mutate: (c) => { c.spec.versions[0].selectableFields = [{ jsonPath: '.spec.nodeName' }, { jsonPath: '.spec.nodeName' }]; },
      want: ['spec.versions[0].selectableFields[1].jsonPath: Duplicate value: ".spec.nodeName"'] },
    { name: 'at most 8 selectable fields', mutate: (c) => {
      const props = specOf(c).properties!;
      for (let i = 0; i < 9; i++) props[`f${i}`] = { type: 'string' };
      c.spec.versions[0].selectableFields = Array.from({ length: 9 }, (_x, i) => ({ jsonPath: `.spec.f${i}` }));
    }, want: ['spec.versions[0].selectableFields: Too many: 9: must have at most 8 items'] },
    { name: 'CEL rule does not compile', mutate: (c) => { specOf(c)['x-kubernetes-validations'] = [{ rule: 'self.nope == 1' }]; },
      want: [`${sp}.properties[spec].x-kubernetes-validations[0].rule: Invalid value: apiextensions.ValidationRule{Rule:"self.nope == 1", Message:"", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:5: undefined field 'nope'\n | self.nope == 1\n | ....^`] },
    { name: 'CEL rule reason', mutate: (c) => { specOf(c)['x-kubernetes-validations'] = [{ rule: 'true', reason: 'Bad' }]; },
      want: [`${sp}.properties[spec].x-kubernetes-validations[0].reason: Unsupported value: "Bad": supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"`] },
    { name: 'CEL rule empty', mutate: (c) => { specOf(c)['x-kubernetes-validations'] = [{ rule: ' ' }]; },
      want: [`${sp}.properties[spec].x-kubernetes-validations[0].rule: Required value: rule is not specified`] },
    { name: 'CEL optionalOldSelf without oldSelf', mutate: (c) => { specOf(c)['x-kubernetes-validations'] = [{ rule: 'true', optionalOldSelf: true }]; },
      want: [`${sp}.properties[spec].x-kubernetes-validations[0].optionalOldSelf: Invalid value: true: may not be set if oldSelf is not used in rule`] },
    { name: 'CEL oldSelf in an atomic list item', mutate: (c) => { specOf(c).properties!.command.items = { type: 'string', maxLength: 64, 'x-kubernetes-validations': [{ rule: 'self == oldSelf' }] }; },
      want: [`${sp}.properties[spec].properties[command].items.x-kubernetes-validations[0].rule: Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within ${sp}.properties[spec].properties[command]`] },
    { name: 'CEL cost limit', mutate: (c) => {
      specOf(c).properties!.big = { type: 'array', items: { type: 'string' } };
      specOf(c)['x-kubernetes-validations'] = [{ rule: 'self.big.all(x, self.big.all(y, x.contains(y)))' }];
    }, want: [] },
    { name: 'CEL fieldPath must exist', mutate: (c) => { specOf(c)['x-kubernetes-validations'] = [{ rule: 'true', fieldPath: '.nope' }]; },
      want: [`${sp}.properties[spec].x-kubernetes-validations[0].fieldPath: Invalid value: ".nope": fieldPath must be a valid path`] },
    { name: 'status root restrictions', mutate: (c) => { schemaOf(c).nullable = true; }, want: [`${sp}: Invalid value: apiextensions.JSONSchemaProps{...}: only [Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations] fields are allowed at the root of the schema if the status subresource is enabled`, `${sp}.nullable: Forbidden: nullable cannot be true at the root`] },
  ];
  for (const c of cases) {
    if (c.name === 'CEL cost limit') {
      it(c.name, () => {
        const errs = errorsAfter(c.mutate);
        const rulePath = `${sp}.properties[spec].x-kubernetes-validations[0].rule`;
        const hint = '(try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)';
        assert.deepEqual(errs, [
          `${rulePath}: Forbidden: estimated rule cost exceeds budget by factor of more than 100x ${hint}`,
          `${rulePath}: Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema`,
          `${sp}: Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of more than 100x ${hint}`,
        ]);
      });
      continue;
    }
    it(c.name, () => assert.deepEqual(errorsAfter(c.mutate), c.want));
  }

  it('defaults singular and listKind as the v1 API does', () => {
    const crd = fixtureCrd() as unknown as Record<string, unknown>;
    const names = (crd.spec as { names: Record<string, unknown> }).names;
    delete names.singular;
    delete names.listKind;
    defaultCustomResourceDefinition(crd);
    assert.equal(names.singular, 'containerattach');
    assert.equal(names.listKind, 'ContainerAttachList');
    assert.deepEqual((crd.spec as Record<string, unknown>).conversion, { strategy: 'None' });
  });

  it('keeps group and plural immutable on update', () => {
    const old = fixtureCrd();
    const next = fixtureCrd();
    old.metadata.resourceVersion = '1';
    next.metadata.resourceVersion = '1';
    next.spec.names.plural = 'attaches';
    next.metadata.name = 'attaches.lxcattach.io';
    const errs = validateCustomResourceDefinition(next, old).map(fieldErrorString);
    assert.ok(errs.includes('spec.names.plural: Invalid value: "attaches": field is immutable'), errs.join('\n'));
    assert.ok(errs.includes('metadata.name: Invalid value: "attaches.lxcattach.io": field is immutable'), errs.join('\n'));
  });

  it('checks structural schemas deeply (nested value validations)', () => {
    const s: JSONSchemaProps = { type: 'object', properties: { a: { type: 'string', anyOf: [{ type: 'string' }] } } };
    const errs = errorsAfter((c) => { specOf(c).properties!.x = s; });
    assert.deepEqual(errs, [`${sp}.properties[spec].properties[x].properties[a].anyOf[0].type: Forbidden: must be empty to be structural`]);
  });
});

describe('apiserver schema: OpenAPI v3 document', () => {
  const doc = openApiV3GroupVersion([fixtureCrd()], 'lxcattach.io', 'v1alpha1') as {
    paths: Record<string, Record<string, { 'x-kubernetes-group-version-kind'?: unknown; parameters?: { name: string; in: string }[] }>>;
    components: { schemas: Record<string, { 'x-kubernetes-group-version-kind'?: unknown; properties?: Record<string, unknown> }> };
  };
  it('has PATCH operations with the GVK and the fieldValidation query parameter (QueryParamVerifierV3)', () => {
    const withPatch = Object.values(doc.paths).filter((p) => p.patch);
    assert.ok(withPatch.length >= 1);
    for (const p of withPatch) {
      assert.deepEqual(p.patch['x-kubernetes-group-version-kind'], { group: 'lxcattach.io', version: 'v1alpha1', kind: 'ContainerAttach' });
      assert.ok(p.patch.parameters?.some((x) => x.name === 'fieldValidation' && x.in === 'query'));
    }
  });
  it('lists the namespaced paths', () => {
    assert.deepEqual(Object.keys(doc.paths).sort(), [
      '/apis/lxcattach.io/v1alpha1/containerattaches',
      '/apis/lxcattach.io/v1alpha1/namespaces/{namespace}/containerattaches',
      '/apis/lxcattach.io/v1alpha1/namespaces/{namespace}/containerattaches/{name}',
      '/apis/lxcattach.io/v1alpha1/namespaces/{namespace}/containerattaches/{name}/status',
    ]);
  });
  it('publishes the schema for kubectl explain', () => {
    const s = doc.components.schemas['io.lxcattach.v1alpha1.ContainerAttach'];
    assert.deepEqual(s['x-kubernetes-group-version-kind'], [{ group: 'lxcattach.io', kind: 'ContainerAttach', version: 'v1alpha1' }]);
    assert.ok(s.properties?.spec);
    assert.ok(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
    assert.ok(doc.components.schemas['io.lxcattach.v1alpha1.ContainerAttachList']);
  });
  it('is empty for another group', () => {
    const other = openApiV3GroupVersion([fixtureCrd()], 'other.io', 'v1') as { paths: object };
    assert.deepEqual(other.paths, {});
  });
});
