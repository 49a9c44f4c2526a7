/**
 * The users-permissions auth actions read fields straight off `ctx.request.body`; with no body,
 * or a body that is not a JSON object (a form or XML the body parser leaves alone, an array), they
 * crashed with a TypeError and answered 500 (found by tests/integration/fuzz.test.ts, e.g.
 * `POST /api/auth/forgot-password` with no body). Such a request is refused with 400 VALIDATION.
 */
import { errors } from '@strapi/utils';
import { ERROR_CODES } from '../../domain/errors';

/** The actions that take their input from the body (the local login is `callback` without a provider). */
const BODY_ACTIONS = ['callback', 'changePassword', 'resetPassword', 'forgotPassword', 'register', 'sendEmailConfirmation'];

const isObject = (value: unknown) => Boolean(value) && typeof value === 'object' && !Array.isArray(value);

export default (plugin: any) => {
  const factory = plugin.controllers.auth;
  plugin.controllers.auth = (context: unknown) => {
    const controller = typeof factory === 'function' ? factory(context) : factory;
    for (const action of BODY_ACTIONS) {
      const handler = controller[action];
      if (typeof handler !== 'function') continue;
      controller[action] = async function guarded(this: unknown, ctx: any, ...rest: unknown[]) {
        const readsBody = action !== 'callback' || !ctx.params?.provider || ctx.params.provider === 'local';
        if (readsBody && !isObject(ctx.request?.body)) {
          throw new errors.ValidationError('The request body must be a JSON object.', { code: ERROR_CODES.VALIDATION });
        }
        return handler.call(this, ctx, ...rest);
      };
    }
    return controller;
  };
  return plugin;
};
