/**
 * `npm run bench:audit`: what the audit trail costs, measured (never asserted).
 * - the time an audit append adds inside a transaction, next to a whole workflow transition;
 * - verify speed, on a chain of BENCH_AUDIT_EVENTS synthetic events (default 200,000),
 *   reported per million.
 * Uses the configured database; point DATABASE_FILENAME (SQLite) or DATABASE_URL (PostgreSQL)
 * at a scratch database: it seeds demo data and appends events that can never be deleted.
 */
import { randomUUID } from 'node:crypto';
import { bootStrapi, shutDown } from '../strapi-app';
import { seedDemo, DEFAULT_DEMO_PASSWORD } from '../seed/seed';
import { hashOf, AuditFields } from '../../plugins/audit/server/src/domain/chain';

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function main() {
  const strapi = await bootStrapi();
  const audit = strapi.plugin('audit').service('audit');
  const workflow = strapi.plugin('cases').service('workflow');
  const rounds = Number(process.env.BENCH_AUDIT_ROUNDS ?? 300);
  try {
    await seedDemo(strapi, { grievancesPerProject: 5, password: DEFAULT_DEMO_PASSWORD });
    const head = await strapi.db.query('admin::user').findOne({ where: { email: 'head.water@demo.local' }, populate: { roles: true } });
    const ability = await strapi.service('admin::permission').engine.generateUserAbility(head);
    const grievance = await strapi.db.query('api::grievance.grievance' as any).findOne({ where: { department: { code: 'WATER' } } });

    let start = process.hrtime.bigint();
    for (let i = 0; i < rounds; i += 1) {
      await strapi.db.transaction(() => audit.append({ action: 'bench.append', entityType: 'bench', entityId: randomUUID(), projectId: null, diff: { i } }));
    }
    const appendMs = ms(start) / rounds;

    start = process.hrtime.bigint();
    for (let i = 0; i < rounds; i += 1) {
      await workflow.transition(head, ability, grievance.documentId, { action: 'note', note: `Bench note ${i}` });
    }
    const transitionMs = ms(start) / rounds;

    // A long chain for verify: rows hashed exactly as the plugin does, inserted in batches.
    const target = Number(process.env.BENCH_AUDIT_EVENTS ?? 200_000);
    // The head, once every event appended above is sealed.
    const last = (await audit.head())!;
    let seq = Number(last.seq);
    let prevHash = last.hash as string;
    start = process.hrtime.bigint();
    while (seq < target) {
      const rows = [];
      for (let k = 0; k < 1000 && seq < target; k += 1) {
        seq += 1;
        const fields: AuditFields = {
          seq,
          occurredAt: new Date().toISOString(),
          actorType: 'system',
          actorId: null,
          actorLabel: 'bench',
          action: 'bench.chain',
          entityType: 'bench',
          entityId: String(seq),
          projectId: null,
          diff: { caseStatus: { from: 'in_progress', to: 'resolved' }, note: 'Pipe repaired; supply restored.' },
          ip: '127.0.0.1',
          userAgent: 'bench',
          prevHash,
        };
        const hash = hashOf(fields);
        prevHash = hash;
        rows.push({
          document_id: randomUUID().replace(/-/g, '').slice(0, 24),
          seq,
          occurred_at: fields.occurredAt,
          actor_type: fields.actorType,
          actor_id: null,
          actor_label: fields.actorLabel,
          action: fields.action,
          entity_type: fields.entityType,
          entity_id: fields.entityId,
          project_id: null,
          diff: JSON.stringify(fields.diff),
          ip: fields.ip,
          user_agent: fields.userAgent,
          prev_hash: fields.prevHash,
          hash,
        });
      }
      await strapi.db.connection.batchInsert('audit_events', rows, 250);
    }
    const fillSeconds = ms(start) / 1000;
    start = process.hrtime.bigint();
    const verified = await audit.verify();
    const verifyMs = ms(start);
    const perMillion = (verifyMs / 1000) * (1_000_000 / verified.checked);
    console.log(
      JSON.stringify(
        {
          database: strapi.db.dialect.client,
          appendInsideTransactionMs: Number(appendMs.toFixed(2)),
          workflowNoteTransitionMs: Number(transitionMs.toFixed(2)),
          auditShareOfTransition: Number((appendMs / transitionMs).toFixed(2)),
          chainLength: verified.checked,
          verifyOk: verified.ok,
          verifySeconds: Number((verifyMs / 1000).toFixed(2)),
          verifySecondsPerMillion: Number(perMillion.toFixed(1)),
          fillSeconds: Number(fillSeconds.toFixed(1)),
          heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1e6),
        },
        null,
        2
      )
    );
  } finally {
    await shutDown(strapi);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
