/**
 * Content-manager presentation: which field names each record in lists and relation pickers,
 * which columns the grievance list shows, and which grievance fields are read-only in the form.
 * Read-only is presentation only: the document-service middleware is what ignores those fields.
 */
import { PROTECTED_GRIEVANCE_FIELDS } from '../domain/intake';
import { UID } from './uids';

/** Bump when the defaults below change, to apply them once more over an operator's edits. */
const LAYOUT_VERSION = 4;

const MAIN_FIELD: Record<string, string> = {
  [UID.project]: 'name',
  [UID.region]: 'name',
  [UID.department]: 'name',
  [UID.category]: 'name',
  [UID.slaLevel]: 'name',
  [UID.notificationTemplate]: 'event',
  [UID.staffProfile]: 'displayName',
  [UID.grievance]: 'trackingCode',
  [UID.grievanceEvent]: 'action',
  [UID.holiday]: 'name',
};

const GRIEVANCE_LIST = ['trackingCode', 'caseStatus', 'priority', 'slaState', 'resolveDueAt', 'department', 'submittedAt'];

/** Labels that a plain "camelCase to words" would get wrong. */
const LABELS: Record<string, string> = {
  caseStatus: 'Status',
  slaState: 'SLA state',
  slaPausedSeconds: 'SLA paused (seconds)',
  slaPausedAt: 'SLA paused at',
  slaCheckAt: 'SLA next check',
  breachedAt: 'First breached at',
  acknowledgedOnTime: 'Acknowledged on time',
  resolvedOnTime: 'Resolved on time',
  slaLevels: 'SLA levels',
  acknowledgeDueAt: 'Acknowledge by',
  resolveDueAt: 'Resolve by',
  acknowledgeWithinHours: 'Acknowledge within (hours)',
  resolveWithinHours: 'Resolve within (hours)',
  remindBeforeHours: 'Remind before (hours)',
  citizenName: "Citizen's name",
  citizenPhone: "Citizen's phone",
  citizenEmail: "Citizen's e-mail",
  duplicateOf: 'Duplicate of',
  actorUser: 'Actor (staff)',
};

const humanise = (field: string) =>
  LABELS[field] ?? field.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase()).replace(/ ([A-Z])/g, (_, c: string) => ` ${c.toLowerCase()}`);

/** Field labels in words, and relations shown by their target's main field. */
function presentFields(uid: string, metadatas: Record<string, any>) {
  const attributes = (strapi.contentTypes as any)[uid].attributes as Record<string, any>;
  const result = { ...metadatas };
  for (const [field, meta] of Object.entries(metadatas)) {
    const attribute = attributes[field];
    if (!attribute || !meta?.edit) continue;
    const label = humanise(field);
    const mainField = attribute.type === 'relation' ? MAIN_FIELD[attribute.target] : undefined;
    result[field] = {
      edit: { ...meta.edit, label, ...(mainField ? { mainField } : {}) },
      list: { ...meta.list, label, ...(mainField ? { mainField } : {}) },
    };
  }
  return result;
}

const contentTypes = () => strapi.plugin('content-manager').service('content-types');

async function applyDefaults(): Promise<void> {
  for (const [uid, mainField] of Object.entries(MAIN_FIELD)) {
    const configuration = await contentTypes().findConfiguration({ uid });
    const layouts = uid === UID.grievance ? { ...configuration.layouts, list: GRIEVANCE_LIST } : configuration.layouts;
    await contentTypes().updateConfiguration(
      { uid },
      {
        settings: {
          ...configuration.settings,
          mainField,
          // Newest cases first; reference data alphabetically.
          defaultSortBy: uid === UID.grievance ? 'submittedAt' : mainField,
          defaultSortOrder: uid === UID.grievance ? 'DESC' : 'ASC',
        },
        metadatas: presentFields(uid, configuration.metadatas),
        layouts,
      }
    );
  }
}

/** Bookkeeping no one needs to see in the form: the case secret's hash, the sweep's next look, the phone's blind index. */
const HIDDEN_GRIEVANCE_FIELDS = ['secretHash', 'slaCheckAt', 'citizenPhoneIndex'];

async function lockProtectedGrievanceFields(): Promise<void> {
  const configuration = await contentTypes().findConfiguration({ uid: UID.grievance });
  const metadatas = { ...configuration.metadatas };
  let changed = false;
  for (const field of PROTECTED_GRIEVANCE_FIELDS) {
    const meta = metadatas[field];
    if (meta?.edit && meta.edit.editable !== false) {
      metadatas[field] = { ...meta, edit: { ...meta.edit, editable: false } };
      changed = true;
    }
  }
  for (const field of HIDDEN_GRIEVANCE_FIELDS) {
    const meta = metadatas[field];
    if (meta?.edit && meta.edit.visible !== false) {
      metadatas[field] = { ...meta, edit: { ...meta.edit, visible: false } };
      changed = true;
    }
  }
  const edit = (configuration.layouts.edit as Array<Array<{ name: string }>>)
    .map((row) => row.filter((cell) => !HIDDEN_GRIEVANCE_FIELDS.includes(cell.name)))
    .filter((row) => row.length > 0);
  if (edit.flat().length !== (configuration.layouts.edit as Array<unknown[]>).flat().length) changed = true;
  if (changed) await contentTypes().updateConfiguration({ uid: UID.grievance }, { ...configuration, metadatas, layouts: { ...configuration.layouts, edit } });
}

export async function configureContentManager(): Promise<void> {
  const store = strapi.store({ type: 'app', name: 'grm' });
  if ((await store.get({ key: 'content-manager-layout-version' })) !== LAYOUT_VERSION) {
    await applyDefaults();
    await store.set({ key: 'content-manager-layout-version', value: LAYOUT_VERSION });
  }
  await lockProtectedGrievanceFields();
}
