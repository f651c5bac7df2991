// pkg/apis/core/validation/events.go. Validation runs on the internal Event whatever the request
// version, so paths use the internal names (involvedObject, message, reportingController, ...),
// and core/v1 requests get only the lenient legacy checks (no ObjectMeta validation at all).
import { FIELD_IMMUTABLE, invalid, required, type FieldError } from './field-error.js';
import { isDNS1123Subdomain, isQualifiedName } from './name-rules.js';
import { metadataOf, record, str } from './printing.js';
import { deepEqual } from '../objects.js';
import { GoLiteral, goQuote } from '../schema/go-format.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../schema/index.js';
import type { KubeObject } from './types.js';

const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const isSet = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

/** legacyValidateEvent, on a core/v1-shaped event */
function legacyValidateEvent(event: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const namespace = str(metadataOf(event)['namespace']);
  const involvedNamespace = str(record(event['involvedObject'])['namespace']);
  const mismatch = (): FieldError => invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace');
  if (!isSet(event['eventTime'])) {
    if (involvedNamespace === '') {
      if (namespace !== '' && namespace !== 'default') errs.push(mismatch());
    } else if (namespace !== involvedNamespace) {
      errs.push(mismatch());
    }
  } else {
    if (involvedNamespace === '' && namespace !== 'default' && namespace !== 'kube-system') errs.push(mismatch());
    const controller = str(event['reportingComponent']);
    if (controller === '') errs.push(required('reportingController'));
    for (const msg of isQualifiedName(controller)) errs.push(invalid('reportingController', controller, msg));
    const instance = str(event['reportingInstance']);
    if (instance === '') errs.push(required('reportingInstance'));
    if (bytes(instance) > REPORTING_INSTANCE_LIMIT) errs.push(invalid('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_LIMIT} characters`));
    const action = str(event['action']);
    if (action === '') errs.push(required('action'));
    if (bytes(action) > ACTION_LIMIT) errs.push(invalid('action', '', `can have at most ${ACTION_LIMIT} characters`));
    const reason = str(event['reason']);
    if (reason === '') errs.push(required('reason'));
    if (bytes(reason) > REASON_LIMIT) errs.push(invalid('reason', '', `can have at most ${REASON_LIMIT} characters`));
    if (bytes(str(event['message'])) > NOTE_LIMIT) errs.push(invalid('message', '', `can have at most ${NOTE_LIMIT} characters`));
  }
  for (const msg of isDNS1123Subdomain(namespace)) errs.push(invalid('namespace', namespace, msg));
  return errs;
}

function validateV1EventSeries(event: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const series = event['series'];
  if (series !== undefined && series !== null) {
    const s = record(series);
    if (typeof s['count'] !== 'number' || s['count'] < 2) errs.push(invalid('series.count', '', 'should be at least 2'));
    if (!isSet(s['lastObservedTime'])) errs.push(required('series.lastObservedTime'));
  }
  return errs;
}

/** ValidateEventCreate; `strict` for events.k8s.io/v1 requests */
export function validateEventCreate(event: KubeObject, strict: boolean): FieldError[] {
  const errs = legacyValidateEvent(event);
  if (!strict) return errs;
  errs.push(...validateObjectMeta(metadataOf(event), { namespaced: true, nameRule: 'dns1123subdomain' }));
  errs.push(...validateV1EventSeries(event));
  if (!isSet(event['eventTime'])) errs.push(required('eventTime'));
  const type = str(event['type']);
  if (type !== 'Normal' && type !== 'Warning') errs.push(invalid('type', '', `has invalid value: ${type}`));
  if (isSet(event['firstTimestamp'])) errs.push(invalid('firstTimestamp', '', 'needs to be unset'));
  if (isSet(event['lastTimestamp'])) errs.push(invalid('lastTimestamp', '', 'needs to be unset'));
  if (typeof event['count'] === 'number' && event['count'] !== 0) errs.push(invalid('count', '', 'needs to be unset'));
  const source = record(event['source']);
  if (str(source['component']) !== '' || str(source['host']) !== '') errs.push(invalid('source', '', 'needs to be unset'));
  return errs;
}

const REFERENCE_FIELDS: Array<[string, string]> = [
  ['Kind', 'kind'], ['Namespace', 'namespace'], ['Name', 'name'], ['UID', 'uid'], ['APIVersion', 'apiVersion'],
  ['ResourceVersion', 'resourceVersion'], ['FieldPath', 'fieldPath'],
];

/** %#v of an internal struct value: core.ObjectReference{Kind:"Pod", Namespace:"", ...} */
function goStruct(type: string, value: unknown, fields: Array<[string, string]>): GoLiteral {
  const v = record(value);
  return new GoLiteral(`core.${type}{${fields.map(([go, json]) => `${go}:${goQuote(str(v[json]))}`).join(', ')}}`);
}

/** a metav1.Time / MicroTime is a fmt.Stringer: time.Time's String() in the server's zone (UTC) */
function goTimeString(value: unknown): GoLiteral {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  let text = '0001-01-01 00:00:00 +0000 UTC';
  if (!Number.isNaN(ms)) {
    const micros = typeof value === 'string' ? (/\.(\d{1,9})/.exec(value)?.[1] ?? '').replace(/0+$/, '') : '';
    text = `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}${micros ? `.${micros}` : ''} +0000 UTC`;
  }
  return new GoLiteral(goQuote(text));
}

/** the fields ValidateEventUpdate keeps immutable, in its order (reason is checked twice upstream),
 *  with how field.Invalid renders each value */
const IMMUTABLE: Array<[string, string, (v: unknown) => unknown]> = [
  ['involvedObject', 'involvedObject', (v) => goStruct('ObjectReference', v, REFERENCE_FIELDS)],
  ['reason', 'reason', str], ['message', 'message', str],
  ['source', 'source', (v) => goStruct('EventSource', v, [['Component', 'component'], ['Host', 'host']])],
  ['firstTimestamp', 'firstTimestamp', goTimeString], ['lastTimestamp', 'lastTimestamp', goTimeString],
  ['count', 'count', (v) => (typeof v === 'number' ? v : 0)],
  ['reason', 'reason', str], ['type', 'type', str], ['eventTime', 'eventTime', goTimeString], ['action', 'action', str],
  ['related', 'related', (v) => (v === undefined || v === null ? null : goStruct('ObjectReference', v, REFERENCE_FIELDS))],
  ['reportingComponent', 'reportingController', str], ['reportingInstance', 'reportingInstance', str],
];

/** ValidateEventUpdate; `strict` for events.k8s.io/v1 requests */
export function validateEventUpdate(event: KubeObject, old: KubeObject, strict: boolean): FieldError[] {
  const errs = legacyValidateEvent(event);
  if (!strict) return errs;
  errs.push(...validateObjectMetaUpdate(metadataOf(event), metadataOf(old)));
  if (!deepEqual(event['series'], old['series'])) errs.push(...validateV1EventSeries(event));
  for (const [key, path, render] of IMMUTABLE) {
    if (!deepEqual(emptyAsAbsent(event[key]), emptyAsAbsent(old[key]))) errs.push(invalid(path, render(event[key]), FIELD_IMMUTABLE));
  }
  return errs;
}

/** Go compares zero values: an absent string, 0, {} and a missing field are the same */
function emptyAsAbsent(value: unknown): unknown {
  if (value === '' || value === 0 || value === null) return undefined;
  if (typeof value === 'object' && !Array.isArray(value) && Object.values(value as object).every((v) => emptyAsAbsent(v) === undefined)) return undefined;
  return value;
}
