/**
 * The content manager's relation routes look the model up by name without checking it is one:
 * `GET /content-manager/relations/toString/x/department` found Object.prototype.toString and
 * crashed with a 500 (found by tests/integration/fuzz.test.ts). A name that is not a registered
 * content type or component is refused with 400 VALIDATION, as an unknown one already is.
 */
import { errors } from '@strapi/utils';
import { ERROR_CODES } from '../../domain/errors';

const ACTIONS = ['findAvailable', 'findExisting'];

export default (plugin: any) => {
  const relations = plugin.controllers.relations;
  for (const action of ACTIONS) {
    const handler = relations?.[action];
    if (typeof handler !== 'function') continue;
    relations[action] = async function guarded(this: unknown, ctx: any, ...rest: unknown[]) {
      const model = String(ctx.params?.model ?? '');
      const known = Object.prototype.hasOwnProperty.call(strapi.contentTypes, model) || Object.prototype.hasOwnProperty.call(strapi.components, model);
      if (!known) throw new errors.ValidationError(`The model ${model} doesn't exist`, { code: ERROR_CODES.VALIDATION });
      return handler.call(this, ctx, ...rest);
    };
  }
  return plugin;
};
