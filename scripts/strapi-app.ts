/** Boots the compiled app (dist/) without serving HTTP, for operator commands and tests. */
import path from 'node:path';
import { createStrapi, type Core } from '@strapi/strapi';

// This file runs compiled from dist/scripts/ (operator commands) or from source (tests).
export const APP_DIR = path.basename(path.dirname(__dirname)) === 'dist' ? path.resolve(__dirname, '..', '..') : path.resolve(__dirname, '..');

export async function bootStrapi(options: { logLevel?: string; serveAdminPanel?: boolean } = {}): Promise<Core.Strapi> {
  const app = createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist'), serveAdminPanel: options.serveAdminPanel ?? false });
  app.log.level = options.logLevel ?? process.env.LOG_LEVEL ?? 'warn';
  return app.load();
}

/**
 * Strapi emits entry events after each commit without awaiting their listeners, which read the
 * entry back. Waiting until the pool is idle lets those reads finish before the pool closes.
 */
export async function shutDown(app: Core.Strapi): Promise<void> {
  const pool = (app.db?.connection as any)?.client?.pool;
  for (let i = 0; pool && i < 200; i += 1) {
    if (pool.numUsed() === 0 && pool.numPendingAcquires() === 0 && pool.numPendingCreates() === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await app.destroy();
}
