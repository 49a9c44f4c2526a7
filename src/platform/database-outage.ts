/**
 * A database outage must not end the process. Strapi reads each entry back after its commit to
 * emit `entry.*` events, without waiting for that read (nor catching it); when PostgreSQL goes
 * away at that moment, the read's rejection is unhandled and Node ends the process, cutting off
 * every request the instance holds (the crash drill saw it in every round: docs/deployment.md).
 * Such a read concerns a change already committed, so losing it loses nothing: it is logged and
 * the instance carries on, its pool reconnecting. Any other unhandled rejection still ends the
 * process, as Node would.
 */
const CONNECTION_LOSS = [
  /Connection terminated/i,
  /Connection ended unexpectedly/i,
  /terminating connection due to administrator command/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /\bECONNREFUSED\b|\bECONNRESET\b|\bEPIPE\b/,
  /Client has encountered a connection error and is not queryable/i,
];

export function isConnectionLoss(reason: unknown): boolean {
  const text = reason instanceof Error ? `${reason.message} ${(reason as any).code ?? ''}` : String(reason ?? '');
  return CONNECTION_LOSS.some((pattern) => pattern.test(text)) || ['57P01', '57P03', 'ECONNREFUSED', 'ECONNRESET'].includes((reason as any)?.code);
}

let installed = false;

export function tolerateDatabaseOutages(log: { warn: (message: string) => void }): void {
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', (reason) => {
    if (isConnectionLoss(reason)) {
      log.warn(`A background database read failed while the database was away; carrying on: ${reason instanceof Error ? reason.message.slice(-200) : reason}`);
      return;
    }
    // What Node does without this listener: the process ends on an unexpected rejection.
    throw reason;
  });
}
