/**
 * Writes whose answer a client will trust (a citizen told "filed", an officer told "done").
 *
 * Strapi's `db.transaction` resolves even when the database connection died at COMMIT: knex
 * reports a failed COMMIT only on the transaction's own promise (`executionPromise`), and
 * `trx.commit()` itself resolves. The crash drill caught the consequence: a submission answered
 * 201 with a tracking code for a case that was never stored, and its retry filed a second one.
 * Here the outermost transaction's outcome is awaited before the answer is given; a failed
 * COMMIT becomes an error (500), and the client's retry with the same idempotency key finds
 * nothing stored and files it once (docs/deployment.md, "Crash safety").
 */
export async function durably<T>(work: (ctx: { trx: any }) => Promise<T>): Promise<T> {
  // Nested in another transaction, the outer one commits, and its caller checks.
  if (strapi.db.inTransaction()) return strapi.db.transaction(work as any) as Promise<T>;
  let outcome: Promise<unknown> | null = null;
  const result = (await strapi.db.transaction(async (ctx: any) => {
    outcome = ctx?.trx?.executionPromise ?? null;
    // Observed below, after COMMIT; never left as an unhandled rejection meanwhile.
    outcome?.catch(() => undefined);
    return work(ctx);
  })) as T;
  if (outcome) await outcome;
  return result;
}
