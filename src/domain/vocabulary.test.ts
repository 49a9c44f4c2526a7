/** The content-type enumerations and the shared vocabulary must not drift apart. */
import grievance from '../api/grievance/content-types/grievance/schema.json';
import template from '../api/notification-template/content-types/notification-template/schema.json';
import category from '../api/category/content-types/category/schema.json';
import {
  CHANNELS,
  GRIEVANCE_STATUSES,
  NOTIFICATION_AUDIENCES,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_EVENTS,
  OPEN_STATUSES,
  PRIORITIES,
  SLA_STATES,
} from './vocabulary';

const values = (schema: { attributes: Record<string, any> }, field: string) => schema.attributes[field].enum;

it('grievance enumerations list the vocabulary', () => {
  expect(values(grievance, 'caseStatus')).toEqual([...GRIEVANCE_STATUSES]);
  expect(values(grievance, 'channel')).toEqual([...CHANNELS]);
  expect(values(grievance, 'priority')).toEqual([...PRIORITIES]);
  expect(values(grievance, 'slaState')).toEqual([...SLA_STATES]);
  expect(values(category, 'defaultPriority')).toEqual([...PRIORITIES]);
});

it('notification template enumerations list the vocabulary', () => {
  expect(values(template, 'event')).toEqual([...NOTIFICATION_EVENTS]);
  expect(values(template, 'channel')).toEqual([...NOTIFICATION_CHANNELS]);
  expect(values(template, 'audience')).toEqual([...NOTIFICATION_AUDIENCES]);
});

it('the open-case index of the migration covers exactly the open statuses', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const migration = require('../../database/migrations/2026.11.21T00.00.00.grievance-indexes.js');
  expect(migration.OPEN_STATUSES).toEqual([...OPEN_STATUSES]);
});
