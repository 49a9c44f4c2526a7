/**
 * The staff roles every deployment starts with, as data, and an idempotent bootstrap step that
 * creates them and (re)writes their content-manager permissions. Administrators may add roles
 * of their own in Settings; these five are reset to this definition on every start so an
 * accidental edit cannot silently widen a built-in role.
 */
import { SUPPORTED_LOCALES } from '../domain/vocabulary';
import { CONDITION_IDS } from './rbac-conditions';
import { CONFIGURATION_UIDS, UID } from './uids';

type CmAction = 'read' | 'create' | 'update' | 'delete';
interface Grant {
  subjects: readonly string[];
  actions: readonly CmAction[];
  conditions?: string[];
  /** Fields left out of the grant (e.g. citizen contact details for reviewers). */
  withoutFields?: string[];
}
export interface StaffRoleDefinition {
  code: string;
  name: string;
  description: string;
  grants: Grant[];
  /** Plugin permissions that are not about a content type (e.g. reading the audit log). */
  pluginActions?: string[];
}

const READ_AUDIT_LOG = 'plugin::audit.read';
/** The delivery health and the demo outbox (rendered messages to citizens and staff). */
const READ_OUTBOX = 'plugin::notifications.outbox.read';

const CITIZEN_CONTACT = ['citizenName', 'citizenPhone', 'citizenEmail'];
/** Bookkeeping no staff role reads or writes: the case secret's hash and the phone's blind index. */
const NEVER_GRANTED = ['secretHash', 'citizenPhoneIndex'];
const CASE_TYPES = [UID.grievance, UID.grievanceEvent, UID.transferRequest] as const;
const CASE_HISTORY = [UID.grievanceEvent, UID.transferRequest] as const;
const REFERENCE_TYPES = CONFIGURATION_UIDS.filter((uid) => uid !== UID.staffProfile);

export const STAFF_ROLES: StaffRoleDefinition[] = [
  {
    code: 'grm-project-admin',
    name: 'Project Admin',
    description: 'Configures and oversees the projects on their staff profile.',
    grants: [
      { subjects: CONFIGURATION_UIDS.filter((u) => u !== UID.project), actions: ['read', 'create', 'update', 'delete'], conditions: [CONDITION_IDS.inMyProjects] },
      { subjects: [UID.project], actions: ['read', 'update'], conditions: [CONDITION_IDS.inMyProjects] },
      { subjects: [UID.grievance], actions: ['read', 'create', 'update'], conditions: [CONDITION_IDS.inMyProjects] },
      { subjects: CASE_HISTORY, actions: ['read'], conditions: [CONDITION_IDS.inMyProjects] },
    ],
    pluginActions: [READ_AUDIT_LOG, READ_OUTBOX],
  },
  {
    code: 'grm-department-head',
    name: 'Department Head',
    description: "Assigns, escalates and closes their department's cases.",
    grants: [
      // A case on its way to their department is readable (to decide the transfer), never editable.
      { subjects: [UID.grievance], actions: ['read'], conditions: [CONDITION_IDS.inMyDepartments] },
      // Deciding a transfer needs the complaint, not the citizen's name, phone or e-mail.
      { subjects: [UID.grievance], actions: ['read'], conditions: [CONDITION_IDS.transferToMyDepartments], withoutFields: CITIZEN_CONTACT },
      { subjects: [UID.grievance], actions: ['update'], conditions: [CONDITION_IDS.inMyDepartments] },
      { subjects: [UID.grievanceEvent], actions: ['read'], conditions: [CONDITION_IDS.inMyDepartments] },
      { subjects: [UID.transferRequest], actions: ['read'], conditions: [CONDITION_IDS.inMyDepartments, CONDITION_IDS.transferToMyDepartments] },
      { subjects: REFERENCE_TYPES, actions: ['read'] },
      { subjects: [UID.staffProfile], actions: ['read'], conditions: [CONDITION_IDS.inMyDepartments] },
    ],
  },
  {
    code: 'grm-officer',
    name: 'Officer',
    description: 'Works on the cases assigned to them.',
    grants: [
      { subjects: [UID.grievance], actions: ['read', 'update'], conditions: [CONDITION_IDS.assignedToMe] },
      { subjects: CASE_HISTORY, actions: ['read'], conditions: [CONDITION_IDS.assignedToMe] },
      { subjects: REFERENCE_TYPES, actions: ['read'] },
    ],
  },
  {
    code: 'grm-intake-clerk',
    name: 'Intake Clerk',
    description: 'Types in complaints received on paper, by phone or at a desk, and acknowledges them.',
    grants: [
      { subjects: [UID.grievance], actions: ['read', 'create'], conditions: [CONDITION_IDS.inMyProjects] },
      { subjects: CASE_HISTORY, actions: ['read'], conditions: [CONDITION_IDS.inMyProjects] },
      { subjects: REFERENCE_TYPES, actions: ['read'] },
    ],
  },
  {
    code: 'grm-viewer',
    name: 'Viewer',
    description: "Reads every case and report, without citizens' contact details (e.g. a financing institution's reviewer).",
    grants: [
      { subjects: CASE_TYPES, actions: ['read'], withoutFields: CITIZEN_CONTACT },
      { subjects: CONFIGURATION_UIDS, actions: ['read'] },
    ],
    pluginActions: [READ_AUDIT_LOG],
  },
];

function permissionsFor(role: StaffRoleDefinition) {
  const contentTypeService = strapi.service('admin::content-type');
  const pluginPermissions = (role.pluginActions ?? []).map((action) => ({ action, subject: null, properties: {}, conditions: [] }));
  return [...pluginPermissions, ...role.grants.flatMap((grant) =>
    grant.subjects.flatMap((subject) => {
      const model = strapi.contentTypes[subject as keyof typeof strapi.contentTypes] as any;
      const localized = Boolean(model.pluginOptions?.i18n?.localized);
      const fields: string[] = contentTypeService
        .getNestedFields(model, { components: strapi.components })
        .filter((field: string) => ![...NEVER_GRANTED, ...(grant.withoutFields ?? [])].includes(field.split('.')[0]));
      return grant.actions.map((action) => ({
        action: `plugin::content-manager.explorer.${action}`,
        subject,
        properties: {
          ...(action === 'delete' ? {} : { fields }),
          ...(localized ? { locales: [...SUPPORTED_LOCALES] } : {}),
        },
        conditions: grant.conditions ?? [],
      }));
    })
  )];
}

export async function ensureStaffRoles(): Promise<Record<string, number>> {
  const roleService = strapi.service('admin::role');
  const ids: Record<string, number> = {};
  for (const definition of STAFF_ROLES) {
    let role = await roleService.findOne({ code: definition.code });
    if (!role) {
      role = await roleService.create({ name: definition.name, code: definition.code, description: definition.description });
    }
    await roleService.assignPermissions(role.id, permissionsFor(definition));
    ids[definition.code] = role.id;
  }
  return ids;
}
