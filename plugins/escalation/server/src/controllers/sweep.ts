/** `POST /escalation/sweep`: run one sweep now (super admins and project admins). */
import type { Core } from '@strapi/strapi';

const MAY_SWEEP = ['strapi-super-admin', 'grm-project-admin'];

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async sweep(ctx: any) {
    if (!(ctx.state.user?.roles ?? []).some((r: { code: string }) => MAY_SWEEP.includes(r.code))) {
      ctx.status = 403;
      ctx.body = { data: null, error: { status: 403, name: 'ForbiddenError', message: 'Only administrators may run the sweep.', details: { code: 'NOT_ALLOWED' } } };
      return;
    }
    ctx.body = { data: await strapi.plugin('escalation').service('sweep').sweep() };
  },
});
