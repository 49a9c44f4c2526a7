/**
 * Scope applies to every door, relations included (docs/security.md, "Relations keep their
 * scope"). The content manager checks a staff member's RBAC conditions on the case they open
 * or list, but a case reached through a relation of it (`duplicateOf`, the case of a case event
 * or transfer) came back whole with `populate`, whatever project or department it belonged to.
 * Here every case nested in a staff member's read is kept only if they may read it themselves,
 * and the intake analysis's "likely duplicates" name only cases they may read.
 */
import { errors } from '@strapi/utils';
import { ERROR_CODES } from '../domain/errors';
import { HIDDEN_FIELDS } from './secret-hash';
import { UID } from './uids';

type Ability = unknown;

/** The request's admin ability: set by Strapi's admin authentication, absent for the public, API tokens and the system. */
export const staffAbility = (): Ability | null => (strapi.requestContext.get() as any)?.state?.userAbility ?? null;

/**
 * The staff member's read scope on cases as the query engine's `where`, made by the content
 * manager's own permission checker (their RBAC conditions); null when they may read no case.
 * Callers join their own conditions to it with AND, so sanitising can never drop or widen one.
 */
export async function caseReadScope(ability: Ability): Promise<Record<string, unknown> | null> {
  const checker = strapi.plugin('content-manager').service('permission-checker').create({ userAbility: ability, model: UID.grievance });
  if (checker.cannot.read()) return null;
  const query = await checker.sanitizedQuery.read({});
  return (strapi.get('query-params') as any).transform(UID.grievance, query).where ?? {};
}

/**
 * Of these cases, the ones the staff member may read in the content manager (the same RBAC
 * conditions, applied as a database filter), by id and by documentId.
 */
export async function readableCases(ability: Ability, where: { ids?: number[]; documentIds?: string[] }): Promise<{ ids: Set<number>; documentIds: Set<string> }> {
  const none = { ids: new Set<number>(), documentIds: new Set<string>() };
  const ids = [...new Set(where.ids ?? [])];
  const documentIds = [...new Set(where.documentIds ?? [])];
  if (ids.length === 0 && documentIds.length === 0) return none;
  const scope = await caseReadScope(ability);
  if (!scope) return none;
  const named = { $or: [...(ids.length ? [{ id: { $in: ids } }] : []), ...(documentIds.length ? [{ documentId: { $in: documentIds } }] : [])] };
  // The query engine, below the document service: this check must not run its own middlewares again.
  const rows = await strapi.db.query(UID.grievance as any).findMany({ where: { $and: [scope, named] }, select: ['id', 'documentId'] });
  return { ids: new Set(rows.map((r: { id: number }) => r.id)), documentIds: new Set(rows.map((r: { documentId: string }) => r.documentId)) };
}

/** Calls `visit` for every case held by a relation under `node` (a record of `uid`), at any depth. */
function eachRelatedCase(node: unknown, uid: string, visit: (holder: Record<string, any>, key: string) => void, depth = 0): void {
  if (!node || typeof node !== 'object' || depth > 20) return;
  if (Array.isArray(node)) {
    for (const item of node) eachRelatedCase(item, uid, visit, depth + 1);
    return;
  }
  const model = (strapi.contentTypes as any)[uid];
  for (const [key, attribute] of Object.entries<any>(model?.attributes ?? {})) {
    const value = (node as Record<string, any>)[key];
    if (attribute?.type !== 'relation' || !attribute.target || !value || typeof value !== 'object') continue;
    if (attribute.target === UID.grievance) visit(node as Record<string, any>, key);
    eachRelatedCase((node as Record<string, any>)[key], attribute.target, visit, depth + 1);
  }
}

const caseItems = (value: unknown): Array<{ id?: number }> => (Array.isArray(value) ? value : value && typeof value === 'object' ? [value as { id?: number }] : []);

/** The root records of a read: a case list page, one case, or any record. */
const rootsOf = (result: any): any[] => (Array.isArray(result) ? result : Array.isArray(result?.results) ? result.results : result ? [result] : []);

/**
 * Document-service middleware (strapi.documents.use): reads by staff lose the related cases they
 * may not read; a related case they may read comes without the citizen's sealed contact and
 * hidden fields (field permissions are the content manager's on the case it opens, not on cases
 * reached through it); and "likely duplicates" name only readable cases, at every depth.
 */
export async function scopeRelatedCases(ctx: any, next: () => Promise<any>): Promise<any> {
  if (!['findOne', 'findMany', 'findFirst'].includes(ctx.action)) return next();
  const ability = staffAbility();
  const result = await next();
  if (!ability || !result) return result;
  const roots = rootsOf(result);
  const ids: number[] = [];
  const cases: any[] = ctx.uid === UID.grievance ? [...roots] : [];
  for (const root of roots) {
    eachRelatedCase(root, ctx.uid, (holder, key) => caseItems(holder[key]).forEach((c) => {
      if (typeof c?.id === 'number') ids.push(c.id);
      cases.push(c);
    }));
  }
  const duplicatesOf = (c: any): any[] => (Array.isArray(c?.intakeAnalysis?.duplicates) ? c.intakeAnalysis.duplicates : []);
  const duplicateIds = cases.flatMap((c) => duplicatesOf(c).map((d: any) => String(d?.documentId)));
  if (ids.length === 0 && duplicateIds.length === 0) return result;
  const readable = await readableCases(ability, { ids, documentIds: duplicateIds });
  for (const root of roots) {
    eachRelatedCase(root, ctx.uid, (holder, key) => {
      const value = holder[key];
      // Items without an id are counts ({ count }), not cases.
      if (Array.isArray(value)) holder[key] = value.filter((c) => typeof c?.id !== 'number' || readable.ids.has(c.id));
      else if (typeof value?.id === 'number' && !readable.ids.has(value.id)) holder[key] = null;
      for (const kept of caseItems(holder[key])) for (const field of UNSELECTABLE_CASE_FIELDS) delete (kept as Record<string, unknown>)[field];
    });
  }
  for (const c of cases) {
    if (duplicatesOf(c).length > 0) c.intakeAnalysis = { ...c.intakeAnalysis, duplicates: duplicatesOf(c).filter((d: any) => readable.documentIds.has(String(d?.documentId))) };
  }
  return result;
}

/** Fields of a case that no relation answer may select: the secret's hash, the phone's index, the sealed contact. */
export const UNSELECTABLE_CASE_FIELDS = [...HIDDEN_FIELDS, 'citizenName', 'citizenPhone', 'citizenEmail'];

/** The target of an attribute that leads to another record (relation or component), or null. */
function targetOf(uid: string, key: string): string | null {
  const attribute = ((strapi.contentTypes as any)[uid] ?? (strapi.components as any)[uid])?.attributes?.[key];
  if (attribute?.type === 'relation') return attribute.target ?? null;
  if (attribute?.type === 'component') return attribute.component ?? null;
  return null;
}

/**
 * Whether a path of field names from `uid` leads where a staff read may not look: from a case
 * through a relation into a case, or to a hidden or sealed field of a case reached through a
 * relation (the RBAC conditions of case events and transfers go through their case, so a
 * relation into a case is otherwise fine).
 */
function pathReachesCase(uid: string, path: string[]): boolean {
  let model = uid;
  let related = false;
  for (const key of path) {
    if (related && model === UID.grievance && UNSELECTABLE_CASE_FIELDS.includes(key)) return true;
    const target = targetOf(model, key);
    if (!target) return false;
    if (target === UID.grievance && model === UID.grievance) return true;
    model = target;
    related = true;
  }
  return false;
}

/** Every path of field names a `filters` value names (operators left out). */
function filterPaths(filters: unknown, prefix: string[] = [], depth = 0, out: string[][] = []): string[][] {
  if (!filters || typeof filters !== 'object' || depth > 50) return out;
  if (Array.isArray(filters)) {
    for (const item of filters) filterPaths(item, prefix, depth + 1, out);
    return out;
  }
  for (const [key, value] of Object.entries(filters as Record<string, unknown>)) {
    if (key.startsWith('$')) {
      if (['$and', '$or', '$not'].includes(key.toLowerCase())) filterPaths(value, prefix, depth + 1, out);
      continue;
    }
    out.push([...prefix, key]);
    filterPaths(value, [...prefix, key], depth + 1, out);
  }
  return out;
}

/** Every path a `sort` value names: 'a.b:asc', 'a:asc,b:desc', { a: { b: 'asc' } }, or lists of these. */
function sortPaths(sort: unknown, prefix: string[] = [], depth = 0, out: string[][] = []): string[][] {
  if (!sort || depth > 50) return out;
  if (Array.isArray(sort)) for (const item of sort) sortPaths(item, prefix, depth + 1, out);
  else if (typeof sort === 'string') for (const part of sort.split(',')) out.push([...prefix, ...part.split(':')[0].trim().split('.')]);
  else if (typeof sort === 'object') {
    for (const [key, value] of Object.entries(sort as Record<string, unknown>)) {
      out.push([...prefix, key]);
      if (value && typeof value === 'object') sortPaths(value, [...prefix, key], depth + 1, out);
    }
  }
  return out;
}

/**
 * Document-service middleware: a staff read may not filter or sort by the fields of a case
 * reached through a relation (`filters[duplicateOf][trackingCode][$startsWith]=...`). Those
 * conditions are not checked against the reader's scope or field permissions, so matching on
 * them would reveal, a character at a time, a case they may not open, or a phone number through
 * its index. Refused whole with 400 VALIDATION (docs/security.md, "Relations keep their scope").
 */
export async function refuseFiltersThroughCases(ctx: any, next: () => Promise<any>): Promise<any> {
  if (['findOne', 'findMany', 'findFirst', 'count'].includes(ctx.action) && staffAbility()) {
    const params = ctx.params ?? {};
    const byFilter = filterPaths(params.filters).some((path) => pathReachesCase(ctx.uid, path));
    if (byFilter || sortPaths(params.sort).some((path) => pathReachesCase(ctx.uid, path))) {
      const field = byFilter ? 'filters' : 'sort';
      throw new errors.ValidationError('Filtering or sorting by the fields of a linked case is not allowed.', {
        code: ERROR_CODES.VALIDATION,
        errors: [{ path: [field], message: 'A condition on a linked case is not allowed.', name: 'ValidationError' }],
      });
    }
  }
  return next();
}
