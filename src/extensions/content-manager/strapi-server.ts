/**
 * Two crashes of the content manager's relation routes (`/content-manager/relations/...`),
 * found by tests/integration/fuzz.test.ts, refused with 400 VALIDATION instead of a 500:
 * - a model name found on Object.prototype (`toString`, `constructor`): the route looked it up
 *   without checking it is a registered content type or component;
 * - `fields` naming a column the relation's target does not have
 *   (`.../api::grievance.grievance/assignee?fields[0]=citizenPhone`): the route passes the
 *   requested fields to the query of the target (admin users here), whose SQL then fails.
 * And one leak: these routes read with the query engine, so a relation to a case could select
 * its secret's hash, its phone index or its sealed contact (docs/security.md, "Relations keep
 * their scope"). The available cases of a picker are filtered by the target's RBAC conditions
 * (Strapi's own permission query); the cases a record already links to were not, so an answer
 * keeps only the cases the staff member may read.
 */
import { errors } from '@strapi/utils';
import { ERROR_CODES } from '../../domain/errors';
import { readableCases, staffAbility, UNSELECTABLE_CASE_FIELDS } from '../../platform/case-access';
import { pickerLocale, relationProjectFilter } from '../../platform/relation-scope';
import { UID } from '../../platform/uids';

const ACTIONS = ['findAvailable', 'findExisting'];
const has = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);
const refuse = (message: string): never => {
  throw new errors.ValidationError(message, { code: ERROR_CODES.VALIDATION });
};

function checkRequest(ctx: any): void {
  const model = String(ctx.params?.model ?? '');
  if (!has(strapi.contentTypes, model) && !has(strapi.components, model)) refuse(`The model ${model} doesn't exist`);
  const fields = ctx.query?.fields;
  if (fields === undefined) return;
  const attribute = (strapi.getModel(model as any) as any).attributes?.[String(ctx.params?.targetField ?? '')];
  const target = attribute?.target && has(strapi.contentTypes, attribute.target) ? (strapi.contentTypes as any)[attribute.target] : undefined;
  if (!target) return; // the controller refuses an unknown relation itself
  const requested: unknown[] = Array.isArray(fields) ? fields : typeof fields === 'string' ? fields.split(',') : [fields];
  const known = (name: unknown) => typeof name === 'string' && (has(target.attributes, name.trim()) || ['id', 'documentId'].includes(name.trim()));
  if (!requested.every(known)) refuse(`Invalid fields parameter for ${attribute.target}`);
  // These routes read with the query engine, below the document service that hides these fields.
  if (attribute.target === UID.grievance && requested.some((name) => UNSELECTABLE_CASE_FIELDS.includes(String(name).trim()))) {
    refuse('The case secret, the phone index and the citizen\'s contact cannot be selected in a relation.');
  }
}

/** Whatever was selected, a relation answer never carries these fields of a case. */
function stripUnselectable(body: any): void {
  for (const item of Array.isArray(body?.results) ? body.results : []) {
    for (const field of UNSELECTABLE_CASE_FIELDS) if (item && typeof item === 'object') delete item[field];
  }
}

/** A relation answer into cases names only the cases the staff member may read. */
async function keepReadableCases(ctx: any): Promise<void> {
  const attribute = (strapi.getModel(String(ctx.params?.model ?? '') as any) as any)?.attributes?.[String(ctx.params?.targetField ?? '')];
  const results = ctx.body?.results;
  if (attribute?.target !== UID.grievance || !Array.isArray(results) || results.length === 0) return;
  const ability = staffAbility() ?? ctx.state?.userAbility;
  const ids = results.map((item: any) => Number(item?.id)).filter(Number.isInteger);
  const readable = ability ? await readableCases(ability, { ids }) : { ids: new Set<number>() };
  ctx.body.results = results.filter((item: any) => readable.ids.has(Number(item?.id)));
}

/**
 * A picker lists each localized record once, in the locale being edited, and only records of the
 * right project (src/platform/relation-scope.ts): the query the controller reads is narrowed here.
 */
async function narrowAvailable(ctx: any): Promise<void> {
  const model = String(ctx.params?.model ?? '');
  const attribute = (strapi.getModel(model as any) as any)?.attributes?.[String(ctx.params?.targetField ?? '')];
  if (attribute?.type !== 'relation' || !attribute.target) return; // the controller refuses it
  const query = { ...(ctx.request.query ?? {}) };
  const locale = await pickerLocale(attribute.target, query.locale);
  if (locale) query.locale = locale;
  const isComponent = (strapi.getModel(model as any) as any)?.modelType === 'component';
  const scope = await relationProjectFilter(model, !isComponent && typeof query.id === 'string' ? query.id : undefined, attribute.target, ctx.state?.user);
  if (scope) query.filters = query.filters ? { $and: [query.filters, scope] } : scope;
  // The controller reads ctx.request.query; Koa's own setter would flatten the nested filters.
  Object.defineProperty(ctx.request, 'query', { value: query, configurable: true, writable: true });
}

export default (plugin: any) => {
  const relations = plugin.controllers.relations;
  for (const action of ACTIONS) {
    const handler = relations?.[action];
    if (typeof handler !== 'function') continue;
    relations[action] = async function guarded(this: unknown, ctx: any, ...rest: unknown[]) {
      checkRequest(ctx);
      if (action === 'findAvailable') await narrowAvailable(ctx);
      const result = await handler.call(this, ctx, ...rest);
      await keepReadableCases(ctx);
      stripUnselectable(ctx.body);
      return result;
    };
  }
  return plugin;
};
