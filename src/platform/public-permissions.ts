/**
 * The Public (unauthenticated) role of the content API may read reference data and nothing
 * else. Granted idempotently on every start; grants to other actions are removed so the
 * public surface is exactly what this file says. That includes users-permissions' account
 * routes (register, sign in, password reset, e-mail confirmation), which Strapi grants by
 * default: citizens act with their case secret, integrations with API tokens, so nobody needs
 * a content-API account, and open registration would only invite spam accounts.
 */
import { PUBLIC_REFERENCE_UIDS } from './uids';

const PUBLIC_ACTIONS: string[] = PUBLIC_REFERENCE_UIDS.flatMap((uid) => [`${uid}.find`, `${uid}.findOne`]);

export async function ensurePublicPermissions(): Promise<void> {
  const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
  if (!role) return;
  const permissionQuery = strapi.db.query('plugin::users-permissions.permission');
  const existing = await permissionQuery.findMany({ where: { role: { id: role.id } } });
  const have = new Set(existing.map((p: { action: string }) => p.action));
  for (const action of PUBLIC_ACTIONS) {
    if (!have.has(action)) await permissionQuery.create({ data: { action, role: role.id } });
  }
  const extra = existing.filter(
    (p: { action: string; id: number }) => (p.action.startsWith('api::') && !PUBLIC_ACTIONS.includes(p.action)) || p.action.startsWith('plugin::users-permissions.auth.')
  );
  if (extra.length > 0) await permissionQuery.deleteMany({ where: { id: { $in: extra.map((p: { id: number }) => p.id) } } });
}
