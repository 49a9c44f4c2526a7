/** `POST /escalation/sweep` and the SLA-level what-if preview (super admins and project admins). */
import type { Core } from '@strapi/strapi';
import { yup } from '@strapi/utils';

const ADMINS = ['strapi-super-admin', 'grm-project-admin'];

const draftSchema = yup
  .object({
    project: yup.string().matches(/^[a-z0-9]{24}$/).required(),
    order: yup.number().integer().min(1).max(20).required(),
    acknowledgeWithinHours: yup.number().integer().min(1).nullable(),
    resolveWithinHours: yup.number().integer().min(1).nullable(),
    remindBeforeHours: yup.number().integer().min(0).nullable(),
    calendar: yup.string().oneOf(['business', 'calendar']).required(),
    priorityOverrides: yup.object().nullable(),
  })
  .noUnknown(true, 'Unknown field: ${unknown}')
  .strict(true);

function fail(ctx: any, status: number, code: string, message: string) {
  ctx.status = status;
  ctx.body = { data: null, error: { status, name: status === 403 ? 'ForbiddenError' : status === 404 ? 'NotFoundError' : 'ValidationError', message, details: { code } } };
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const isAdmin = (ctx: any) => (ctx.state.user?.roles ?? []).some((r: { code: string }) => ADMINS.includes(r.code));

  /** Super admins everywhere; project admins for the projects on their staff profile. */
  async function mayManage(ctx: any, projectDocumentId: string) {
    if ((ctx.state.user?.roles ?? []).some((r: { code: string }) => r.code === 'strapi-super-admin')) return true;
    const profile = await strapi.db.query('api::staff-profile.staff-profile' as any).findOne({
      where: { user: { id: ctx.state.user.id }, active: true },
      populate: { projects: { select: ['documentId'] } },
    });
    return (profile?.projects ?? []).some((p: { documentId: string }) => p.documentId === projectDocumentId);
  }

  return {
    async sweep(ctx: any) {
      if (!isAdmin(ctx)) return fail(ctx, 403, 'NOT_ALLOWED', 'Only administrators may run the sweep.');
      ctx.body = { data: await strapi.plugin('escalation').service('sweep').sweep() };
    },

    async preview(ctx: any) {
      if (!isAdmin(ctx)) return fail(ctx, 403, 'NOT_ALLOWED', 'Only administrators may preview SLA changes.');
      let draft;
      try {
        draft = await draftSchema.validate(ctx.request.body ?? {}, { abortEarly: false });
      } catch (error: any) {
        return fail(ctx, 400, 'VALIDATION', (error.errors ?? [error.message]).join(' '));
      }
      if (!(await mayManage(ctx, draft.project))) return fail(ctx, 403, 'NOT_ALLOWED', 'You do not manage this project.');
      const result = await strapi.plugin('escalation').service('preview').preview(draft);
      if (!result) return fail(ctx, 404, 'NOT_FOUND', 'No such project.');
      ctx.body = { data: result };
    },
  };
};
