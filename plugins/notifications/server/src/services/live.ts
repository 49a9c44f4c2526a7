/**
 * Live alerts: staff members' open server-sent-event streams, by admin user.
 *
 * A staff member's stream is held by whichever application instance the load balancer sent them
 * to, and the alert is dispatched by whichever instance claimed the outbox row. On PostgreSQL
 * the dispatcher therefore publishes the alert with `pg_notify`, and every instance LISTENs on a
 * dedicated connection and writes it to the streams it holds. On SQLite (one instance by
 * definition) the alert goes straight to this process's streams.
 *
 * A notification that cannot be delivered live is not lost: it is a row in the staff member's
 * alert list, which the bell reads on open and after every reconnect.
 */
import { PassThrough } from 'node:stream';
import type { Core } from '@strapi/strapi';
import { listen, notify } from '../../../../../src/platform/pg-channels';

const HEARTBEAT_MS = 25_000;
const CHANNEL = 'grm_live_alerts';
/** PostgreSQL refuses NOTIFY payloads from 8,000 bytes; a long body is cut (the full text is in the alert list). */
const MAX_BODY_CHARS = 1_500;

type LiveAlert = Record<string, unknown> & { body?: unknown };

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const streams = new Map<number, Set<PassThrough>>();

  const shared = () => strapi.db.dialect.client === 'postgres';

  function writeLocal(userId: number, alert: LiveAlert): number {
    const set = streams.get(userId);
    for (const stream of set ?? []) stream.write(`event: alert\ndata: ${JSON.stringify(alert)}\n\n`);
    return set?.size ?? 0;
  }

  return {
    /** Starts listening for alerts published by any instance (PostgreSQL only). */
    async start(): Promise<void> {
      await listen(CHANNEL, {
        message: (payload) => {
          try {
            const { userId, alert } = JSON.parse(payload || '{}');
            if (typeof userId === 'number') writeLocal(userId, alert);
          } catch {
            // Not ours, or cut: nothing to write.
          }
        },
      });
    },

    open(userId: number): PassThrough {
      const stream = new PassThrough();
      const set = streams.get(userId) ?? new Set<PassThrough>();
      set.add(stream);
      streams.set(userId, set);
      stream.write(': connected\n\n');
      const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const close = () => {
        clearInterval(heartbeat);
        set.delete(stream);
        if (set.size === 0) streams.delete(userId);
      };
      stream.on('close', close);
      stream.on('error', close);
      return stream;
    },

    /** Sends an alert to the user's streams on every instance. */
    async publish(userId: number, alert: LiveAlert): Promise<void> {
      if (!shared()) {
        writeLocal(userId, alert);
        return;
      }
      const body = typeof alert.body === 'string' && alert.body.length > MAX_BODY_CHARS ? `${alert.body.slice(0, MAX_BODY_CHARS)}…` : alert.body;
      await notify(CHANNEL, JSON.stringify({ userId, alert: { ...alert, body } }));
    },

    /** Ends this instance's streams (the listener itself closes with the app, in src/index.ts). */
    async closeAll(): Promise<void> {
      for (const set of streams.values()) for (const stream of set) stream.end();
      streams.clear();
    },
  };
};
