/**
 * Intake intelligence for a new case (every intake path): the priority with its reasons, the
 * description's tone, and likely duplicates among recent cases of the same project and category
 * (and region, when given). The explanation is stored with the case (`intakeAnalysis`) so staff
 * see why; nothing here decides for them beyond the starting priority.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import sentiment from 'wink-sentiment';
import { decidePriority, likelyDuplicates } from '../../../domain/intake-analysis';
import type { Priority } from '../../../domain/vocabulary';

const WINDOW_DAYS = 90;
const CANDIDATES = 200;

export interface Analysis {
  priority: Priority;
  priorityReasons: string[];
  sentiment: number | null;
  duplicates: Array<{ trackingCode: string; documentId: string; score: number }>;
  routing: string;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const pg = () => strapi.db.dialect.client === 'postgres';

  /** Recent cases of the same project and category (and region), most similar first on PostgreSQL. */
  async function candidates(projectDocumentId: string, categoryDocumentId: string, regionDocumentId: string | null, text: string) {
    const since = new Date(Date.now() - WINDOW_DAYS * 86_400_000);
    const useTrigram = pg() && (await trigramAvailable());
    // Inside the intake's transaction when there is one (SQLite has a single connection).
    return strapi.db.transaction(async ({ trx }: { trx: Knex.Transaction }) => {
      const q = trx('grievances as g')
        .join('grievances_project_lnk as gp', 'gp.grievance_id', 'g.id')
        .join('projects as p', 'p.id', 'gp.project_id')
        .join('grievances_category_lnk as gc', 'gc.grievance_id', 'g.id')
        .join('categories as c', 'c.id', 'gc.category_id')
        .where('p.document_id', projectDocumentId)
        .where('c.document_id', categoryDocumentId)
        .where('g.submitted_at', '>=', pg() ? since : since.getTime())
        .select('g.id', 'g.description', 'g.tracking_code', 'g.document_id')
        .limit(CANDIDATES);
      if (regionDocumentId) {
        q.join('grievances_region_lnk as gr', 'gr.grievance_id', 'g.id').join('regions as r', 'r.id', 'gr.region_id').where('r.document_id', regionDocumentId);
      }
      if (useTrigram) q.orderByRaw('similarity(g.description, ?) DESC', [text]);
      else q.orderBy('g.submitted_at', 'desc');
      return q;
    });
  }

  let trigram: boolean | null = null;
  async function trigramAvailable() {
    if (trigram === null) {
      const result = await strapi.db.transaction(({ trx }: { trx: Knex.Transaction }) => trx.raw("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') AS ok"));
      trigram = Boolean(result.rows[0].ok);
    }
    return trigram;
  }

  return {
    async analyse(input: {
      projectDocumentId: string;
      category: { documentId: string; defaultPriority: Priority; name?: string; priorityRules?: unknown };
      departmentName: string | null;
      regionDocumentId: string | null;
      description: string;
      language: string | null;
      staffPriority: Priority | null;
    }): Promise<Analysis> {
      // The lexicon is English: other languages get no tone score rather than a wrong one.
      const tone = !input.language || input.language === 'en' ? sentiment(input.description).score : null;
      const decided = input.staffPriority
        ? { priority: input.staffPriority, reasons: [`Set by staff: ${input.staffPriority}.`] }
        : decidePriority({ categoryDefault: input.category.defaultPriority, rules: input.category.priorityRules, text: input.description, sentiment: tone });
      const rows = await candidates(input.projectDocumentId, input.category.documentId, input.regionDocumentId, input.description);
      const byId = new Map(rows.map((r: any) => [Number(r.id), r]));
      const duplicates = likelyDuplicates(input.description, rows.map((r: any) => ({ id: Number(r.id), text: String(r.description ?? '') }))).map((d) => ({
        trackingCode: (byId.get(d.id) as any).tracking_code,
        documentId: (byId.get(d.id) as any).document_id,
        score: d.score,
      }));
      return {
        priority: decided.priority,
        priorityReasons: decided.reasons,
        sentiment: tone,
        duplicates,
        routing: input.departmentName ? `Department "${input.departmentName}" from the category.` : 'No department: the category names none.',
      };
    },
  };
};
