/**
 * Intake intelligence for a new case (every intake path): the priority with its reasons, the
 * description's tone, and likely duplicates among recent cases of the same project and category
 * (and region, when given). The explanation is stored with the case (`intakeAnalysis`) so staff
 * see why; nothing here decides for them beyond the starting priority.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import sentiment from 'wink-sentiment';
import { decidePriority, likelyDuplicates } from '../domain/intake-analysis';
import type { Priority } from '../../../../../src/domain/vocabulary';
import { linkOf, tableOf } from '../../../../../src/platform/tables';
import { UID } from '../../../../../src/platform/uids';
import { cached } from '../../../../../src/platform/reference-cache';

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

  /**
   * The most recent cases of the same project and category (and region) within the window:
   * where a citizen's repeat or a neighbour's report of the same fault is. Driven from the
   * submission-time index with the scope as EXISTS on the link tables' row ids, so the cost
   * stays a few milliseconds at a million cases (docs/performance.md).
   */
  async function candidates(projectDocumentId: string, categoryDocumentId: string, regionDocumentId: string | null) {
    const since = new Date(Date.now() - WINDOW_DAYS * 86_400_000);
    // Inside the intake's transaction when there is one (SQLite has a single connection).
    return strapi.db.transaction(async ({ trx }: { trx: Knex.Transaction }) => {
      const scope: Array<[string, string, string]> = [
        ['project', UID.project, projectDocumentId],
        ['category', UID.category, categoryDocumentId],
        ...(regionDocumentId ? [['region', UID.region, regionDocumentId] as [string, string, string]] : []),
      ];
      const q = trx({ g: tableOf(UID.grievance) })
        .where('g.submitted_at', '>=', pg() ? since : since.getTime())
        .select('g.id', 'g.description', 'g.tracking_code', 'g.document_id')
        .orderBy('g.submitted_at', 'desc')
        .limit(CANDIDATES);
      for (const [relation, uid, documentId] of scope) {
        // Every locale's row of the record: a link may point at any of them.
        const ids = await cached(`row-ids:${uid}:${documentId}`, () => trx(tableOf(uid)).where('document_id', documentId).pluck('id'));
        const link = linkOf(UID.grievance, relation);
        q.whereExists((sub) => sub.select(trx.raw('1')).from({ l: link.table }).whereRaw('?? = ??', [`l.${link.owner}`, 'g.id']).whereIn(`l.${link.target}`, ids));
      }
      return q;
    });
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
      const rows = await candidates(input.projectDocumentId, input.category.documentId, input.regionDocumentId);
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
