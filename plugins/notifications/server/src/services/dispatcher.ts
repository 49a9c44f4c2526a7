/**
 * The dispatcher sends due outbox rows after commit. It claims a row with a conditional update
 * (pending → sending, with a lease), sends it, and marks it sent; on failure it schedules a retry
 * with exponential back-off, and after the last attempt (or a permanent error) marks it failed,
 * where staff see it and can retry it. Several instances may dispatch at once: a row is claimed
 * by one of them only, and a lease that runs out (a crash mid-send) frees it for another.
 *
 * A message for a channel that is not configured is not attempted: it is held (one state, no
 * retries, no failure) until the app starts with the channel configured. In demo outbox mode
 * e-mail, SMS and WhatsApp are recorded as delivered to the demo outbox and never leave the
 * server (docs/notifications.md).
 */
import type { Core } from '@strapi/strapi';
import { retryDelay } from '../domain/plan';
import { CHANNEL_NAMES, DEFAULTS, UID } from '../constants';
import { EXTERNAL_CHANNELS } from '../domain/delivery';
import { ChannelError } from './channels';
import { getService } from '../../../../../src/platform/services';

export interface DispatchResult {
  sent: number;
  retried: number;
  failed: number;
  /** Messages held because their channel is not configured (not attempted). */
  held: number;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = () => strapi.db.query(UID.notification as any);
  const setting = <K extends keyof typeof DEFAULTS>(key: K): number => Number(strapi.config.get(`plugin::notifications.${key}`, DEFAULTS[key]));
  const channels = () => getService('notifications', 'channels');
  const live = () => getService('notifications', 'live');

  async function deliver(row: any) {
    switch (row.channel) {
      case 'email':
        return channels().email(row.recipientAddress, row.subject, row.body, row.text, row.dedupeKey, row.attachments ?? []);
      case 'sms':
      case 'whatsapp':
        return channels().gateway(row.channel, row.recipientAddress, row.text);
      case 'in_app':
        return live().publish(row.recipientUserId, { id: row.id, event: row.event, subject: row.subject, body: row.text, trackingCode: row.trackingCode, createdAt: row.createdAt });
      default:
        throw new ChannelError(`Unknown channel ${row.channel}.`, true);
    }
  }

  async function recordSent(id: number, attempts: number, claimedAt: Date, delivery: 'provider' | 'demo_outbox') {
    const until = claimedAt.getTime() + setting('leaseMs') / 2;
    for (;;) {
      try {
        await q().update({ where: { id }, data: { status: 'sent', attempts, sentAt: new Date(), leaseUntil: null, lastError: null, delivery } });
        return;
      } catch (error) {
        if (Date.now() >= until) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  return {
    async dispatchDue(options: { now?: Date; limit?: number } = {}): Promise<DispatchResult> {
      const now = options.now ?? new Date();
      const result: DispatchResult = { sent: 0, retried: 0, failed: 0, held: 0 };
      const { channels: states } = channels().health();
      const due = await q().findMany({
        where: { $or: [{ status: 'pending', nextAttemptAt: { $lte: now } }, { status: 'sending', leaseUntil: { $lt: now } }] },
        orderBy: [{ nextAttemptAt: 'asc' }, { id: 'asc' }],
        limit: options.limit ?? setting('batchSize'),
      });
      for (const row of due) {
        const state = states[row.channel as keyof typeof states];
        if (state === 'not_configured') {
          const { count: held } = await q().updateMany({
            where: { id: row.id, status: row.status, attempts: row.attempts },
            data: { status: 'held', leaseUntil: null, nextAttemptAt: null, lastError: `${CHANNEL_NAMES[row.channel as keyof typeof CHANNEL_NAMES] ?? row.channel} is not configured.` },
          });
          result.held += held;
          continue;
        }
        const { count } = await q().updateMany({
          where: { id: row.id, status: row.status, attempts: row.attempts },
          data: { status: 'sending', leaseUntil: new Date(now.getTime() + setting('leaseMs')) },
        });
        if (count !== 1) continue; // another dispatcher took it
        const attempts = (row.attempts ?? 0) + 1;
        try {
          // The demo outbox is the row itself, already rendered: nothing to send.
          if (state !== 'demo_outbox') await deliver(row);
        } catch (error: any) {
          const permanent = error instanceof ChannelError && error.permanent;
          const giveUp = permanent || attempts >= setting('maxAttempts');
          await q().update({
            where: { id: row.id },
            data: {
              status: giveUp ? 'failed' : 'pending',
              attempts,
              leaseUntil: null,
              lastError: String(error?.message ?? error).slice(0, 1000),
              nextAttemptAt: giveUp ? null : new Date(now.getTime() + retryDelay(attempts, setting('retryBaseMs'), setting('retryMaxMs'))),
            },
          });
          if (giveUp) result.failed += 1;
          else result.retried += 1;
          continue;
        }
        // The message is out. A database error now is not a failed delivery (queueing it again
        // would send it twice): keep trying to record it while the lease holds, through a
        // database restart; if that fails too, the lease runs out and it is sent again.
        await recordSent(row.id, attempts, now, state === 'demo_outbox' ? 'demo_outbox' : 'provider');
        result.sent += 1;
      }
      return result;
    },

    /**
     * Held messages of channels that now deliver (configured since, or the demo outbox) go out
     * on the next dispatch; called at start, as the channel configuration changes only then.
     */
    async releaseHeld(): Promise<number> {
      const { channels: states } = channels().health();
      // Held messages wait for a real provider: released into the demo outbox they would count as
      // sent and never reach the citizen.
      const ready = EXTERNAL_CHANNELS.filter((channel) => states[channel] === 'configured');
      if (ready.length === 0) return 0;
      const { count } = await q().updateMany({ where: { status: 'held', channel: { $in: ready } }, data: { status: 'pending', nextAttemptAt: new Date(), lastError: null } });
      return count;
    },

    /** Staff retry of a failed message: it goes out again on the next dispatch. */
    async retry(id: number): Promise<boolean> {
      const { count } = await q().updateMany({ where: { id, status: 'failed' }, data: { status: 'pending', attempts: 0, nextAttemptAt: new Date(), lastError: null } });
      return count === 1;
    },
  };
};
