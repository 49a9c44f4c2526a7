/**
 * Scope applies to every door, relations included (docs/security.md, "Relations keep their
 * scope"). The content manager checks a staff member's RBAC conditions on the case they open
 * or list, but a case reached through a relation of it (`duplicateOf`, the case of a case event
 * or transfer) came back whole with `populate`, whatever project or department it belonged to.
 * Here every case nested in a staff member's read is kept only if they may read it themselves,
 * and the intake analysis's "likely duplicates" name only cases they may read.
 */
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

/** Document-service middleware (strapi.documents.use): reads by staff lose the related cases they may not read. */
export async function scopeRelatedCases(ctx: any, next: () => Promise<any>): Promise<any> {
  if (!['findOne', 'findMany', 'findFirst'].includes(ctx.action)) return next();
  const ability = staffAbility();
  const result = await next();
  if (!ability || !result) return result;
  const roots = rootsOf(result);
  const ids: number[] = [];
  for (const root of roots) eachRelatedCase(root, ctx.uid, (holder, key) => caseItems(holder[key]).forEach((c) => typeof c?.id === 'number' && ids.push(c.id)));
  const duplicateIds = ctx.uid === UID.grievance ? roots.flatMap((r) => (r?.intakeAnalysis?.duplicates ?? []).map((d: any) => String(d?.documentId))) : [];
  if (ids.length === 0 && duplicateIds.length === 0) return result;
  const readable = await readableCases(ability, { ids, documentIds: duplicateIds });
  for (const root of roots) {
    eachRelatedCase(root, ctx.uid, (holder, key) => {
      const value = holder[key];
      // Items without an id are counts ({ count }), not cases.
      if (Array.isArray(value)) holder[key] = value.filter((c) => typeof c?.id !== 'number' || readable.ids.has(c.id));
      else if (typeof value?.id === 'number' && !readable.ids.has(value.id)) holder[key] = null;
    });
    if (ctx.uid === UID.grievance && Array.isArray(root?.intakeAnalysis?.duplicates)) {
      root.intakeAnalysis = { ...root.intakeAnalysis, duplicates: root.intakeAnalysis.duplicates.filter((d: any) => readable.documentIds.has(String(d?.documentId))) };
    }
  }
  return result;
}

/** Fields of a case that no relation answer may select: the secret's hash, the phone's index, the sealed contact. */
export const UNSELECTABLE_CASE_FIELDS = [...HIDDEN_FIELDS, 'citizenName', 'citizenPhone', 'citizenEmail'];
