/**
 * The single intake function: every grievance, whatever path created it (content manager,
 * document service, public API, Open311, channel webhooks), is prepared here. Pure: the caller
 * looks up the project and category and writes the result. Deadlines are set by the escalation
 * plugin from the `grievance.received` event, in the same transaction.
 */
import { DomainError, ERROR_CODES, FieldError } from './errors';
import { generateTrackingCode, RandomIndex } from './tracking-code';
import { Channel, CHANNELS, GrievanceStatus, Priority, PRIORITIES } from './vocabulary';

export interface IntakeProject {
  documentId: string;
  code: string;
  timezone: string;
}

export interface IntakeCategory {
  documentId: string;
  projectDocumentId: string | null;
  defaultDepartmentDocumentId: string | null;
  defaultPriority: Priority;
  sensitive: boolean;
}

export interface IntakeInput {
  description?: unknown;
  channel?: unknown;
  priority?: unknown;
  sensitive?: unknown;
  departmentDocumentId?: string | null;
}

export interface IntakeContext {
  project: IntakeProject | null;
  category: IntakeCategory | null;
  now: Date;
  random?: RandomIndex;
}

/** Fields intake sets on a new grievance; only the workflow changes them afterwards. */
export interface IntakeFields {
  trackingCode: string;
  caseStatus: GrievanceStatus;
  submittedAt: string;
  version: number;
  escalationLevel: number;
  slaState: 'on_track';
  slaPausedSeconds: number;
  priority: Priority;
  sensitive: boolean;
  channel: Channel;
  departmentDocumentId: string | null;
}

/** Checks what a grievance needs before it can exist; throws one VALIDATION error naming every problem. */
export function validateIntake(input: IntakeInput, ctx: Pick<IntakeContext, 'project' | 'category'>): void {
  const errors: FieldError[] = [];
  if (!ctx.project) errors.push({ path: ['project'], message: 'A grievance must belong to a project.' });
  if (!ctx.category) errors.push({ path: ['category'], message: 'A grievance must have a category.' });
  if (typeof input.description !== 'string' || input.description.trim() === '') {
    errors.push({ path: ['description'], message: 'Describe the grievance.' });
  }
  if (ctx.project && ctx.category && ctx.category.projectDocumentId !== ctx.project.documentId) {
    errors.push({ path: ['category'], message: 'This category belongs to another project.' });
  }
  if (input.channel != null && !CHANNELS.includes(input.channel as Channel)) {
    errors.push({ path: ['channel'], message: `Unknown channel; use one of ${CHANNELS.join(', ')}.` });
  }
  if (input.priority != null && !PRIORITIES.includes(input.priority as Priority)) {
    errors.push({ path: ['priority'], message: `Unknown priority; use one of ${PRIORITIES.join(', ')}.` });
  }
  if (errors.length > 0) {
    throw new DomainError(ERROR_CODES.VALIDATION, errors.map((e) => e.message).join(' '), errors);
  }
}

/**
 * Validates the input and returns the fields intake owns. Priority and department fall back
 * to the category's defaults; a sensitive category always makes a sensitive case.
 */
export function prepareGrievance(input: IntakeInput, ctx: IntakeContext): IntakeFields {
  validateIntake(input, ctx);
  const project = ctx.project as IntakeProject;
  const category = ctx.category as IntakeCategory;
  const now = ctx.now;
  return {
    trackingCode: generateTrackingCode(project.code, now, project.timezone || 'UTC', ctx.random),
    caseStatus: 'submitted',
    submittedAt: now.toISOString(),
    version: 0,
    escalationLevel: 1,
    slaState: 'on_track',
    slaPausedSeconds: 0,
    priority: (input.priority as Priority) ?? category.defaultPriority ?? 'normal',
    sensitive: category.sensitive || input.sensitive === true,
    channel: (input.channel as Channel) ?? 'walk_in',
    departmentDocumentId: input.departmentDocumentId ?? category.defaultDepartmentDocumentId,
  };
}

/**
 * Grievance fields that only intake and the workflow may write. The content manager and the
 * content API have them stripped from every create and update.
 */
export const PROTECTED_GRIEVANCE_FIELDS = [
  'trackingCode',
  'caseStatus',
  'version',
  'escalationLevel',
  'assignee',
  'submittedAt',
  'acknowledgedAt',
  'resolvedAt',
  'closedAt',
  'slaStartedAt',
  'acknowledgeDueAt',
  'resolveDueAt',
  'slaState',
  'slaPausedSeconds',
  'slaPausedAt',
  'slaCheckAt',
  'breachedAt',
  'acknowledgedOnTime',
  'resolvedOnTime',
  'secretHash',
  'citizenPhoneIndex',
  'intakeAnalysis',
  'events',
  // The citizen's answers and the workflow's resolution.
  'rating',
  'feedback',
  'resolution',
] as const;

/**
 * What staff may change on an existing case through the content manager: its description and
 * classification, the citizen's details, documents and links. Everything else (status, version,
 * level, assignee, department, region, project, channel, the citizen's answers, the documentId)
 * belongs to intake and the workflow; a change to it is refused with NOT_EDITABLE. Clearing
 * `sensitive` is the workflow's `unmark_sensitive` action, never a form edit.
 */
export const STAFF_EDITABLE_FIELDS = [
  'category',
  'priority',
  'sensitive',
  'description',
  'latitude',
  'longitude',
  'address',
  'language',
  'anonymous',
  'citizenName',
  'citizenPhone',
  'citizenEmail',
  'attachments',
  'customFields',
  'duplicateOf',
  'resolutionAgreement',
  'resolutionAgreementSignedAt',
  'implementationConfirmation',
  'implementationConfirmedAt',
  // Set by the content manager itself from the signed-in user.
  'updatedBy',
] as const;
