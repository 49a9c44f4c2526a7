/**
 * `POST /escalation/sweep` and the SLA-level what-if preview (super admins and project admins),
 * and `GET /escalation/statistics` for any staff member within their scope.
 */
import type { Core } from '@strapi/strapi';
import { yup } from '@strapi/utils';
import { failWith as fail } from '../../../../../src/platform/http-error';
import { getService } from '../../../../../src/platform/services';

const ADMINS = ['strapi-super-admin', 'grm-project-admin'];
/** Roles that see project-wide figures; everyone else sees their own departments'. */
const PROJECT_WIDE = ['strapi-super-admin', 'grm-project-admin', 'grm-viewer'];
const DAY = 86_400_000;
const DEFAULT_PERIOD_DAYS = 30;

const statisticsSchema = yup
  .object({
    project: yup.string().matches(/^[a-z0-9]{24}$/, 'project must be a document id'),
    from: yup.date().typeError('from must be an ISO date'),
    to: yup.date().typeError('to must be an ISO date'),
  });
const STATISTICS_PARAMS = ['project', 'from', 'to'];

const draftSchema = yup
  .object({
    /** The project, or the saved level being edited (the admin panel sends the latter). */
    project: yup.string().matches(/^[a-z0-9]{24}$/),
    level: yup.string().matches(/^[a-z0-9]{24}$/),
    order: yup.number().integer().min(1).max(20).required(),
    acknowledgeWithinHours: yup.number().integer().min(1).nullable(),
    resolveWithinHours: yup.number().integer().min(1).nullable(),
    remindBeforeHours: yup.number().integer().min(0).nullable(),
    calendar: yup.string().oneOf(['business', 'calendar']).required(),
    priorityOverrides: yup.object().nullable(),
  })
  .noUnknown(true, 'Unknown field: ${unknown}')
  .strict(true);


export default ({ strapi }: { strapi: Core.Strapi }) => {
  const isAdmin = (ctx: any) => (ctx.state.user?.roles ?? []).some((r: { code: string }) => ADMINS.includes(r.code));

  const hasRole = (ctx: any, codes: string[]) => (ctx.state.user?.roles ?? []).some((r: { code: string }) => codes.includes(r.code));

  async function profileOf(ctx: any) {
    return strapi.db.query('api::staff-profile.staff-profile' as any).findOne({
      where: { user: { id: ctx.state.user.id }, active: true },
      populate: { projects: { select: ['documentId'] }, departments: { select: ['documentId'] } },
    });
  }

  /** Super admins everywhere; project admins for the projects on their staff profile. */
  async function mayManage(ctx: any, projectDocumentId: string) {
    if (hasRole(ctx, ['strapi-super-admin'])) return true;
    const profile = await profileOf(ctx);
    return (profile?.projects ?? []).some((p: { documentId: string }) => p.documentId === projectDocumentId);
  }

  return {
    async sweep(ctx: any) {
      if (!isAdmin(ctx)) return fail(ctx, 403, 'NOT_ALLOWED', 'Only administrators may run the sweep.');
      ctx.body = { data: await getService('escalation', 'sweep').sweep() };
    },

    async preview(ctx: any) {
      if (!isAdmin(ctx)) return fail(ctx, 403, 'NOT_ALLOWED', 'Only administrators may preview SLA changes.');
      let draft;
      try {
        draft = await draftSchema.validate(ctx.request.body ?? {}, { abortEarly: false });
      } catch (error: any) {
        return fail(ctx, 400, 'VALIDATION', (error.errors ?? [error.message]).join(' '));
      }
      let project = draft.project;
      if (!project && draft.level) {
        const saved = await strapi.db.query('api::sla-level.sla-level' as any).findOne({
          where: { documentId: draft.level },
          orderBy: { id: 'asc' },
          populate: { project: { select: ['documentId'] } },
        });
        if (!saved) return fail(ctx, 404, 'NOT_FOUND', 'No such SLA level.');
        project = saved.project?.documentId;
      }
      if (!project) return fail(ctx, 400, 'VALIDATION', 'Send the project, or the level being edited.');
      if (!(await mayManage(ctx, project))) return fail(ctx, 403, 'NOT_ALLOWED', 'You do not manage this project.');
      const { level: _level, ...edits } = draft;
      const result = await getService('escalation', 'preview').preview({ ...edits, project });
      if (!result) return fail(ctx, 404, 'NOT_FOUND', 'No such project.');
      ctx.body = { data: result };
    },

    async statistics(ctx: any) {
      const unknown = Object.keys(ctx.query ?? {}).filter((key) => !STATISTICS_PARAMS.includes(key));
      if (unknown.length > 0) return fail(ctx, 400, 'VALIDATION', `Unknown parameter: ${unknown.join(', ')}. Use ${STATISTICS_PARAMS.join(', ')}.`);
      let params;
      try {
        params = await statisticsSchema.validate(ctx.query ?? {}, { abortEarly: false });
      } catch (error: any) {
        return fail(ctx, 400, 'VALIDATION', (error.errors ?? [error.message]).join(' '));
      }
      const to = params.to ?? new Date();
      const from = params.from ?? new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY);
      if (from >= to) return fail(ctx, 400, 'VALIDATION', 'from must be before to.');
      let projects: string[];
      let departments: string[] | undefined;
      if (hasRole(ctx, ['strapi-super-admin'])) {
        projects = params.project
          ? [params.project]
          : [...new Set((await strapi.db.query('api::project.project' as any).findMany({ select: ['documentId'] })).map((p: any) => p.documentId as string))];
      } else {
        const profile = await profileOf(ctx);
        const mine = (profile?.projects ?? []).map((p: { documentId: string }) => p.documentId);
        if (params.project && !mine.includes(params.project)) return fail(ctx, 403, 'NOT_ALLOWED', 'This project is outside your scope.');
        projects = params.project ? [params.project] : mine;
        if (!hasRole(ctx, PROJECT_WIDE)) departments = (profile?.departments ?? []).map((d: { documentId: string }) => d.documentId);
      }
      ctx.body = { data: await getService('escalation', 'statistics').statistics({ projects, departments, from, to }) };
    },
  };
};
