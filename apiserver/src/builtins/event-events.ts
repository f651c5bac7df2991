// events.k8s.io/v1 Event: the same storage as core/v1 Event (pkg/registry/events), seen through
// the events.k8s.io field names, with the strict validation events.k8s.io requests get.
//
// `storage` tells the core that these objects live in core/v1 events; a core that honours it
// serves both views of one set of objects, as a real server does. Field selectors take the
// events.k8s.io names (regarding.*, reportingController; involvedObject.* is refused).
import { coreToEvents, eventsToCore } from './event-conversion.js';
import { eventSourceField, eventTableCells, eventTableColumns } from './event-printing.js';
import { validateEventCreate, validateEventUpdate } from './event-validation.js';
import { EVENTS_EVENT } from './go-schema/events.js';
import { defineKind, STORE_VERBS } from './kind-base.js';
import { record, str } from './printing.js';
import type { KubeObject } from './types.js';

const regarding = (field: string) => (obj: KubeObject): string => str(record(obj['regarding'])[field]);

export const eventsEventKind = defineKind({
  group: 'events.k8s.io', version: 'v1', kind: 'Event', plural: 'events', singular: 'event',
  namespaced: true, shortNames: ['ev'], categories: [],
  verbs: STORE_VERBS,
  goType: EVENTS_EVENT,
  prepareForCreate: () => undefined,
  prepareForUpdate: () => undefined,
  validate: (obj, old) => (old
    ? validateEventUpdate(eventsToCore(obj), eventsToCore(old), true)
    : validateEventCreate(eventsToCore(obj), true)),
  allowUnconditionalUpdate: true,
  createOnUpdate: true,
  fieldSelectors: {
    'regarding.kind': regarding('kind'),
    'regarding.namespace': regarding('namespace'),
    'regarding.name': regarding('name'),
    'regarding.uid': regarding('uid'),
    'regarding.apiVersion': regarding('apiVersion'),
    'regarding.resourceVersion': regarding('resourceVersion'),
    'regarding.fieldPath': regarding('fieldPath'),
    reason: (obj) => str(obj['reason']),
    reportingController: (obj) => str(obj['reportingController']),
    source: (obj) => eventSourceField(record(obj['deprecatedSource'])['component'], obj['reportingController']),
    type: (obj) => str(obj['type']),
  },
  tableColumns: eventTableColumns(),
  tableCells: (obj, now = Date.now()) => eventTableCells(eventsToCore(obj), now),
  storage: {
    group: '', version: 'v1', resource: 'events',
    toStorage: eventsToCore,
    fromStorage: coreToEvents,
  },
});
