/** Thin controllers: parse, call one service method, answer with a stable code on refusal. */
import type { Core } from '@strapi/strapi';
import { failWith } from '../../../../../src/platform/http-error';
import { ERROR } from '../constants';
import { StepUpRefusal } from '../services/step-up';
import { getService } from '../../../../../src/platform/services';

const ALLOWED: Record<string, string[]> = { enrol: ['password'], confirm: ['code'], stepUp: ['password', 'code'], offer: ['post', 'postDocumentId', 'toUserId'] };

export default (_: { strapi: Core.Strapi }) => {
  const service = () => getService('security', 'stepUp');
  const handovers = () => getService('security', 'handover');
  const idOf = (ctx: any) => (/^[1-9]\d{0,9}$/.test(String(ctx.params.id)) ? Number(ctx.params.id) : null);

  /** Runs a service call with a body of known fields, answering refusals with their code. */
  async function answer(ctx: any, method: keyof typeof ALLOWED | null, call: (body: any) => Promise<unknown>) {
    const body = ctx.request.body ?? {};
    if (method) {
      const unknown = typeof body === 'object' && !Array.isArray(body) ? Object.keys(body).filter((k) => !ALLOWED[method].includes(k)) : ['(body)'];
      if (unknown.length) return failWith(ctx, 400, ERROR.VALIDATION, `Send only ${ALLOWED[method].join(' and ')}.`);
    }
    try {
      ctx.body = { data: await call(body) };
    } catch (error) {
      if (error instanceof StepUpRefusal) {
        if (error.status === 429) ctx.set('Retry-After', '900');
        return failWith(ctx, error.status, error.code, error.message);
      }
      throw error;
    }
  }

  return {
    status: (ctx: any) => answer(ctx, null, () => service().status(ctx)),
    enrol: (ctx: any) => answer(ctx, 'enrol', (body) => service().enrol(ctx, body)),
    confirm: (ctx: any) => answer(ctx, 'confirm', (body) => service().confirm(ctx, body)),
    stepUp: (ctx: any) => answer(ctx, 'stepUp', (body) => service().stepUp(ctx, body)),
    handovers: (ctx: any) => answer(ctx, null, () => handovers().mine(ctx)),
    offer: (ctx: any) => answer(ctx, 'offer', (body) => handovers().offer(ctx, body)),
    accept: (ctx: any) => (idOf(ctx) ? answer(ctx, null, () => handovers().accept(ctx, idOf(ctx))) : failWith(ctx, 400, ERROR.VALIDATION, 'id must be a positive integer.')),
    closeHandover: (ctx: any) => (idOf(ctx) ? answer(ctx, null, () => handovers().close(ctx, idOf(ctx))) : failWith(ctx, 400, ERROR.VALIDATION, 'id must be a positive integer.')),
    reset: (ctx: any) => {
      const userId = Number(ctx.params.userId);
      if (!Number.isInteger(userId) || userId < 1) return failWith(ctx, 400, ERROR.VALIDATION, 'userId must be a positive integer.');
      return answer(ctx, null, () => service().reset(ctx, userId));
    },
  };
};
