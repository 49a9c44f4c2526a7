/** Thin controllers: parse and validate, call one service method, shape the response. */
import type { Core } from '@strapi/strapi';
import { yup } from '@strapi/utils';
import { STATUS_BY_CODE } from '../constants';
import { WorkflowRefusal } from '../services/refusal';
import type { TransitionRequest } from '../services/workflow';
import { failWith } from '../../../../../src/platform/http-error';
import { getService } from '../../../../../src/platform/services';

const transitionBody = yup
  .object({
    action: yup.string().required().max(40),
    version: yup.number().integer().min(0),
    note: yup.string().max(10_000),
    reason: yup.string().max(4_000),
    resolution: yup.string().max(10_000),
    justification: yup.string().max(4_000),
    visibility: yup.string().oneOf(['internal', 'public']),
    assignee: yup.number().integer().positive(),
    toDepartment: yup.string().max(40),
  })
  .noUnknown(true, 'Unknown field: ${unknown}')
  .strict(true);

async function respond(ctx: any, work: () => Promise<unknown>) {
  try {
    ctx.body = { data: await work() };
  } catch (error) {
    if (!(error instanceof WorkflowRefusal)) throw error;
    failWith(ctx, STATUS_BY_CODE[error.code] ?? 400, error.code, error.message, error.errors);
  }
}

export default (_: { strapi: Core.Strapi }) => {
  const workflow = () => getService('cases', 'workflow');
  return {
    async actions(ctx: any) {
      await respond(ctx, () => workflow().actions(ctx.state.user, ctx.state.userAbility, ctx.params.documentId));
    },
    async assignees(ctx: any) {
      await respond(ctx, () => workflow().assignees(ctx.state.user, ctx.state.userAbility, ctx.params.documentId));
    },
    async transferTargets(ctx: any) {
      await respond(ctx, () => workflow().transferTargets(ctx.state.user, ctx.state.userAbility, ctx.params.documentId, typeof ctx.query.locale === 'string' ? ctx.query.locale : undefined));
    },
    async history(ctx: any) {
      await respond(ctx, () => workflow().history(ctx.state.user, ctx.state.userAbility, ctx.params.documentId));
    },
    async files(ctx: any) {
      ctx.set('Cache-Control', 'private, no-store');
      await respond(ctx, () => workflow().files(ctx.state.user, ctx.state.userAbility, ctx.params.documentId));
    },
    async transition(ctx: any) {
      let body;
      try {
        body = await transitionBody.validate(ctx.request.body ?? {}, { abortEarly: false });
      } catch (error: any) {
        const errors = (error.inner?.length ? error.inner : [error]).map((e: any) => ({ path: e.path ? [e.path] : [], message: e.message }));
        return failWith(ctx, 400, 'VALIDATION', errors.map((e: { message: string }) => e.message).join(' '), errors);
      }
      await respond(ctx, () => workflow().transition(ctx.state.user, ctx.state.userAbility, ctx.params.documentId, body as TransitionRequest));
    },
  };
};
