// The Event table (printEvent in pkg/printers/internalversion/printers.go), shared by core/v1 and
// events.k8s.io/v1, which print the same internal object. The server always renders the wide set.
import { column, metadataOf, nameColumn, record, str, timestampSince } from './printing.js';
import type { KubeObject, TableColumnDefinition } from './types.js';

const EVENT_DOCS = {
  lastTimestamp: 'The time at which the most recent occurrence of this event was recorded.',
  type: 'Type of this event (Normal, Warning), new types could be added in the future',
  reason: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  involvedObject: 'The object that this event is about.',
  fieldPath: 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.',
  source: 'The component reporting this event. Should be a short machine understandable string.',
  message: 'A human-readable description of the status of this operation.',
  firstTimestamp: 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
  count: 'The number of times this event has occurred.',
};

export function eventTableColumns(): TableColumnDefinition[] {
  return [
    column('Last Seen', EVENT_DOCS.lastTimestamp),
    column('Type', EVENT_DOCS.type),
    column('Reason', EVENT_DOCS.reason),
    column('Object', EVENT_DOCS.involvedObject),
    column('Subobject', EVENT_DOCS.fieldPath, { priority: 1 }),
    column('Source', EVENT_DOCS.source, { priority: 1 }),
    column('Message', EVENT_DOCS.message),
    column('First Seen', EVENT_DOCS.firstTimestamp, { priority: 1 }),
    column('Count', EVENT_DOCS.count, { priority: 1 }),
    { ...nameColumn(), priority: 1 },
  ];
}

const firstNonEmpty = (...values: string[]): string => values.find((v) => v.length > 0) ?? '';

/** printEvent's cells for a core/v1-shaped event */
export function eventTableCells(event: KubeObject, now: number): unknown[] {
  const involved = record(event['involvedObject']);
  const source = record(event['source']);
  const series = event['series'];
  let first = timestampSince(event['firstTimestamp'], now);
  if (str(event['firstTimestamp']) === '') first = timestampSince(event['eventTime'], now);
  let last = str(event['lastTimestamp']) === '' ? first : timestampSince(event['lastTimestamp'], now);
  let count = typeof event['count'] === 'number' ? event['count'] : 0;
  if (series !== undefined && series !== null) {
    last = timestampSince(record(series)['lastObservedTime'], now);
    count = typeof record(series)['count'] === 'number' ? (record(series)['count'] as number) : 0;
  } else if (count === 0) {
    count = 1;
  }
  const kind = str(involved['kind']).toLowerCase();
  const target = str(involved['name']) !== '' ? `${kind}/${str(involved['name'])}` : kind;
  const component = firstNonEmpty(str(source['component']), str(event['reportingComponent']));
  const instance = firstNonEmpty(str(source['host']), str(event['reportingInstance']));
  return [
    last,
    str(event['type']),
    str(event['reason']),
    target,
    str(involved['fieldPath']),
    instance === '' ? component : `${component}, ${instance}`,
    str(event['message']).trim(),
    first,
    count,
    str(metadataOf(event)['name']),
  ];
}

/** ToSelectableFields' "source": source.component, else the reporting controller */
export function eventSourceField(component: unknown, reportingController: unknown): string {
  return firstNonEmpty(str(component), str(reportingController));
}
