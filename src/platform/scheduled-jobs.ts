/**
 * Scheduled jobs that run once per occurrence across every application instance.
 *
 * Each instance keeps the same cron schedule (no instance is special, so any can go down). When
 * an occurrence fires, the instances race to insert its row into `job_runs`; the primary key
 * lets one win, and only the winner runs the task. The occurrence is the scheduled fire time,
 * which every instance computes alike from the rule, so clock skew between instances does not
 * make two occurrences of one.
 */
import { hostname } from 'node:os';

/** Claims are kept this long (for operators to see which instance ran what), then purged. */
const RETENTION_MS = 30 * 86_400_000;

const INSTANCE_ID = `${hostname()}:${process.pid}`;

/** True when this instance claimed the occurrence, false when another instance already had. */
export async function claimOccurrence(job: string, fireDate: Date, now = Date.now()): Promise<boolean> {
  const knex = strapi.db.connection;
  // Whole seconds: instances agree on the scheduled second even if a timer fired a few ms apart.
  const occurrence = new Date(Math.floor(fireDate.getTime() / 1000) * 1000).toISOString();
  const inserted = await knex('job_runs')
    .insert({ job, occurrence, instance: INSTANCE_ID, claimed_at: now })
    .onConflict(['job', 'occurrence'])
    .ignore()
    .returning('job');
  const claimed = Array.isArray(inserted) ? inserted.length === 1 : Boolean(inserted);
  if (claimed) await knex('job_runs').where('claimed_at', '<', now - RETENTION_MS).del();
  return claimed;
}

/** Gives a claim back, so that a later occurrence may try again (its work failed). */
export async function releaseOccurrence(job: string, fireDate: Date): Promise<void> {
  const occurrence = new Date(Math.floor(fireDate.getTime() / 1000) * 1000).toISOString();
  await strapi.db.connection('job_runs').where({ job, occurrence }).del();
}

export interface ScheduledJob {
  /** Unique name; also the cron task's name. */
  name: string;
  /** A cron rule (five fields, or six with seconds). */
  rule: string;
  /** IANA time zone the rule is read in (default: the server's). */
  tz?: string;
  task: () => Promise<void>;
}

/**
 * Adds a cron task that runs `task` on the one instance that claims each occurrence. A failure
 * (the database restarting, say) is logged and the next occurrence runs as usual: the cron
 * library leaves a rejected task unhandled, and Node ends the process on an unhandled rejection.
 */
export function scheduleOnce(job: ScheduledJob): void {
  strapi.cron.add({
    [job.name]: {
      task: async (_context: unknown, fireDate?: Date) => {
        try {
          if (!(await claimOccurrence(job.name, fireDate ?? new Date()))) return;
          await job.task();
        } catch (error: any) {
          strapi.log.error(`Scheduled job ${job.name} failed: ${error?.message ?? error}`);
        }
      },
      options: job.tz ? { rule: job.rule, tz: job.tz } : { rule: job.rule },
    },
  } as Parameters<typeof strapi.cron.add>[0]);
}
