// core/v1 Event: pkg/registry/core/event/strategy.go. A PUT to a missing Event creates it and an
// update needs no resourceVersion; a core/v1 request gets only the lenient legacy validation.
import { eventSourceField, eventTableCells, eventTableColumns } from './event-printing.js';
import { validateEventCreate, validateEventUpdate } from './event-validation.js';
import { CORE_EVENT } from './go-schema/core.js';
import { defineKind, STORE_VERBS } from './kind-base.js';
import { record, str } from './printing.js';
import type { KubeObject } from './types.js';

const involved = (field: string) => (obj: KubeObject): string => str(record(obj['involvedObject'])[field]);

export const coreEventKind = defineKind({
  group: '', version: 'v1', kind: 'Event', plural: 'events', singular: 'event',
  namespaced: true, shortNames: ['ev'], categories: [],
  verbs: STORE_VERBS,
  goType: CORE_EVENT,
  prepareForCreate: () => undefined,
  prepareForUpdate: () => undefined,
  validate: (obj, old) => (old ? validateEventUpdate(obj, old, false) : validateEventCreate(obj, false)),
  allowUnconditionalUpdate: true,
  createOnUpdate: true,
  fieldSelectors: {
    'involvedObject.kind': involved('kind'),
    'involvedObject.namespace': involved('namespace'),
    'involvedObject.name': involved('name'),
    'involvedObject.uid': involved('uid'),
    'involvedObject.apiVersion': involved('apiVersion'),
    'involvedObject.resourceVersion': involved('resourceVersion'),
    'involvedObject.fieldPath': involved('fieldPath'),
    reason: (obj) => str(obj['reason']),
    reportingComponent: (obj) => str(obj['reportingComponent']),
    source: (obj) => eventSourceField(record(obj['source'])['component'], obj['reportingComponent']),
    type: (obj) => str(obj['type']),
  },
  tableColumns: eventTableColumns(),
  tableCells: (obj, now = Date.now()) => eventTableCells(obj, now),
});
