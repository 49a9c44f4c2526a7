/**
 * When the chain is sealed (docs/audit.md, "Sealing"): soon after a COMMIT that wrote events,
 * again shortly when another instance's sealer held the lock, and every few seconds in case an
 * instance died between its COMMIT and its seal. One run at a time per process; a COMMIT during
 * a run schedules one more.
 */
import { AsyncResource } from 'node:async_hooks';
import { SEAL_DELAY_MS, SEAL_INTERVAL_MS, SEAL_RETRY_MS } from '../constants';

export interface Sealer {
  /** Asks for a seal soon. Cheap and safe to call from any request. */
  kick(): void;
  /** Starts the periodic look for unsealed events (bootstrap). */
  start(): void;
  /** Stops the timers and waits for a run in progress (destroy). */
  stop(): Promise<void>;
}

export function createSealer(seal: () => Promise<number | null>, hasUnsealed: () => Promise<boolean>): Sealer {
  let timer: NodeJS.Timeout | null = null;
  let interval: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const schedule = (delay: number) => {
    if (stopped || timer) return;
    timer = setTimeout(run, delay);
    timer.unref();
  };

  const run = () => {
    timer = null;
    if (running) {
      again = true;
      return;
    }
    again = false;
    running = (async () => {
      try {
        // Another instance holds the lock: it may have read the pending events before ours committed.
        if ((await seal()) === null) schedule(SEAL_RETRY_MS);
      } catch (error) {
        if (!stopped) {
          strapi.log.warn(`audit: sealing failed, will retry: ${(error as Error).message}`);
          schedule(SEAL_RETRY_MS * 20);
        }
      } finally {
        running = null;
        // Events committed while this run was at work.
        if (again) schedule(SEAL_DELAY_MS);
      }
    })();
  };

  // Bound to the context the sealer was created in: a kick comes from a COMMIT callback, and its
  // timer should not carry that request's async context along (the seal itself always runs in a
  // transaction of its own on the pool).
  const kick = AsyncResource.bind(() => {
    if (running) again = true;
    else schedule(SEAL_DELAY_MS);
  });

  const look = AsyncResource.bind(() => {
    if (running || timer) return;
    hasUnsealed().then(
      (pending) => pending && schedule(0),
      () => undefined
    );
  });

  return {
    kick,
    start() {
      stopped = false;
      if (interval) return;
      interval = setInterval(look, SEAL_INTERVAL_MS);
      interval.unref();
      look();
    },
    async stop() {
      stopped = true;
      if (interval) clearInterval(interval);
      if (timer) clearTimeout(timer);
      interval = null;
      timer = null;
      await running;
    },
  };
}
