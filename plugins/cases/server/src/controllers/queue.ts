/** Thin controller of the staff queue: parse, call one service method, shape the answer. */
import type { Core } from '@strapi/strapi';
import { getService } from '../../../../../src/platform/services';
import { failWith } from '../../../../../src/platform/http-error';
import { STATUS_BY_CODE } from '../constants';
import { parseQueueRequest } from '../domain/queue';
import { WorkflowRefusal } from '../services/refusal';

export default (_: { strapi: Core.Strapi }) => ({
  async list(ctx: any) {
    const parsed = parseQueueRequest(ctx.query ?? {});
    if ('problems' in parsed) {
      return failWith(ctx, 400, 'VALIDATION', parsed.problems.map((p) => p.message).join(' '), parsed.problems);
    }
    ctx.set('Cache-Control', 'private, no-store');
    try {
      const page = await getService('cases', 'queue').list(ctx.state.user, ctx.state.userAbility, parsed.request);
      ctx.body = page;
    } catch (error) {
      if (!(error instanceof WorkflowRefusal)) throw error;
      failWith(ctx, STATUS_BY_CODE[error.code] ?? 400, error.code, error.message, error.errors);
    }
  },
});
