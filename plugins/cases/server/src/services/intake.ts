/**
 * Intake's rules (`prepare`) for every new case: the public paths file through `file`, which the
 * case store writes without the document service; every other create (content manager, seed)
 * goes through the document-service middleware `create`, so no create path can skip them. Also
 * keeps intake/workflow-owned fields out of reach of the content manager's and content API's
 * updates.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { DomainError, ERROR_CODES } from '../../../../../src/domain/errors';
import { refusedEdits, refusedOnCreate } from '../domain/case-edit';
import {
  IntakeCategory,
  IntakeFields,
  IntakeProject,
  PROTECTED_GRIEVANCE_FIELDS,
  prepareGrievance,
  STAFF_EDITABLE_FIELDS,
  validateIntake,
} from '../../../../../src/domain/intake';
import { readableCases, staffAbility } from '../../../../../src/platform/case-access';
import { readToOne, RelationRef } from '../../../../../src/platform/relation-input';
import { UID } from '../../../../../src/platform/uids';
import { type Actor, currentActor } from '../../../../../src/platform/actor';
import { getService } from '../../../../../src/platform/services';
import { cached, REFERENCE_UIDS } from '../../../../../src/platform/reference-cache';
import { createId } from '@paralleldrive/cuid2';

type Data = Record<string, unknown>;

const toHttpError = (error: unknown) => {
  if (error instanceof DomainError) {
    const details = { code: error.code, errors: error.errors.map((e) => ({ ...e, name: 'ValidationError' })) };
    return error.code === ERROR_CODES.VALIDATION
      ? new errors.ValidationError(error.message, details)
      : new errors.ForbiddenError(error.message, details);
  }
  return error;
};

const notEditable = (fields: string[]) =>
  new errors.ValidationError(`Not editable here: ${fields.join(', ')}. Status, assignment, department, region, the citizen's answers and the sensitive flag's removal go through the workflow.`, {
    code: ERROR_CODES.NOT_EDITABLE,
    fields,
    errors: fields.map((field) => ({ path: [field], message: 'Not editable here.', name: 'ValidationError' })),
  });

const stripProtected = (data: Data): Data => {
  const copy = { ...data };
  for (const field of PROTECTED_GRIEVANCE_FIELDS) delete copy[field];
  return copy;
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const findRow = async (uid: string, ref: RelationRef | null, populate: Record<string, unknown> = {}) => {
    if (!ref) return null;
    const where = ref.documentId ? { documentId: ref.documentId } : { id: ref.id };
    // Localised types have one row per locale; intake reads the default-locale row.
    const load = () => strapi.db.query(uid as any).findOne({ where, populate, orderBy: { id: 'asc' } });
    // Reference data (project, category, region, department) from the cache; cases never.
    return REFERENCE_UIDS.includes(uid) ? cached(`row:${uid}:${JSON.stringify(where)}:${JSON.stringify(populate)}`, load) : load();
  };

  const loadProject = async (ref: RelationRef | null): Promise<IntakeProject | null> => {
    const row = await findRow(UID.project, ref);
    return row ? { documentId: row.documentId, code: row.code, timezone: row.timezone || 'UTC' } : null;
  };

  const loadCategory = async (ref: RelationRef | null): Promise<IntakeCategory | null> => {
    const row = await findRow(UID.category, ref, { project: { select: ['documentId'] }, defaultDepartment: { select: ['documentId'] } });
    if (!row) return null;
    return {
      documentId: row.documentId,
      projectDocumentId: row.project?.documentId ?? null,
      defaultDepartmentDocumentId: row.defaultDepartment?.documentId ?? null,
      defaultPriority: row.defaultPriority ?? 'normal',
      sensitive: Boolean(row.sensitive),
    };
  };

  const attributesOf = (uid: string) => (strapi.contentTypes as any)[uid].attributes;

  /** The stored case with every relation and media field an edit may name (not its history). */
  const loadForEdit = async (documentId: string | undefined) => {
    if (!documentId) return null;
    const populate: Record<string, unknown> = {};
    for (const [field, attribute] of Object.entries<any>(attributesOf(UID.grievance))) {
      if ((attribute.type === 'relation' && field !== 'events') || attribute.type === 'media') populate[field] = { select: ['id', 'documentId'] };
    }
    return strapi.db.query(UID.grievance as any).findOne({ where: { documentId }, populate });
  };

  /**
   * A duplicate link names a case of the same project that the editor may read: a link to any
   * case id would otherwise open that case to them through the relation (docs/security.md).
   */
  const assertDuplicateTarget = async (ref: RelationRef, current: any) => {
    const target = await findRow(UID.grievance, ref, { project: { select: ['documentId'] } });
    const ability = staffAbility();
    const readable = target && ability ? (await readableCases(ability, { ids: [target.id] })).ids.has(target.id) : Boolean(target);
    const refusal = !target || !readable || target.project?.documentId !== current.project?.documentId ? 'No case of this project that you may read has that id.'
      : target.id === current.id ? 'A case cannot duplicate itself.' : null;
    if (refusal) {
      throw new errors.ValidationError(refusal, { code: ERROR_CODES.VALIDATION, errors: [{ path: ['duplicateOf'], message: refusal, name: 'ValidationError' }] });
    }
  };

  const refOf = (value: unknown): RelationRef | null => {
    const change = readToOne(value);
    return change.kind === 'set' ? change.ref : null;
  };

  /**
   * Intake's rules for a new case, on input with the owned fields already removed: project and
   * category must agree, a department or region must be of the case's project, a duplicate link
   * must name a readable case of that project; then the starting priority and likely duplicates
   * (intake intelligence) and the intake-owned fields. Nothing is written here.
   */
  async function prepare(input: Data) {
    if (input.documentId != null || input.id != null) throw notEditable(['documentId']);
    const duplicate = readToOne(input.duplicateOf);
    if (duplicate.kind === 'set') {
      const project = await loadProject(refOf(input.project));
      await assertDuplicateTarget(duplicate.ref, { id: null, project });
    }
    const [project, category] = await Promise.all([loadProject(refOf(input.project)), loadCategory(refOf(input.category))]);
    const departmentRef = refOf(input.department);
    const department = departmentRef ? await findRow(UID.department, departmentRef, { projects: { select: ['documentId'] } }) : null;
    const regionRef = refOf(input.region);
    const region = regionRef ? await findRow(UID.region, regionRef, { project: { select: ['documentId'] } }) : null;
    // A department or region of another project would open the case to that project's staff.
    const foreign = [
      ...(departmentRef && (!department || !department.projects?.some((p: { documentId: string }) => p.documentId === project?.documentId)) ? ['department'] : []),
      ...(regionRef && (!region || region.project?.documentId !== project?.documentId) ? ['region'] : []),
    ];
    if (project && foreign.length > 0) {
      throw new errors.ValidationError(`No ${foreign.join(' or ')} of this project has that id.`, {
        code: ERROR_CODES.VALIDATION,
        errors: foreign.map((field) => ({ path: [field], message: `Choose a ${field} of the case's project.`, name: 'ValidationError' })),
      });
    }

    try {
      validateIntake({ description: input.description, channel: input.channel ?? undefined, priority: input.priority ?? undefined }, { project, category });
      // Intake intelligence: the starting priority, explained, and likely duplicates.
      const categoryRow = await findRow(UID.category, refOf(input.category), { defaultDepartment: { select: ['name'] } });
      const analysis = await getService('cases', 'analysis').analyse({
        projectDocumentId: project!.documentId,
        category: { documentId: category!.documentId, defaultPriority: category!.defaultPriority, priorityRules: categoryRow?.priorityRules },
        departmentName: department?.name ?? categoryRow?.defaultDepartment?.name ?? null,
        regionDocumentId: region?.documentId ?? null,
        description: String(input.description),
        language: typeof input.language === 'string' ? input.language : null,
        staffPriority: (input.priority as any) ?? null,
      });
      const fields = prepareGrievance(
        {
          description: input.description,
          channel: input.channel ?? undefined,
          priority: analysis.priority,
          sensitive: input.sensitive,
          departmentDocumentId: department?.documentId ?? null,
        },
        { project, category, now: new Date() }
      );
      // validateIntake above refused a case without project or category.
      return { project: project!, category: category!, region, fields, analysis };
    } catch (error) {
      throw toHttpError(error);
    }
  }

  /** A new case's `received` record (history row and event) for the case store, from intake's fields. */
  const receivedOf = <R extends { documentId: string }>(fields: IntakeFields, projectDocumentId: string, actor: Actor, ref: R) => ({
    grievance: { ...ref, trackingCode: fields.trackingCode, projectId: projectDocumentId, departmentId: fields.departmentDocumentId },
    actor,
    at: fields.submittedAt,
    channel: fields.channel,
    priority: fields.priority,
    sensitive: fields.sensitive,
  });

  /** The row id of a reference record's default-locale row, which a case links to. */
  const rowIdOf = (uid: string, documentId: string): Promise<number | null> =>
    cached(`row-id:${uid}:${documentId}`, async () => {
      const rows = await strapi.db.query(uid as any).findMany({ where: { documentId }, select: ['id', 'locale'], orderBy: { id: 'asc' } });
      return (rows.find((r: any) => r.locale === 'en') ?? rows[0])?.id ?? null;
    });

  return {
    /**
     * A case from the public paths (portal, channels, Open311): the same rules as every create,
     * written by the case store in a handful of statements instead of the document service's
     * forty (docs/performance.md). Run inside the submission's transaction; answers the case's
     * documentId and tracking code.
     */
    async file(data: Data, extra: { secretHash: string; attachments: number[] }) {
      const input = stripProtected(data);
      const { project, category, region, fields, analysis } = await prepare(input);
      const { departmentDocumentId, ...owned } = fields;
      const { project: _p, category: _c, region: _r, department: _d, duplicateOf: _dup, attachments: _a, ...columns } = input;
      const [projectId, categoryId, departmentId, regionId] = await Promise.all([
        rowIdOf(UID.project, project.documentId),
        rowIdOf(UID.category, category.documentId),
        departmentDocumentId ? rowIdOf(UID.department, departmentDocumentId) : null,
        region ? rowIdOf(UID.region, region.documentId) : null,
      ]);
      const documentId = createId();
      // Level 1's clocks go in with the INSERT: escalation decides them, the store writes them.
      const clocks = await getService('escalation', 'deadlines').clocksAt({
        projectDocumentId: project.documentId,
        regionDocumentId: region?.documentId ?? null,
        priority: fields.priority,
        caseStatus: fields.caseStatus,
        order: fields.escalationLevel,
        from: new Date(fields.submittedAt),
      });
      await getService('cases', 'store').fileCase({
        columns: { ...columns, ...owned, ...(clocks ?? {}), documentId, intakeAnalysis: analysis, secretHash: extra.secretHash },
        links: { project: projectId, category: categoryId, department: departmentId, region: regionId },
        attachments: extra.attachments,
        received: { ...receivedOf(fields, project.documentId, currentActor(), { documentId }), clocksSet: clocks !== null },
      });
      return {
        documentId,
        trackingCode: fields.trackingCode,
        caseStatus: fields.caseStatus,
        submittedAt: fields.submittedAt,
        acknowledgeDueAt: clocks?.acknowledgeDueAt ?? null,
        resolveDueAt: clocks?.resolveDueAt ?? null,
      };
    },

    /** create (the content manager, the seed): validate, fill the intake fields, write the grievance and its `received` event in one transaction. */
    async create(params: { data?: Data }, next: () => Promise<any>) {
      // Staff (the content manager) are told which owned field they tried to set; the platform's
      // own callers have them dropped.
      if (staffAbility()) {
        const refused = refusedOnCreate(params.data ?? {}, attributesOf(UID.grievance), PROTECTED_GRIEVANCE_FIELDS);
        if (refused.length > 0) throw notEditable(refused);
      }
      const input = stripProtected(params.data ?? {});
      const { project, category, fields, analysis } = await prepare(input);
      const { departmentDocumentId, ...owned } = fields;
      params.data = {
        ...input,
        ...owned,
        intakeAnalysis: analysis,
        project: project.documentId,
        category: category.documentId,
        department: departmentDocumentId ?? null,
      };
      const actor = currentActor();
      return strapi.db.transaction(async () => {
        const grievance = await next();
        await getService('cases', 'store').recordReceived(receivedOf(fields, project.documentId, actor, { id: grievance.id, documentId: grievance.documentId }));
        return grievance;
      });
    },

    /**
     * update (the content manager's save): only the descriptive fields of STAFF_EDITABLE_FIELDS
     * change; a change to anything else is refused whole with 400 NOT_EDITABLE naming the fields,
     * so nothing is half-written. Project and category must still agree; a sensitive category
     * makes the case sensitive; `duplicateOf` may only name a case the editor may read.
     */
    async update(params: { documentId?: string; data?: Data }, next: () => Promise<any>) {
      const data: Data = { ...(params.data ?? {}) };
      const current = await loadForEdit(params.documentId);
      if (!current) return next();
      const refused = refusedEdits(data, current, attributesOf(UID.grievance), STAFF_EDITABLE_FIELDS);
      // Only `true` keeps the flag: false, null, 0, "0" or "false" would clear it, which is the workflow's unmark_sensitive.
      if ('sensitive' in data && current.sensitive && data.sensitive !== true && !refused.includes('sensitive')) refused.push('sensitive');
      if (refused.length > 0) throw notEditable(refused);
      // Unchanged values of other fields are the form's echo of the record: drop them.
      for (const field of Object.keys(data)) if (!(STAFF_EDITABLE_FIELDS as readonly string[]).includes(field)) delete data[field];
      params.data = data;

      // The content manager sends the whole form: only a real change of priority is an override, and it needs a step-up.
      if ('priority' in data && data.priority !== current.priority) await getService('security', 'stepUp').require('priority_override');
      const duplicateChange = readToOne(data.duplicateOf);
      if (duplicateChange.kind === 'set') await assertDuplicateTarget(duplicateChange.ref, current);
      const categoryChange = readToOne(data.category);
      if (categoryChange.kind !== 'unchanged' || 'description' in data) {
        const project = await loadProject(current.project ? { documentId: current.project.documentId } : null);
        const category =
          categoryChange.kind === 'set' ? await loadCategory(categoryChange.ref)
          : categoryChange.kind === 'cleared' ? null
          : await loadCategory(current.category ? { documentId: current.category.documentId } : null);
        const description = 'description' in data ? data.description : current.description;
        try {
          // Same rules as intake: the case must keep a project, a category of that project and a description.
          validateIntake({ description, priority: data.priority }, { project, category });
        } catch (error) {
          throw toHttpError(error);
        }
        if (category?.sensitive) data.sensitive = true;
      }
      return next();
    },
  };
};
