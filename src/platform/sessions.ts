/**
 * A staff member's sessions end when their password changes, whoever changes it. Strapi ends
 * them when users change their own password or reset it, but not when an administrator sets a
 * new one, which is exactly what happens when an account is thought compromised.
 */
import type { Core } from '@strapi/strapi';

export function registerSessionRevocation(strapi: Core.Strapi): void {
  strapi.db.lifecycles.subscribe({
    models: ['admin::user'],
    async afterUpdate(event: any) {
      const changed = event.params?.data && ('password' in event.params.data || event.params.data.isActive === false);
      const manager = (strapi as any).sessionManager;
      if (!changed || !event.result?.id || !manager?.hasOrigin?.('admin')) return;
      await manager('admin').invalidateRefreshToken(String(event.result.id));
    },
  } as any);
}
